"""The join link as a QR code (segno): block characters for the terminal, SVG for the page."""

from __future__ import annotations

import io

import segno


def qr_text(url: str) -> str:
    """Two rows per line of half blocks, dark on light, with the quiet zone a scanner needs."""
    code = segno.make(url, error="m")
    out = io.StringIO()
    matrix = [list(row) for row in code.matrix_iter(scale=1, border=2)]
    for top, bottom in zip(matrix[::2], matrix[1::2] + [[0] * len(matrix[0])]):
        out.write("".join(_cell(t, b) for t, b in zip(top, bottom)))
        out.write("\n")
    return out.getvalue()


def _cell(top: int, bottom: int) -> str:
    # Light modules are drawn as ink (the terminal's text colour is usually light on dark).
    return {(0, 0): "█", (0, 1): "▀", (1, 0): "▄", (1, 1): " "}[(top, bottom)]


def qr_svg(url: str, *, scale: int = 8) -> str:
    """An inline SVG with no XML declaration and a title, for the facilitator page."""
    code = segno.make(url, error="m")
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title="Join link", omitsize=True,
              svgclass="qr", lineclass=None, dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")
