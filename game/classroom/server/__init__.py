"""`understood serve`: one process serves the web player to every student.

Each browser plays the story by itself (the page holds the runtime and the story) and tells this
server only its place and progress while playing, then sends its anonymous summary. The server
writes the summaries to the class folder as the terminal game does, and gives the facilitator a
page of their own (behind a random token): live progress, a message to everyone, "end the
session", and the debrief view. The contract with the page is docs/web-protocol.md.
"""
