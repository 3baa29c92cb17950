"""`python -m game` runs the same entry point as the `understood` command."""

from game.cli import main

raise SystemExit(main())
