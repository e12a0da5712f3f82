"""A 3W sheet's columns: our names, OCHA's 5W headers and HXL hashtags mapped to our fields, the header row found under
titles and notes, exact duplicate rows collapsed; and the template a new sheet starts from."""

from __future__ import annotations

import csv
import io

import pandas as pd

from malimap.geo.gazetteer import fold
from malimap.sheets.reader import HEADER_ROWS, UploadError, read_raw

MAX_ROWS = 50_000  # rows read from one sheet; beyond it the file is refused, saying how many and why
# internal field <- accepted headers (our names) and HXL hashtags (attributes in any order)
FIELDS = {  # OCHA Mali's 5W headers are here too ("Nom Organisation", "admin1Pcod", "Date début", "Statut"…)
    "title": (["title", "activity", "intervention", "activite", "titre", "projet", "intitule"], ["#activity", "#activity+name"]),
    "kind": (["kind", "type"], ["#activity+type"]),
    "implementers": (
        ["implementers", "implementer", "organisation", "org", "nom_organisation", "organisation_name", "partenaire"],
        ["#org+impl", "#org"],
    ),
    "org_acronym": (["organisation_accronyme", "organisation_acronyme", "acronyme", "acronym", "sigle"], ["#org+acronym"]),
    "org_type": (["type_organisation", "organisation_type", "org_type", "type_d_organisation"], ["#org+type"]),
    "funders": (["funders", "funder", "donor", "bailleur", "bailleurs"], ["#org+funder", "#org+donor"]),
    "themes": (["themes", "theme", "sector", "cluster"], ["#sector"]),
    "subsector": (["secteur", "sous_secteur", "subsector", "sub_sector"], ["#sector+sub", "#subsector"]),
    "status": (["status", "statut"], ["#status"]),
    "start_date": (["start_date", "start", "date_debut", "debut", "date_de_debut"], ["#date+start"]),
    "end_date": (["end_date", "end", "date_fin", "fin", "date_de_fin"], ["#date+end"]),
    "adm1_name": (["adm1_name", "region", "admin1name", "admin1_name"], ["#adm1+name"]),
    "adm1_pcode": (["adm1_pcode", "admin1pcod", "admin1pcode", "admin1_pcode", "adm1_code"], ["#adm1+code"]),
    "adm2_name": (["adm2_name", "cercle", "admin2name", "admin2_name"], ["#adm2+name"]),
    "adm2_pcode": (["adm2_pcode", "admin2pcod", "admin2pcode", "admin2_pcode", "adm2_code"], ["#adm2+code"]),
    "adm3_name": (["adm3_name", "commune", "admin3name", "admin3_name"], ["#adm3+name"]),
    "adm3_pcode": (["adm3_pcode", "admin3pcod", "admin3pcode", "admin3_pcode", "adm3_code"], ["#adm3+code"]),
    "place_name": (["place_name", "place", "location"], ["#loc+name", "#loc"]),
    "evidence": (["evidence", "quote"], ["#meta+quote"]),
    "source": (["source", "source_url"], ["#meta+source", "#meta+url"]),
    "country": (["country", "pays", "country_code", "iso3", "iso2"], ["#country+code", "#country+name", "#country"]),
}
TEMPLATE_ROW = {
    "title": "Atelier de dialogue intercommunautaire",
    "kind": "event",
    "implementers": "WANEP-Mali",
    "funders": "",
    "themes": "dialogue",
    "status": "completed",
    "start_date": "2019-03",
    "end_date": "",
    "adm1_name": "Mopti",
    "adm1_pcode": "",
    "adm2_name": "Bandiagara",
    "adm2_pcode": "",
    "adm3_name": "",
    "adm3_pcode": "",
    "place_name": "Bandiagara",
    "evidence": "",
    "source": "",
    "country": "MLI",
}


def template_csv() -> bytes:
    """The 3W template: our column names, their HXL hashtags, one example row."""
    cols = list(TEMPLATE_ROW)  # the columns a new sheet needs; 5W extras (acronym, type, subsector) are read when present
    rows = [cols, [FIELDS[c][1][0] for c in cols], [TEMPLATE_ROW[c] for c in cols]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def read_table(name: str, data: bytes) -> pd.DataFrame:
    """All cells as text; the hashtag row, if any, is recognised and used to name the columns.

    Sizes are checked before parsing (file, decompressed workbook, rows) so that one hostile file cannot keep the shared
    server busy; Excel is read in streaming mode and never past the row limit.
    """
    raw = read_raw(name, data, MAX_ROWS, lambda first_rows: header_at(first_rows)[1])
    out = _name_columns(raw.astype(str), name)
    out.attrs["sheet"], out.attrs["other_sheets"] = raw.attrs.get("sheet", ""), raw.attrs.get("other_sheets", ())
    return out


def _tag_parts(tag: str) -> tuple[str, frozenset[str]]:
    parts = tag.strip().lower().split("+")
    return parts[0], frozenset(p.strip() for p in parts[1:] if p.strip())


def _field_for(header: str, tag: str) -> str | None:
    """A column's field: by its HXL hashtag when it has one (attributes in any order, extra ones allowed, the most
    specific known tag wins: #org+name+funder is a funder), else by its header."""
    if tag:
        hashtag, attributes = _tag_parts(tag)
        best: tuple[int, str] | None = None
        for field, (_, tags) in FIELDS.items():
            for known in tags:
                k_hashtag, k_attributes = _tag_parts(known)
                if k_hashtag == hashtag and k_attributes <= attributes and (best is None or len(k_attributes) > best[0]):
                    best = (len(k_attributes), field)
        if best:
            return best[1]
    h = fold(header).replace(" ", "_")
    for field, (names, _) in FIELDS.items():
        if h in names:
            return field
    return None


def header_score(cells: list[str]) -> int:
    """How many distinct fields a row of cells names (as headers or hashtags): how a data sheet's header is recognised."""
    return len({f for c in cells if str(c).strip() for f in [_field_for(str(c), str(c) if str(c).startswith("#") else "")] if f})


def header_at(first_rows: list[list[str]]) -> tuple[int, int]:
    """(index, score) of the row that is the header among a sheet's first rows; a header and the hashtag row under it
    count together, and a hashtag row is a header only with nothing above it."""
    if not first_rows:
        return 0, 0
    tag_row = [bool(r) and sum(c.startswith("#") for c in r if c) >= max(1, sum(1 for c in r if c) // 2) for r in first_rows]

    def score(i: int) -> int:
        below = header_score(first_rows[i + 1]) if i + 1 < len(first_rows) and tag_row[i + 1] else 0
        return header_score(first_rows[i]) + below

    candidates = [i for i in range(len(first_rows)) if not tag_row[i] or i == 0 or not any(first_rows[i - 1])]
    at = max(candidates or [0], key=lambda i: (score(i), -i))
    return at, score(at)


def _name_columns(raw: pd.DataFrame, name: str) -> pd.DataFrame:
    first_rows = [[str(c).strip() for c in raw.iloc[i]] for i in range(min(len(raw), HEADER_ROWS))]
    at = header_at(first_rows)[0]
    header = first_rows[at] if first_rows else []
    tags = [""] * len(header)
    first_data = at + 1
    for i in range(at + 1, min(len(raw), at + 6)):
        cells = [c.strip() for c in raw.iloc[i] if c.strip()]
        if cells and sum(c.startswith("#") for c in cells) >= max(1, len(cells) // 2):
            tags, first_data = [c.strip() for c in raw.iloc[i]], i + 1
            break
    if all(h.startswith("#") for h in header if h):  # hashtag row with no header row above it
        tags, first_data = header, at + 1
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    for idx, (h, tag) in enumerate(zip(header, tags)):
        field = _field_for(h, tag)
        if field and field not in mapping.values():
            mapping[idx] = field
        elif h or tag:
            unknown.append(h or tag)  # an empty header over an empty column is not a column: never listed
    if "themes" not in mapping.values() and "subsector" in mapping.values():  # a sheet's only sector column
        mapping = {i: "themes" if f == "subsector" else f for i, f in mapping.items()}
    has_place = any(f.startswith("adm") or f in ("place_name", "country") for f in mapping.values())
    if "title" not in mapping.values() and not ("implementers" in mapping.values() and has_place):
        shown = [h for h in header if h][:30]
        raise UploadError("no_title", name=name, header=", ".join(shown) or "-")
    body = raw.iloc[first_data:]
    cells = body.apply(lambda col: col.str.strip())
    blank = (cells == "").all(axis=1)
    duplicate = cells.duplicated() & ~blank  # exact copies of an earlier row, every column compared
    out = pd.DataFrame({field: cells[idx] for idx, field in mapping.items()})
    for field in FIELDS:
        if field not in out:
            out[field] = ""
    out.index = pd.RangeIndex(first_data + 1, first_data + 1 + len(out), name="row")  # spreadsheet row numbers
    keep = ~(blank.to_numpy() | duplicate.to_numpy())
    out = out[keep & out.ne("").any(axis=1).to_numpy()]
    out.attrs["ignored_columns"] = tuple(unknown)
    out.attrs["headers"] = {f: header[i] or tags[i] for i, f in mapping.items()}  # as the sheet writes them, for messages
    out.attrs["duplicates"] = int(duplicate.sum())
    return out
