"""Support resources: a data file in the package (game/data/support.yaml), read safely."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources



@dataclass(frozen=True, slots=True)
class HelpLine:
    name: str
    region: str
    contact: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Support:
    intro: str
    lines: tuple[HelpLine, ...]
    emergency: str
    last_checked: str


@lru_cache(maxsize=1)
def load_support() -> Support:
    import yaml  # here, not at the top: the game's start-up never reads the support lines

    text = resources.files("game.data").joinpath("support.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Support(
        intro=data["intro"],
        lines=tuple(HelpLine(**line) for line in data["lines"]),
        emergency=data["emergency"],
        last_checked=str(data["last_checked"]),
    )


def support_text() -> str:
    """The resources as plain text (for the plain player and `understood support`)."""
    support = load_support()
    out = [support.intro, ""]
    for line in support.lines:
        out.append(f"- {line.name} ({line.region}): {line.contact}." + (f" {line.note}" if line.note else ""))
    out += ["", support.emergency, f"(Last checked {support.last_checked}.)"]
    return "\n".join(out)
