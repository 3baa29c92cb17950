"""Twine's link syntax, shared by every story format: `[[Target]]`, `[[Text|Target]]`,
`[[Text->Target]]`, `[[Target<-Text]]`."""

from __future__ import annotations


def split_link(body: str) -> tuple[str, str]:
    """(text, target) of a link body, by Twine's rules: the rightmost '->', the leftmost '<-',
    else the first '|', else the body is both."""
    if "->" in body:
        text, _, target = body.rpartition("->")
        return text, target
    if "<-" in body:
        target, _, text = body.partition("<-")
        return text, target
    if "|" in body:
        text, _, target = body.partition("|")
        return text, target
    return body, body
