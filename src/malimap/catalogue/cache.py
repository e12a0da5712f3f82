"""The joined catalogue kept as Parquet next to the validated tables: a restart with unchanged data and boundaries reads
the joins back instead of redoing them (3.1 s at 100,000 interventions).

Keyed by the dataset's key (content, P-codes, seeds, validation code), the boundaries' identity (source, vintage, import
date, units), public mode and the source of the joins; tuple columns (declared in catalogue/build.py, DERIVED) are stored as a code per row and a table of the distinct tuples. The geometry is
never stored here: the caller's boundaries are attached on reading.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from malimap import config
from malimap.catalogue.build import Catalogue, JoinReport, build_catalogue
from malimap.dataset import Dataset, load_dataset_cached
from malimap.dataset.cache import code_key, dataset_key, write_folder, write_later, write_parquet
from malimap.geo.boundaries import Boundaries, active_boundaries
from malimap.schema import package_files

FORMAT = "2"  # 2: tuple columns as codes + distinct tuples, LZ4 pages
FRAMES = ("interventions", "participations", "organisations", "locations", "themes", "sources", "conflicts", "finances")
REPORT = ("unmatched", "outside_mali", "country_wide", "unknown_country")
# columns holding tuples of ids or codes (see catalogue/build.py, DERIVED): Parquet keeps them as lists
TUPLES = {
    "interventions": ("theme_list", "funder_ids", "inherited_funder_ids", "implementer_ids", "organisation_ids", "all_funder_ids")
}


def cached_catalogue(
    ds_loader: Callable[[], Dataset], path: Path, boundaries: Boundaries, public: str = "", cache: Path | None = None
) -> Catalogue:
    """The catalogue of the package at `path` on `boundaries`; `ds_loader()` gives the dataset when it must be built."""
    seeds = config.seeds_dir()
    key = hashlib.sha256(
        "|".join([FORMAT, dataset_key(path, seeds, boundaries.units, cache), boundaries_key(boundaries), public]).encode()
        + code_key("catalogue/build.py", "catalogue/columns.py", "catalogue/public.py", "catalogue/cache.py")
    ).hexdigest()[:32]
    folder = (cache or config.cache_dir()) / "catalogues" / key
    if (folder / "complete").exists():
        try:
            return _read(folder, boundaries)
        except (OSError, ValueError, KeyError):
            shutil.rmtree(folder, ignore_errors=True)
    catalogue = build_catalogue(ds_loader(), boundaries)
    write_later(_write, catalogue, folder)
    return catalogue


def served_stamp(data: Path) -> str:
    """What the served dataset and catalogue depend on, as cheap file stamps (size, modification time): the imported
    boundaries and the package's files. The server's and the upload workers' in-memory copies are keyed by it, so an
    edited CSV or newly imported boundaries show on the next run, without a restart. A dozen stat calls."""
    meta = config.cache_dir() / "cod-ab" / "meta.json"
    out = [f"{meta}:{meta.stat().st_mtime_ns}" if meta.exists() else "embedded"]
    for f in package_files(Path(data)):
        try:
            st = f.stat()
        except OSError:
            continue
        out.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(out)


def served_dataset(data: Path, public: bool = False) -> Dataset:
    """The dataset as the app serves it: validated through the cache, then made public if asked."""
    units = active_boundaries().units
    ds = load_dataset_cached(data, units=units)  # validated once per content: a restart reads Parquet
    if public:
        from malimap.catalogue.public import public_dataset

        ds = public_dataset(ds, units, coarsen_to=int(config.setting("public_level")))
    return ds


def served_catalogue(data: Path, public: bool = False, dataset: Callable[[], Dataset] | None = None) -> Catalogue:
    """The catalogue as the app serves it (public mode has its own cache entry); `dataset` gives the tables when the
    catalogue must be built (default: served_dataset)."""
    # public ids depend on the key: a new key is a new cache entry (its digest only, never the key itself)
    key = hashlib.sha256(config.public_secret()).hexdigest()[:12] if public else ""
    mode = f"public:{config.setting('public_level')}:{key}" if public else ""
    loader = dataset or (lambda: served_dataset(data, public))
    return cached_catalogue(loader, data, active_boundaries(), public=mode)


def boundaries_key(b: Boundaries) -> str:
    """What makes two boundary sets join alike: source, vintage, when imported, units and merges (not the drawing)."""
    h = hashlib.sha256(
        json.dumps([b.source, b.vintage, b.meta.get("imported", ""), b.merged, sorted(b.levels)], default=str).encode()
    )
    h.update("\n".join(sorted(b.units["pcode"].astype(str))).encode())
    return h.hexdigest()[:16]


def _write(c: Catalogue, folder: Path) -> None:
    def fill(staging: Path) -> None:
        for name in FRAMES:
            _write_frame(getattr(c, name), name, staging)
        for name in REPORT:
            write_parquet(getattr(c.report, name).reset_index(drop=True), staging / f"report-{name}.parquet")

    write_folder(folder, fill)


def _write_frame(df: pd.DataFrame, name: str, folder: Path) -> None:
    """Tuple columns are stored as a code per row and a side table of the distinct tuples: reading back builds each
    distinct tuple once (575 distinct theme lists for 1,000,000 rows) instead of a Python tuple per row."""
    out = df.reset_index(drop=True)
    for col in TUPLES.get(name, ()):
        codes, distinct = pd.factorize(out[col])
        out[col] = codes.astype("int32")
        bounds = np.cumsum([0, *map(len, distinct)])
        values = pa.array(list(itertools.chain.from_iterable(distinct)), type=pa.string())
        lists = pa.ListArray.from_arrays(pa.array(bounds, type=pa.int32()), values)
        pq.write_table(pa.table({"values": lists}), folder / f"{name}-{col}.parquet")
    write_parquet(out, folder / f"{name}.parquet")


def _read_frame(folder: Path, name: str, memo: dict) -> pd.DataFrame:
    df = pd.read_parquet(folder / f"{name}.parquet")
    for col in TUPLES.get(name, ()):
        lists = pq.read_table(folder / f"{name}-{col}.parquet").column("values").combine_chunks()
        values = lists.flatten().to_numpy(zero_copy_only=False).tolist()
        bounds = lists.offsets.to_numpy().tolist()  # one flat list sliced: 3x faster than Arrow's to_pylist
        distinct = [tuple(values[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
        codes = df[col].to_numpy()
        df[col] = pd.Series(distinct, dtype=object).to_numpy()[codes]
        if name == "interventions":
            memo[col] = (codes, distinct)  # what build.column_codes would work out again
    return df


def _read(folder: Path, boundaries: Boundaries) -> Catalogue:
    memo: dict = {}
    # Arrow decodes Parquet without holding the interpreter lock: the other tables are read while the interventions'
    # tuples are rebuilt in Python (about 0.4 s of a 1,000,000-row warm restart)
    with ThreadPoolExecutor(max_workers=3) as pool:
        frames = dict(zip(FRAMES, pool.map(lambda name: _read_frame(folder, name, memo), FRAMES)))
    report = JoinReport(*(pd.read_parquet(folder / f"report-{name}.parquet") for name in REPORT))
    unit_names = boundaries.units.set_index("pcode")["name"].to_dict()
    return Catalogue(**frames, boundaries=boundaries, report=report, unit_names=unit_names, memo=memo)
