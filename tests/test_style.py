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
