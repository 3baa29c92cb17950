"""Subcommands of `understood`; each module has `register(subparsers)` (see game/cli.py)."""
