"""Where Understood keeps things on the user's machine: an override variable, else the XDG folder."""

from __future__ import annotations

import os
from pathlib import Path


def user_dir(override_var: str, xdg_var: str, *home_parts: str) -> Path:
    """`$override_var`, else `$xdg_var/understood`, else `~/<home_parts>/understood`."""
    override = os.environ.get(override_var)
    if override:
        return Path(override)
    base = os.environ.get(xdg_var) or os.path.join(os.path.expanduser("~"), *home_parts)
    return Path(base) / "understood"
