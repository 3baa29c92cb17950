"""The writers' toolkit: analysis and tooling over stories, built on the engine's public pieces.

Each module here is plain Python with no terminal I/O of its own (the thin command modules in
`game/commands/` print); they can be used from tests, editors and other front ends.

    explore.explore(story)        exhaustive walk of every reachable (scene, state)
    analysis.analyse(story, ex)   story-level diagnostics over the reachable states
    lint.lint(story, source)      text and header warnings (quotes, whitespace, long paragraphs)
    randomtest.randomtest(...)    seeded random playthroughs
    graph.mermaid/dot(...)        the story map
    playthrough                   recorded playthrough files (`understood test`)
"""
