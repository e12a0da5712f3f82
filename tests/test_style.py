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


PACKAGE = REPO_ROOT / "src" / "malimap"
MAX_MODULE_LINES = 350
MAX_FUNCTION_LINES = 60


def test_modules_are_short_and_long_functions_say_why():
    """A newcomer reads a module in one sitting: none over 350 lines, and a function over 60 says in its docstring
    why it is long ("Long because …") instead of growing silently."""
    import ast

    too_long, unexplained = {}, {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(PACKAGE))
        if text.count("\n") > MAX_MODULE_LINES:
            too_long[name] = text.count("\n")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES and "Long because" not in (ast.get_docstring(node) or ""):
                    unexplained[f"{name}:{node.name}"] = size
    assert too_long == {} and unexplained == {}


def test_every_folder_says_its_job():
    """The README's folder list is the package: each folder's __init__ states its job in its first line."""
    import ast

    for init in PACKAGE.rglob("__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert len(doc.split("\n")[0]) > 20, f"{init.relative_to(PACKAGE)} has no docstring stating its job"


def test_installed_outside_a_checkout_runs_on_a_named_project_folder(tmp_path):
    """The package copied away from the checkout (as pip installs it) finds the project folder through MALIMAP_HOME or
    the working directory, and says what to do when there is none — no path counted up from its own file."""
    import os
    import shutil
    import subprocess

    import pandas as pd

    site = tmp_path / "site-packages"
    shutil.copytree(PACKAGE, site / "malimap", ignore=shutil.ignore_patterns("__pycache__"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "from malimap import config\nprint(config.REPO_ROOT)\n"
        "from malimap.dataset import load_dataset\nprint(len(load_dataset().interventions))\n"
    )

    def run(cwd, **env):
        base = {k: v for k, v in os.environ.items() if k not in ("MALIMAP_HOME", "PYTHONPATH")}
        return subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, env={**base, "PYTHONPATH": str(site), **env}, capture_output=True, text=True
        )

    expected = len(pd.read_csv(REPO_ROOT / "data" / "interventions.csv", dtype=str))
    named = run(elsewhere, MALIMAP_HOME=str(REPO_ROOT))
    assert named.returncode == 0, named.stderr
    assert named.stdout.split() == [str(REPO_ROOT), str(expected)]
    from_cwd = run(REPO_ROOT)
    assert from_cwd.returncode == 0, from_cwd.stderr
    assert from_cwd.stdout.split() == [str(REPO_ROOT), str(expected)]
    lost = run(elsewhere)
    assert lost.returncode != 0
    assert "set MALIMAP_HOME" in lost.stderr and str(elsewhere) in lost.stderr
