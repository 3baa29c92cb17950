"""The web player: a JavaScript runtime and player for compiled stories, and the page that holds them.

`game.web.page.build_page(story)` returns one self-contained HTML document (see docs/web-protocol.md).
"""
