"""Uploads are read and checked in a worker process, so that one large or hostile sheet cannot stall the room.

Reading a sheet is pandas and Python work that holds the interpreter lock for long stretches: in the server process, a
50,000-row upload made another session's filter change take 1.5 s instead of 0.04 s (benchmarks/UPLOAD.md). In a worker
process the server only waits; the other sessions keep their speed. The worker is started once per server ('spawn', never
'fork': the server has threads) and rebuilds the same dataset and boundaries from the same paths.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .joins import Catalogue

_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    global _POOL
    if _POOL is None:
        from . import config

        workers = max(1, int(config.setting("upload_workers") or 1))
        _POOL = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    return _POOL


def _submit(fn, *args):
    """Run `fn` in the worker. A worker that died (killed for memory, say) is replaced, and the upload is refused with a
    plain reason instead of every later upload failing with the pool's error and server paths."""
    global _POOL
    try:
        return _pool().submit(fn, *args).result()
    except BrokenProcessPool:
        from .upload import UploadError

        broken, _POOL = _POOL, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        raise UploadError("worker_died") from None


def ingest_in_worker(name: str, data: bytes, data_dir: Path, public: bool, lang: str, table=None):
    """(table, result, catalogue) for an upload, computed in the worker; raises UploadError as the reader does.

    `table` (a sheet already read, with the user's fixes) skips reading. The catalogue comes back without its
    boundaries: the caller attaches its own (the same files, already in memory).
    """
    env = {k: v for k, v in os.environ.items() if k.startswith("MALIMAP_")}
    return _submit(_job, name, data, str(data_dir), public, lang, table, env)


def iati_in_worker(name: str, data: bytes, data_dir: Path, public: bool, lang: str):
    """(report, new rows per table, catalogue) for an uploaded IATI file (.xml, or a .zip of them), read in the worker."""
    env = {k: v for k, v in os.environ.items() if k.startswith("MALIMAP_")}
    return _submit(_iati_job, name, data, str(data_dir), public, env)


def _iati_job(name, data, data_dir, public, env):
    import tempfile

    from .dataset import Dataset, DatasetError
    from .dataset.read import typed_tables
    from .dataset.validate import validate_tables
    from .iati.keep import build, merged_package
    from .joins import build_catalogue
    from .keep import _as_text
    from .upload import MAX_BYTES, UploadError

    for key in [k for k in os.environ if k.startswith("MALIMAP_")]:
        del os.environ[key]
    os.environ.update(env)
    if len(data) > MAX_BYTES:
        raise UploadError("file_size", name=name, mb=MAX_BYTES // 1_000_000)
    boundaries, dataset = _shared(data_dir, public, tuple(sorted(env.items())))
    current = {k: _as_text(df, k) for k, df in dataset.tables().items()}
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
    from .gazetteer import Gazetteer
    from .joins import build_catalogue
    from .upload import ingest, read_table

    for key in [k for k in os.environ if k.startswith("MALIMAP_")]:
        del os.environ[key]
    os.environ.update(env)  # the server's settings at this upload (tests change them between uploads)
    boundaries, dataset = _shared(data_dir, public, tuple(sorted(env.items())))
    if table is None:
        table = read_table(name, data)
    result = ingest(table, dataset, Gazetteer(boundaries.units), name, lang)
    catalogue = build_catalogue(result.dataset, boundaries)
    return table, result, replace(catalogue, boundaries=None)  # type: ignore[arg-type]  # re-attached by the server


@lru_cache(maxsize=2)
def _shared(data_dir: str, public: bool, env: tuple):
    """The worker's copy of the server's boundaries and dataset, loaded once per setting."""
    from . import config
    from .boundaries import active_boundaries
    from .dataset import load_dataset_cached

    boundaries = active_boundaries()
    dataset = load_dataset_cached(data_dir, units=boundaries.units)
    if public:
        from .public import public_dataset

        dataset = public_dataset(dataset, boundaries.units, coarsen_to=int(config.setting("public_level")))
    return boundaries, dataset
