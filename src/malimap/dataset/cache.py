"""Validated tables kept as Parquet, keyed by what they were validated from: a restart with unchanged data skips the
reading and the checks (at 100,000 interventions, most of a cold start).

The key hashes the package's files (datapackage.json and every CSV), the P-codes it was checked against, the seed files'
names, sizes and dates, and the source of the reading and validation code: any change gives a new key, so a stale
cache is never read.
A cache is written to a temporary folder and renamed into place; one that cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from malimap import config
from malimap.dataset.load import _default_units, load_dataset
from malimap.dataset.model import Dataset
from malimap.schema import TABLES, package_files

FORMAT = "2"  # bump when what is stored changes (2: LZ4 pages without dictionaries)


def load_dataset_cached(
    path: str | Path | None = None, seeds: Path | None = None, units: pd.DataFrame | None = None, cache: Path | None = None
) -> Dataset:
    """load_dataset, through the Parquet cache; errors are never cached (an invalid package raises every time)."""
    path = Path(path or config.data_dir())
    seeds = seeds if seeds is not None else config.seeds_dir()
    units = _default_units() if units is None else units
    folder = (cache or config.cache_dir()) / "datasets" / dataset_key(path, seeds, units, cache)
    if (folder / "complete").exists():
        try:
            return _read(folder, path)
        except (OSError, ValueError, KeyError):  # damaged or written by another version: rebuilt below
            shutil.rmtree(folder, ignore_errors=True)
    ds = load_dataset(path, seeds=seeds, units=units)
    write_later(_write, ds, folder)
    return ds


WRITERS: list[threading.Thread] = []


def write_later(write: Callable[..., None], *args) -> None:
    """A cache is written while the caller goes on to serve what it has just built (at 1,000,000 interventions the two
    caches take 4-5 s to write); not a daemon thread, so the interpreter finishes the write before it exits, and a
    half-written cache is never read (it is renamed into place only when complete)."""
    writer = threading.Thread(target=write, args=args, name="malimap-cache-writer")
    writer.start()
    WRITERS[:] = [w for w in WRITERS if w.is_alive()] + [writer]


def wait_for_writes() -> None:
    """Until every cache this process started writing is in place (tests and benchmarks read them back)."""
    while WRITERS:
        WRITERS.pop().join()


def code_key(*modules: str) -> bytes:
    """The source of the modules that produce what is cached: a new version of the rules never reads an old result."""
    root = Path(__file__).resolve().parents[1]
    return hashlib.sha256(b"".join((root / m).read_bytes() for m in modules)).digest()


VALIDATION_CODE = (
    "catalogue/columns.py",
    "dataset/read.py",
    "dataset/validate.py",
    "dataset/curation.py",
    "dataset/load.py",
    "dataset/model.py",
    "schema.py",
    "dates.py",
)


def file_digest(f: Path, cache: Path | None = None) -> bytes:
    """The SHA-256 of a file's content, remembered next to the caches by path, size, change time and inode: a restart
    with unchanged files (380 MB of CSV at 1,000,000 interventions) does not read them again only to hash them."""
    st = f.stat()
    stamp = [str(f.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    memo = (cache or config.cache_dir()) / "digests" / (hashlib.sha256(json.dumps(stamp).encode()).hexdigest()[:32] + ".sha256")
    try:
        return bytes.fromhex(memo.read_text())
    except (OSError, ValueError):
        pass
    with open(f, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").digest()
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(digest.hex())
    except OSError:  # a read-only cache: hashed again next time
        pass
    return digest


def dataset_key(path: Path, seeds: Path, units: pd.DataFrame, cache: Path | None = None) -> str:
    h = hashlib.sha256(FORMAT.encode())
    h.update(code_key(*VALIDATION_CODE))
    for f in package_files(path):
        h.update(f.name.encode())
        h.update(file_digest(f, cache) if f.exists() else b"<missing>")
    h.update("\n".join(sorted(units["pcode"].astype(str))).encode())
    if seeds.is_dir():
        for f in sorted(seeds.iterdir()):
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def _write(ds: Dataset, folder: Path) -> None:
    def fill(staging: Path) -> None:
        for name, df in ds.tables().items():
            write_parquet(df, staging / f"{name}.parquet")

    write_folder(folder, fill)


def write_folder(folder: Path, fill: Callable[[Path], None]) -> None:
    """`fill` writes into a temporary folder beside `folder`, which is renamed into place once complete: a reader sees a
    whole cache or none. A cache that cannot be written (read-only, another process first) is left out, never an error."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    except OSError:  # a read-only cache folder: the data are served, only not kept
        return
    try:
        fill(staging)
        (staging / "complete").write_text("ok")
        staging.rename(folder)
    except OSError:  # another process wrote it first, or the disk is read-only: the data are served anyway
        shutil.rmtree(staging, ignore_errors=True)


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """LZ4 without dictionary pages: at 1,000,000 interventions the frame reads back in 0.37 s (Parquet's default,
    snappy with dictionaries, 1.34 s) for 1.4x the size on disk."""
    # converted on this thread (pandas' own converter would use a Python thread pool, closed at interpreter exit while a
    # background write may still run)
    table = pa.Table.from_pandas(df, preserve_index=False, nthreads=1)
    pq.write_table(table, path, compression="lz4", use_dictionary=False)


def _read(folder: Path, path: Path) -> Dataset:
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    return Dataset(**tables, path=str(path))
