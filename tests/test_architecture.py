"""The import boundaries (.importlinter): story <- engine <- front ends, nothing imports the
command-line entry point, no cycles between game's packages."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=str(ROOT / ".importlinter"), no_cache=True)
    out = capsys.readouterr().out
    assert code == 0, out[out.find("Broken contracts"):] or out
