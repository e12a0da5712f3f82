"""`python -m malimap import-iati FILE_OR_FOLDER... --into DIR [--sectors 152]`: IATI activity files (XML, or zips of
them) read, placed and written as (or merged into) a valid data package; the report lists every activity."""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pandas as pd

from malimap import config
from malimap.iati.places import Placer, count_by_how
from malimap.iati.read import IatiError, read_activities
from malimap.iati.rows import Builder
from malimap.schema import TABLES, load_schema
from malimap.sheets.packages import as_text, empty_tables, next_source_id, package_lock, write_validated, zip_tables

MAX_ZIP_MEMBER = 500_000_000  # one XML inside a zip, decompressed; a zip that claims more is refused (a zip bomb)


@dataclass
class IatiReport:
    folder: Path | None
    activities: pd.DataFrame  # one row per activity read: file, position, identifier, title, outcome, reasons, places
    places: dict[str, int]
    refused: list[str] = field(default_factory=list)  # whole files refused, with why
    added_organisations: int = 0
    matched_organisations: int = 0
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        return self.activities["outcome"].value_counts().to_dict() if len(self.activities) else {}

    def by_code(self, outcome: str) -> dict[str, int]:
        """Activities per reason code among the skipped or flagged (an activity counts once per code)."""
        rows = self.activities[self.activities["outcome"] == outcome]
        return rows["codes"].str.split(";").explode().loc[lambda c: c.ne("")].value_counts().to_dict()

    def __str__(self) -> str:
        c = self.counts()
        lines = [
            f"{self.folder or '(not written)'}: {len(self.activities)} activities read in {self.seconds:.1f} s: "
            f"{c.get('imported', 0)} imported, {c.get('flagged', 0)} imported and flagged, {c.get('skipped', 0)} skipped; "
            f"organisations {self.matched_organisations} matched, {self.added_organisations} added",
            "places: " + (", ".join(f"{k} {v}" for k, v in self.places.items()) or "none"),
        ]
        for outcome in ("skipped", "flagged"):
            if self.by_code(outcome):
                lines.append(
                    f"{outcome} (activities by reason): " + ", ".join(f"{k} {v}" for k, v in self.by_code(outcome).items())
                )
        lines += [f"REFUSED {r}" for r in self.refused]
        return "\n".join(lines)


@contextmanager
def _opened(path: Path) -> Iterator[list[tuple[str, IO[bytes]]]]:
    """(name, stream) for each XML: the file itself, or each .xml member of a zip (sizes checked before reading)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            members = [i for i in z.infolist() if i.filename.lower().endswith(".xml") and not i.is_dir()]
            if sum(i.file_size for i in members) > MAX_ZIP_MEMBER:
                raise IatiError(f"{path.name}: its XML decompresses to more than {MAX_ZIP_MEMBER // 1_000_000} MB: refused")
            streams = [(f"{path.name}/{i.filename}", z.open(i)) for i in members]
            yield streams
    else:
        with open(path, "rb") as fh:
            yield [(path.name, fh)]


def iati_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder gives its .xml and .zip files, sorted (the same order on every run)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.suffix.lower() in (".xml", ".zip") and f.is_file())
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return out


def dac_themes() -> dict[str, str]:
    """DAC 5-digit purpose codes -> our theme, from the sector crosswalk (the codes it names)."""
    from malimap.sheets.three_w import sector_crosswalk

    cw = sector_crosswalk()
    digits = cw[cw["term"].str.fullmatch(r"\d{5}") & cw["theme"].ne("")]
    return dict(zip(digits["term"], digits["theme"]))


def build(
    paths: list[Path], base: dict[str, pd.DataFrame], boundaries, prefixes: tuple[str, ...] = (), known_orgs=None, rates=None
):
    """(new rows per table, report) for the files, against the package `base` (its organisations, ids and sources);
    `known_orgs`, more organisations to match against (the shipped table for a new package), join the package when used."""
    started = time.perf_counter()
    used = list(base["sources"]["id"])

    def next_source() -> str:
        sid = next_source_id(pd.DataFrame({"id": used}))
        used.append(sid)
        return sid

    orgs = base["organisations"]
    if known_orgs is not None:
        orgs = pd.concat([orgs, known_orgs[~known_orgs["id"].isin(orgs["id"])]], ignore_index=True)
    existing = set(base["interventions"].get("iati_identifier", pd.Series(dtype=str)).fillna("")) - {""}
    builder = Builder(Placer(boundaries), orgs.fillna(""), dac_themes(), next_source, existing, prefixes, rates)
    refused: list[str] = []
    for path in iati_files(paths):
        try:
            with _opened(path) as streams:
                for name, stream in streams:
                    try:
                        for activity in read_activities(stream, name):
                            builder.add(activity)
                    except IatiError as exc:
                        refused.append(str(exc))
        except (IatiError, zipfile.BadZipFile, OSError) as exc:
            refused.append(str(exc) if isinstance(exc, IatiError) else f"{path.name}: {exc}")
    out = builder.finish()
    used_orgs = {p["organisation_id"] for p in out.participations}
    brought = orgs[orgs["id"].isin(used_orgs - set(base["organisations"]["id"]) - set(builder.orgs.new))]
    report = IatiReport(
        None,
        out.report_frame(),
        count_by_how(out.placed).to_dict(),
        refused,
        added_organisations=len(builder.orgs.new),
        matched_organisations=len(builder.orgs.matched),
    )
    rows = {
        "sources": out.sources,
        "organisations": brought.to_dict("records") + list(builder.orgs.new.values()),
        "interventions": out.interventions,
        "participations": out.participations,
        "locations": out.locations,
        "finances": out.finances,
    }
    tables = {name: as_text(pd.DataFrame(r, columns=load_schema()[name].columns), name) for name, r in rows.items()}
    report.seconds = time.perf_counter() - started
    return tables, report


def merged_package(current: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The package with the import's rows added; themes the import uses that the package lacks come from the shipped list."""
    out = {}
    for name in TABLES:
        cur = current.get(name, pd.DataFrame(columns=load_schema()[name].columns))
        out[name] = pd.concat([cur, new[name]], ignore_index=True) if name in new else cur
    used = {t for ts in new["interventions"]["themes"] for t in ts.split(";") if t}
    missing = used - set(out["themes"]["code"])
    if missing:
        shipped = pd.read_csv(config.REPO_ROOT / "data" / "themes.csv", dtype=str, keep_default_na=False)
        out["themes"] = pd.concat([out["themes"], shipped[shipped["code"].isin(missing)]], ignore_index=True)
    return {name: df.reindex(columns=load_schema()[name].columns).fillna("") for name, df in out.items()}


def import_iati(paths: list[Path], into: Path, prefixes: tuple[str, ...] = (), boundaries=None, rates=None) -> IatiReport:
    """Read, place and write: a new package in `into`, or the activities added to the one there (validated first).
    Organisations are matched against the package's and the shipped ones (a shipped one used is brought along)."""
    from malimap.dataset import load_dataset, read_tables
    from malimap.geo.boundaries import active_boundaries

    boundaries = boundaries or active_boundaries()
    with package_lock(into):  # read, merged and written under the lock: a concurrent import waits, then sees these rows
        shipped = load_dataset(config.data_dir(), units=boundaries.units)
        current = read_tables(into)[0] if (into / "datapackage.json").exists() else empty_tables(shipped)
        known = as_text(shipped.organisations, "organisations")
        new, report = build(paths, current, boundaries, prefixes, known_orgs=known, rates=rates)
        if len(new["interventions"]):
            write_validated(merged_package(current, new), into, boundaries.units)
            report.folder = into
    return report


def package_zip(new: dict[str, pd.DataFrame], dataset) -> bytes:
    """The Data page's 'keep it' for an IATI upload: the imported activities as a package of their own, with the
    organisations and themes they use (the server writes nothing)."""
    tables = merged_package(empty_tables(dataset), new)
    orgs = as_text(dataset.organisations, "organisations")
    used = set(tables["participations"]["organisation_id"]) - set(tables["organisations"]["id"])
    tables["organisations"] = pd.concat([tables["organisations"], orgs[orgs["id"].isin(used)]], ignore_index=True)
    return zip_tables(tables)
