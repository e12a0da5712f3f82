"""Uploads are read and checked in a worker process, so that one large or hostile sheet cannot stall the room.

Reading a sheet is pandas and Python work that holds the interpreter lock for long stretches: in the server process, a
50,000-row upload made another session's filter change take 1.5 s instead of 0.04 s (benchmarks/UPLOAD.md). In a worker
process the server only waits; the other sessions keep their speed. Workers ('spawn', never 'fork': the server has
threads) are kept between uploads and rebuild the same dataset and boundaries from the same paths; there are at most
MALIMAP_UPLOAD_WORKERS, each owned by one upload at a time, so an upload whose session ended is stopped by killing its
own worker, never anyone else's.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import types
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from malimap.catalogue.build import Catalogue

Tick = Callable[[], None]
POLL_S = 0.25  # how often a waiting upload looks at its session (and tells the user it is still reading)


_MAIN_LOCK = threading.Lock()


class _Worker:
    """One worker process and its pipe. Owned by one upload at a time, so it can be killed without touching another's."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True, name="malimap-upload")
        with _MAIN_LOCK:  # spawn runs the parent's __main__ again in the child: Streamlit's bootstrap, or whatever
            main = sys.modules.get("__main__")  # script a test last ran as __main__. The worker needs only this module.
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                self.proc.start()
            finally:
                if main is not None:
                    sys.modules["__main__"] = main
        child.close()

    def stop(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


def _serve(conn) -> None:
    """The worker's loop: one job at a time, the result or the exception sent back."""
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            out = ("ok", fn(*args))
        except BaseException as exc:  # sent back and raised in the server, as the reader raised it
            out = ("err", exc)
        conn.send(out)


_LOCK = threading.Lock()
_IDLE: list[_Worker] = []
_busy = 0


def _limit() -> int:
    from malimap import config

    return max(1, int(config.setting("upload_workers") or 1))


def _take(tick: Tick | None) -> _Worker:
    """An idle worker, a new one while under MALIMAP_UPLOAD_WORKERS, or a wait (ticking, so a session that ends or
    moves on while queued gives up its place)."""
    global _busy
    while True:
        with _LOCK:
            start = _busy < _limit()
            if start:
                _busy += 1
                while _IDLE:
                    worker = _IDLE.pop()
                    if worker.proc.is_alive():
                        return worker
        if start:
            try:
                return _Worker()
            except BaseException:
                _give_back(None)
                raise
        if tick is not None:
            tick()
        time.sleep(POLL_S)


def _give_back(worker: _Worker | None) -> None:
    global _busy
    with _LOCK:
        _busy -= 1
        if worker is not None:
            _IDLE.append(worker)


def _submit(fn, *args, tick: Tick | None = None):
    """Run `fn(*args)` in a worker process and return its result (or raise its exception).

    While waiting, `tick()` runs every POLL_S: on a Streamlit page it updates a line on screen, which is where Streamlit
    stops a script whose session has ended or that must rerun. Whatever stops the wait (that, or anything else) kills
    the worker, so an abandoned upload never holds a worker another session waits for. A worker that died (killed for
    memory, say) is replaced, and the upload is refused with a plain reason, never the pipe's error or server paths.
    """
    from malimap.sheets.reader import UploadError

    worker = _take(tick)
    finished = False
    try:
        worker.conn.send((fn, args))
        while not worker.conn.poll(POLL_S):
            if not worker.proc.is_alive():
                raise EOFError
            if tick is not None:
                tick()
        status, value = worker.conn.recv()
        finished = True
    except (EOFError, OSError):
        raise UploadError("worker_died") from None
    finally:
        if finished:
            _give_back(worker)
        else:
            worker.stop()
            _give_back(None)
    if status == "err":
        raise value
    return value


def idle_workers() -> list[int]:
    """Process ids of the workers waiting for an upload (a cancelled upload's worker is never among them)."""
    with _LOCK:
        return [w.proc.pid for w in _IDLE if w.proc.is_alive() and w.proc.pid is not None]


def ingest_in_worker(name: str, data: bytes, data_dir: Path, public: bool, lang: str, table=None, tick: Tick | None = None):
    """(table, result, catalogue) for an upload, computed in the worker; raises UploadError as the reader does.

    `table` (a sheet already read, with the user's fixes) skips reading. The catalogue comes back without its
    boundaries: the caller attaches its own (the same files, already in memory).
    """
    env = {k: v for k, v in os.environ.items() if k.startswith("MALIMAP_")}
    return _submit(_job, name, data, str(data_dir), public, lang, table, env, tick=tick)


def iati_in_worker(name: str, data: bytes, data_dir: Path, public: bool, lang: str, tick: Tick | None = None):
    """(report, new rows per table, catalogue) for an uploaded IATI file (.xml, or a .zip of them), read in the worker."""
    env = {k: v for k, v in os.environ.items() if k.startswith("MALIMAP_")}
    return _submit(_iati_job, name, data, str(data_dir), public, env, tick=tick)


def _iati_job(name, data, data_dir, public, env):
    import tempfile

    from malimap.catalogue.build import build_catalogue
    from malimap.dataset import Dataset, DatasetError
    from malimap.dataset.read import typed_tables
    from malimap.dataset.validate import validate_tables
    from malimap.iati.keep import build, merged_package
    from malimap.sheets.packages import as_text
    from malimap.sheets.reader import MAX_BYTES, UploadError

    for key in [k for k in os.environ if k.startswith("MALIMAP_")]:
        del os.environ[key]
    os.environ.update(env)
    if len(data) > MAX_BYTES:
        raise UploadError("file_size", name=name, mb=MAX_BYTES // 1_000_000)
    boundaries, dataset = _shared(data_dir, public, tuple(sorted(env.items())), _served_stamp(data_dir))
    current = {k: as_text(df, k) for k, df in dataset.tables().items()}
    with tempfile.TemporaryDirectory(prefix="malimap-iati-") as tmp:
        path = Path(tmp) / Path(name).name
        path.write_bytes(data)
        new, report = build([path], current, boundaries)
    merged = merged_package(current, new)
    errors = [i for i in validate_tables(merged, units=boundaries.units) if i.severity == "error"]
    if errors:
        raise DatasetError(errors)
    catalogue = build_catalogue(Dataset(**typed_tables(merged)), boundaries)
    return report, new, replace(catalogue, boundaries=None)  # type: ignore[arg-type]  # re-attached by the server


def attach(catalogue: Catalogue, boundaries) -> Catalogue:
    return replace(catalogue, boundaries=boundaries)


def _job(name, data, data_dir, public, lang, table, env):
    from malimap.catalogue.build import build_catalogue
    from malimap.geo.gazetteer import Gazetteer
    from malimap.sheets.columns import read_table
    from malimap.sheets.three_w import ingest

    for key in [k for k in os.environ if k.startswith("MALIMAP_")]:
        del os.environ[key]
    os.environ.update(env)  # the server's settings at this upload (tests change them between uploads)
    boundaries, dataset = _shared(data_dir, public, tuple(sorted(env.items())), _served_stamp(data_dir))
    if table is None:
        table = read_table(name, data)
    result = ingest(table, dataset, Gazetteer(boundaries.units), name, lang)
    catalogue = build_catalogue(result.dataset, boundaries)
    return table, result, replace(catalogue, boundaries=None)  # type: ignore[arg-type]  # re-attached by the server


def _served_stamp(data_dir: str) -> str:
    from malimap.catalogue.cache import served_stamp

    return served_stamp(Path(data_dir))


@lru_cache(maxsize=2)
def _shared(data_dir: str, public: bool, env: tuple, stamp: str):
    """The worker's copy of the server's boundaries and dataset, loaded once per setting and per version of the
    boundaries and data files (`stamp`): a worker never reads an upload against boundaries the server has replaced."""
    from malimap import config
    from malimap.dataset import load_dataset_cached
    from malimap.geo.boundaries import active_boundaries

    boundaries = active_boundaries()
    dataset = load_dataset_cached(data_dir, units=boundaries.units)
    if public:
        from malimap.catalogue.public import public_dataset

        dataset = public_dataset(dataset, boundaries.units, coarsen_to=int(config.setting("public_level")))
    return boundaries, dataset
