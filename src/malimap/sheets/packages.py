"""Keep what was uploaded: a 3W sheet's accepted rows written as a data package, new or merged into an existing one.

Organisations are matched by name, acronym or alias (folded) before any is added; an intervention already in the package
with the same title, implementers, place and start is not added twice. The package is written to a temporary folder,
validated, and only then put in place: a failed import leaves the target as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from malimap import config
from malimap.catalogue.org_names import org_index
from malimap.dataset import Dataset, load_dataset, read_tables
from malimap.geo.gazetteer import Gazetteer, fold
from malimap.schema import TABLES, load_schema
from malimap.sheets.columns import read_table
from malimap.sheets.three_w import UploadResult, ingest
from malimap.sheets.upload_rows import UPLOAD_SOURCE

# Imported rows cite their sheet and row, not a seed document: their quotes are not looked for in the seeds.
NO_SEEDS = Path("/nonexistent")


@dataclass(frozen=True)
class KeepReport:
    folder: Path
    added: int
    duplicates: int
    organisations_matched: int
    organisations_added: int
    result: UploadResult

    def __str__(self) -> str:
        """What a data officer checks after an import: every row accounted for, places by how they were found."""
        r = self.result
        # a rejected row may have several problems: counted once, under its first one's column
        rejected = r.rejected.drop_duplicates("row")["column"].value_counts() if len(r.rejected) else pd.Series(dtype=int)
        kinds = r.accepted["kind"].value_counts() if len(r.accepted) else pd.Series(dtype=int)
        sheet = f"sheet {r.sheet!r}" + (f" (not read: {', '.join(r.other_sheets)})" if r.other_sheets else "") if r.sheet else ""
        lines = [
            f"{self.folder}: {self.added} intervention(s) added, {self.duplicates} already there; organisations "
            f"{self.organisations_matched} matched, {self.organisations_added} added",
            f"rows: {r.rows_read + r.duplicates} in the sheet, {r.duplicates} exact duplicates collapsed, {r.rows_read} read, "
            f"{len(r.accepted)} kept ({_counts(kinds)}), {int(rejected.sum())} rejected"
            + (f" (by column: {_counts(rejected)})" if len(rejected) else ""),
            f"places: {_counts(pd.Series(r.place_counts()))}; not recognised {len(r.unresolved)}; "
            f"sectors kept as written {len(r.sectors)}",
        ]
        return "\n".join(lines[:1] + [sheet] * bool(sheet) + lines[1:])


def _counts(series: pd.Series) -> str:
    return ", ".join(f"{k} {int(v)}" for k, v in series.items() if v) or "none"


def import_3w(sheet: Path, into: Path, units: pd.DataFrame | None = None) -> KeepReport:
    """`python -m malimap import-3w FILE --into DIR`: the sheet's accepted rows as (or into) a valid data package."""
    from malimap.geo.boundaries import active_boundaries

    units = active_boundaries().units if units is None else units
    table = read_table(sheet.name, sheet.read_bytes())
    with package_lock(into):  # read, merged and written under the lock: a concurrent import waits, then sees these rows
        exists = (into / "datapackage.json").exists()
        base = load_dataset(into if exists else config.data_dir(), seeds=NO_SEEDS, units=units)
        result = ingest(table, base, Gazetteer(units), sheet.name)
        current = read_tables(into)[0] if exists else empty_tables(base)
        tables = upload_tables(result, sheet.name, next_source_id(current["sources"]))
        merged, report = merge_tables(current, tables)
        write_validated(merged, into, units)
    return KeepReport(into, result=result, **report)


def next_source_id(sources: pd.DataFrame) -> str:
    """The next free source id of the package's form (s000): each imported sheet is one source."""
    used = [int(i[1:]) for i in sources["id"] if str(i)[1:].isdigit()]
    return f"s{max(used, default=0) + 1:03d}"


def _notes_language(ds) -> str:
    """The row notes were written in the uploader's language: the kept source says which."""
    upload = ds.sources.loc[ds.sources["id"] == UPLOAD_SOURCE, "notes_language"]
    return str(upload.iloc[0]) if len(upload) else ""


def upload_tables(result: UploadResult, filename: str, source: str) -> dict[str, pd.DataFrame]:
    """The upload's own rows as string tables in the package's columns, with ids that cannot collide with other imports."""
    ds = result.dataset
    ivs = ds.interventions[ds.interventions["source_id"] == UPLOAD_SOURCE]
    ids = {i: f"{source}-{i.removeprefix('upload-')}"[:80] for i in ivs["id"]}  # upload-<row>-<slug> -> <source>-<row>-<slug>
    parts = ds.participations[ds.participations["intervention_id"].isin(ids)]
    locs = ds.locations[ds.locations["intervention_id"].isin(ids)]
    orgs = ds.organisations[ds.organisations["id"].isin(parts["organisation_id"])]
    new_org = {o: "org-" + o.removeprefix("upload-") for o in orgs["id"] if o.startswith("upload-")}
    tables = {
        "sources": pd.DataFrame(
            [
                {
                    "id": source,
                    "file": filename,
                    "title": f"3W sheet {filename}",
                    "publisher": "",
                    "published": "",
                    "language": "fr",
                    "url": "",
                    "notes": "Imported with python -m malimap import-3w; evidence cites the sheet's row",
                    "notes_language": _notes_language(ds),
                }
            ]
        ),
        "interventions": ivs.assign(id=ivs["id"].map(ids), source_id=source),
        "participations": parts.assign(
            intervention_id=parts["intervention_id"].map(ids),
            source_id=source,
            organisation_id=parts["organisation_id"].replace(new_org),
        ),
        "locations": locs.assign(intervention_id=locs["intervention_id"].map(ids), source_id=source),
        "organisations": orgs.assign(id=orgs["id"].replace(new_org)),
    }
    return {name: as_text(df, name) for name, df in tables.items()}


def package_zip(result: UploadResult, filename: str, base: Dataset) -> bytes:
    """The Data page's 'keep' button: the upload as a data package in a zip (the server writes nothing)."""
    merged, _ = merge_tables(empty_tables(base), upload_tables(result, filename, "s001"))
    return zip_tables(merged)


def zip_tables(tables: dict[str, pd.DataFrame]) -> bytes:
    """A data package as a zip: the shipped contract and one CSV per table."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(config.REPO_ROOT / "data" / "datapackage.json", "datapackage.json")
        for name, df in tables.items():
            z.writestr(load_schema()[name].path, df.to_csv(index=False, lineterminator="\n"))
    return buf.getvalue()


def empty_tables(base: Dataset) -> dict[str, pd.DataFrame]:
    """A new package: the themes the sheet was read with, nothing else yet."""
    out = {name: pd.DataFrame(columns=load_schema()[name].columns) for name in TABLES}
    out["themes"] = as_text(base.themes, "themes")
    return out


def merge_tables(current: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict]:
    known = org_index(current["organisations"])
    same = {o: known[k] for o, k in ((r.id, _org_key(r)) for r in new["organisations"].itertuples()) if k in known}
    orgs = new["organisations"][~new["organisations"]["id"].isin(same)]
    orgs = orgs[~orgs["id"].isin(current["organisations"]["id"])]
    parts = new["participations"].assign(organisation_id=new["participations"]["organisation_id"].replace(same))
    seen = _intervention_keys(current)
    fresh = _intervention_keys({**new, "participations": parts})
    duplicate = {i for i, key in fresh.items() if key in set(seen.values())}
    keep = lambda df, col="intervention_id": df[~df[col].isin(duplicate)]  # noqa: E731
    fresh_ivs = keep(new["interventions"], "id")
    added = {
        "sources": new["sources"] if len(fresh_ivs) else new["sources"].iloc[0:0],  # a sheet with nothing new adds no source
        "organisations": orgs,
        "interventions": fresh_ivs,
        "participations": keep(parts),
        "locations": keep(new["locations"]),
    }
    merged = {
        name: pd.concat([current[name], added[name]], ignore_index=True) if name in added else current[name] for name in TABLES
    }
    merged = {name: df.reindex(columns=load_schema()[name].columns).fillna("") for name, df in merged.items()}
    report = {
        "added": len(added["interventions"]),
        "duplicates": len(duplicate),
        "organisations_matched": len(same),
        "organisations_added": len(orgs),
    }
    return merged, report


def _org_key(row) -> str:
    return fold(row.name)


def _intervention_keys(tables: dict[str, pd.DataFrame]) -> dict[str, tuple]:
    """(title, implementers, first place, start) per intervention: what makes two records the same activity."""
    parts = tables["participations"]
    impl = parts[parts["role"] == "implementer"].groupby("intervention_id")["organisation_id"].agg(lambda s: tuple(sorted(s)))
    place = tables["locations"].groupby("intervention_id")["pcode"].first()
    return {
        r.id: (fold(r.title), impl.get(r.id, ()), place.get(r.id, ""), r.start_date) for r in tables["interventions"].itertuples()
    }


def as_text(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Typed tables back to the CSV text the package holds: true/false, integers without '.0', missing as ''."""
    out = pd.DataFrame(index=df.index)
    for f in load_schema()[name].fields:
        col = df[f.name] if f.name in df else pd.Series("", index=df.index)
        if f.type == "boolean":
            out[f.name] = col.map(lambda v: "true" if v is True or str(v).lower() == "true" else "false")
        else:
            out[f.name] = col.map(
                lambda v: (
                    ""
                    if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                    else str(int(v))
                    if isinstance(v, float) and v.is_integer()
                    else str(v)
                )
            )
    return out.reset_index(drop=True)


@contextlib.contextmanager
def package_lock(into: Path) -> Iterator[None]:
    """One import at a time into a package: a second one waits here, then reads the package as the first left it (two
    imports started together both keep their rows). The lock file sits beside the folder, never inside the package."""
    into.parent.mkdir(parents=True, exist_ok=True)
    lock = into.parent / f".{into.name}.lock"
    with open(lock, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            _recover(into)
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _recover(into: Path) -> None:
    """An import killed between its two renames leaves the package under its .previous name: put it back."""
    previous = into.parent / f"{into.name}.previous"
    if not into.exists() and (previous / "datapackage.json").exists():
        previous.rename(into)


def write_validated(tables: dict[str, pd.DataFrame], into: Path, units: pd.DataFrame) -> None:
    """The new package is written whole beside the old one, validated, then swapped in by renames; the old one is kept as
    DIR.previous. A kill at any point leaves a complete package (the old, or the new), never a half-written file."""
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}.staging-", dir=into.parent))
    try:
        shutil.copy(config.REPO_ROOT / "data" / "datapackage.json", staging / "datapackage.json")
        for name, df in tables.items():
            df.to_csv(staging / load_schema()[name].path, index=False, lineterminator="\n")
        for f in staging.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        load_dataset(staging, seeds=NO_SEEDS, units=units)  # raises DatasetError listing every problem
        if into.exists():
            _keep_others(into, staging)
            previous = into.parent / f"{into.name}.previous"
            shutil.rmtree(previous, ignore_errors=True)
            into.rename(previous)
        staging.rename(into)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _keep_others(into: Path, staging: Path) -> None:
    """Files of the folder that are not the package's tables (a README, notes) come along into the new version."""
    for f in into.iterdir():
        if not (staging / f.name).exists():
            (shutil.copytree if f.is_dir() else shutil.copy2)(f, staging / f.name)
