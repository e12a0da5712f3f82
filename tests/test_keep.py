"""Keeping imports: a package is never left half-written (an import killed at any point leaves the old or the new
version, whole), and two imports into one folder at the same time both keep their rows."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from malimap.dataset import load_dataset, read_tables
from malimap.geo.boundaries import embedded_boundaries
from malimap.sheets import packages as keep

DATA = Path(__file__).resolve().parents[1] / "data"
SHEET = "title,implementers,adm1_name,start_date\n{title},AMSS,Gao,2023\n"


def _count(folder: Path) -> int:
    return len(pd.read_csv(folder / "interventions.csv", dtype=str))


def _sheet(tmp_path: Path, name: str, title: str) -> Path:
    path = tmp_path / name
    path.write_text(SHEET.format(title=title), encoding="utf-8")
    return path


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs (not an Exception, so no handler tidies up)."""


def test_an_import_killed_at_any_file_write_never_breaks_the_package(tmp_path, monkeypatch):
    """kill -9 at the 1st, 2nd, ... file the import opens for writing (the file left empty, as a kill leaves it), until
    an import runs through: after each, the package is byte for byte what it was, and valid."""
    import builtins

    sheet = _sheet(tmp_path, "one.csv", "Nouvelle activité")
    real_open = builtins.open
    for k in range(1, 40):
        pkg = tmp_path / f"data-{k}"
        shutil.copytree(DATA, pkg)
        before = {f.name: f.read_bytes() for f in pkg.iterdir()}
        writes = 0

        def dying_open(file, mode="r", *a, _at=k, **kw):
            nonlocal writes
            if any(c in mode for c in "wax") and str(tmp_path) in str(file):
                writes += 1
                if writes == _at:
                    real_open(file, mode, *a, **kw).close()  # truncated, then the process is gone
                    raise Killed
            return real_open(file, mode, *a, **kw)

        monkeypatch.setattr(builtins, "open", dying_open)
        try:
            keep.import_3w(sheet, pkg, embedded_boundaries().units)
            completed = True
        except Killed:
            completed = False
        monkeypatch.undo()
        if completed:
            assert _count(pkg) == _count(DATA) + 1
            break
        with keep.package_lock(pkg):  # what the next import does first
            pass
        assert {f.name: f.read_bytes() for f in pkg.iterdir()} == before, f"killed at write {k}"
    else:
        pytest.fail("the import never completed")
    assert k > 5  # it was killed at every file it writes (the CSVs, the descriptor) before running through


def test_an_import_killed_between_its_two_renames_is_put_back(tmp_path, monkeypatch):
    pkg = tmp_path / "data"
    shutil.copytree(DATA, pkg)
    before = {f.name: f.read_bytes() for f in pkg.iterdir()}
    sheet = _sheet(tmp_path, "one.csv", "Nouvelle activité")
    real_rename = Path.rename

    def dies_after_first(self, target):
        out = real_rename(self, target)
        if str(target).endswith(".previous"):
            raise Killed  # the old version moved aside, the new one not yet in place
        return out

    monkeypatch.setattr(Path, "rename", dies_after_first)
    with pytest.raises(Killed):
        keep.import_3w(sheet, pkg, embedded_boundaries().units)
    monkeypatch.undo()
    assert not pkg.exists()  # the one moment a kill can leave: the next import (its lock) puts the package back
    with keep.package_lock(pkg):
        pass
    assert {f.name: f.read_bytes() for f in pkg.iterdir()} == before
    load_dataset(pkg, seeds=Path("/nonexistent"), units=embedded_boundaries().units)  # and valid
    report = keep.import_3w(sheet, pkg, embedded_boundaries().units)  # the import, run again, goes through
    assert report.added == 1 and _count(pkg) == _count(DATA) + 1
    assert _count(tmp_path / "data.previous") == _count(DATA)  # the version it replaced is kept


def test_two_imports_started_together_both_keep_their_rows(tmp_path):
    pkg = tmp_path / "mine"
    sheets = [_sheet(tmp_path, f"s{i}.csv", f"Activité {i}") for i in range(2)]
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(sheet: Path) -> None:
        start.wait()
        try:
            keep.import_3w(sheet, pkg, embedded_boundaries().units)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in sheets]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    titles = set(read_tables(pkg)[0]["interventions"]["title"])
    assert {"Activité 0", "Activité 1"} <= titles  # neither import's rows were lost
    assert set(read_tables(pkg)[0]["sources"]["file"]) == {"s0.csv", "s1.csv"}
