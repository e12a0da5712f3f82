"""Lint, format and types are part of the test command: a newcomer's change fails here before review."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from malimap.config import REPO_ROOT


def _run(*cmd: str) -> subprocess.CompletedProcess:
    tool = shutil.which(cmd[0], path=str(REPO_ROOT / ".venv" / "bin")) or shutil.which(cmd[0])
    if tool is None:  # installed by pip install -e ".[test]"; a missing checker is a failure, not a skip
        pytest.fail(f"{cmd[0]} is not installed: pip install -e '.[test]'")
    return subprocess.run([tool, *cmd[1:]], cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("cmd", [("ruff", "check", "."), ("ruff", "format", "--check", ".")], ids=["lint", "format"])
def test_ruff_is_clean(cmd):
    done = _run(*cmd)
    assert done.returncode == 0, done.stdout + done.stderr


def test_types_check():
    done = _run("mypy", "--python-executable", sys.executable)
    assert done.returncode == 0, done.stdout + done.stderr


ENTRY_POINTS = [  # modules something imports first (a page, the CLI, a test's conftest, the upload worker)
    "malimap.geo.gazetteer",
    "malimap.geo.boundaries",
    "malimap.dataset",
    "malimap.catalogue.build",
    "malimap.catalogue.public",
    "malimap.counts.filters",
    "malimap.outputs.map_spec",
    "malimap.sheets.three_w",
    "malimap.sheets.worker",
    "malimap.sheets.packages",
    "malimap.iati.keep",
    "malimap.ui",
    "malimap.cli",
]


def test_every_entry_point_imports_first_without_a_cycle():
    """Each module imported first in a fresh interpreter: an import cycle between folders shows here, not in CI's
    browser run (moving schema into dataset/ once made `import malimap.geo.gazetteer` fail this way)."""
    import subprocess
    import sys

    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    procs = [subprocess.Popen([sys.executable, "-c", code, m], stderr=subprocess.PIPE, text=True) for m in ENTRY_POINTS]
    failed = {m: p.communicate()[1].strip().splitlines()[-1:] for m, p in zip(ENTRY_POINTS, procs) if p.wait() != 0}
    assert failed == {}
