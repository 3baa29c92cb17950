"""Dependencies are pinned and locked, and CI runs the README's quick start as written."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"requirements.lock: '{line}' is not an exact pin"
            pins[_name(name)] = version.strip()
    return pins


def test_every_dependency_is_pinned_exactly_and_locked_at_that_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    locked = _locked()
    for requirement in wanted:
        name, sep, version = requirement.partition("==")
        assert sep and not re.search(r"[<>!~,]", version), f"pyproject.toml: '{requirement}' is not an exact pin"
        assert locked.get(_name(name)) == version.strip(), \
            f"requirements.lock has {_name(name)} at {locked.get(_name(name))}, pyproject.toml at {version}"


def test_ci_runs_the_readme_quick_start():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.strip() for line in block.strip().splitlines()]
    assert len(commands) == 2
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert ci == [commands[0] + " < /dev/null", commands[1]]
