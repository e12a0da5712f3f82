"""Need layers: population and people in need per unit, imported like boundaries, validated row by row, cited.

A layer is the user's own file (CSV or XLSX; our column names or HXL hashtags). Codes that are not COD-AB v02 are
translated where a rule is known and reported otherwise, never guessed. Nothing is shipped with the project.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from malimap import config
from malimap.schema import PCODE_LENGTH
from malimap.sheets.reader import UploadError, read_raw

VALUES = ("population", "in_need", "idps")
# our column -> accepted headers (lower case) and HXL hashtags (attributes in any order)
COLUMNS = {
    "adm1_pcode": ({"adm1_pcode", "adm1_pcod2", "admin1pcode", "adm1_code"}, ("#adm1", "+code")),
    "adm2_pcode": ({"adm2_pcode", "adm2_pcod2", "admin2pcode", "adm2_code"}, ("#adm2", "+code")),
    "adm3_pcode": ({"adm3_pcode", "adm3_pcod2", "admin3pcode", "adm3_code"}, ("#adm3", "+code")),
    "name": ({"adm3_name", "adm2_name", "adm1_name", "name"}, ("#adm", "+name")),
    "population": ({"population", "pop", "total_population"}, ("#population",)),
    # Cadre Harmonisé phases 3 to 5 are people in need of food assistance: phase35 is read as in_need
    "in_need": ({"in_need", "inneed", "pin", "people_in_need", "phase35"}, ("#inneed",)),
    "idps": ({"idps", "displaced"}, ("#affected", "+idps")),
    "year": ({"year"}, ("#date", "+year")),
    "source": ({"source"}, ("#meta", "+source")),
}
# codes of other vintages whose v02 unit is known: code -> (v02 code, why)
CODE_RULES = {
    "ML0704": ("ML10", "old code of Ménaka as one cercle of Gao, before it became a region: the whole v02 region ML10"),
}
MAX_ROWS = 20_000


class LayerError(ValueError):
    """A layer file that cannot be read at all; row-level problems are reported, not raised."""


@dataclass
class Layer:
    name: str
    values: pd.DataFrame  # pcode, level, population, in_need, idps (floats; NaN unknown)
    meta: dict = field(default_factory=dict)
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "column", "value", "error"]))
    translated: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["row", "from", "to", "why"]))

    @property
    def citation(self) -> str:
        m = self.meta
        return "; ".join(str(x) for x in (m.get("source"), m.get("licence"), m.get("year")) if x)

    @property
    def finest_level(self) -> int:
        return int(self.values["level"].max()) if len(self.values) else 1


def _match(header: str, hxl: str, spec) -> bool:
    names, tags = spec
    if header.strip().lower() in names:
        return True
    parts = re.findall(r"[#+][\w]+", hxl.strip().lower())
    return bool(parts) and parts[0] == tags[0] and all(t in parts for t in tags[1:])


def read_layer_table(name: str, data: bytes) -> tuple[pd.DataFrame, dict[str, str], list[str], int]:
    """(rows as text, our column -> file column, ignored columns, spreadsheet row of the first record)."""
    try:  # the same guarded reader as 3W sheets: size, zip bomb, lying zip index, encodings, rows counted first
        raw = read_raw(name, data, MAX_ROWS)
    except UploadError as exc:
        raise LayerError(exc.text("en")) from exc
    raw = raw.astype(str)
    headers = [str(h).strip() for h in raw.iloc[0]]
    has_hxl = len(raw) > 1 and any(str(v).strip().startswith("#") for v in raw.iloc[1])
    hxl = [str(v) for v in raw.iloc[1]] if has_hxl else [""] * len(headers)
    body = raw.iloc[2 if has_hxl else 1 :].reset_index(drop=True)
    if len(body) > MAX_ROWS:
        raise LayerError(f"{name}: more than {MAX_ROWS:,} rows; a need layer has one row per unit (Mali has 701 communes)")
    mapping: dict[str, int] = {}
    for i, h in enumerate(headers):
        ours = next((c for c, spec in COLUMNS.items() if c not in mapping and _match(h, hxl[i], spec)), None)
        if ours:
            mapping[ours] = i
    ignored = [h for i, h in enumerate(headers) if i not in mapping.values()]
    if not any(c in mapping for c in ("adm1_pcode", "adm2_pcode", "adm3_pcode")):
        raise LayerError(f"{name}: no P-code column (adm1_pcode, adm2_pcode or adm3_pcode, or #adm1+code …); found {headers}")
    if not any(c in mapping for c in VALUES):
        raise LayerError(f"{name}: no figure column (population, in_need or idps, or #population, #inneed …); found {headers}")
    table = pd.DataFrame({c: body[i].astype(str).str.strip() for c, i in mapping.items()})
    return table, {c: headers[i] for c, i in mapping.items()}, ignored, 3 if has_hxl else 2


def _number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Figures as people write them (1 234 / 1,234 / 1234.0); (values, bad) where bad marks text that is not a number."""
    cleaned = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True).str.replace(r",(?=\d{3}\b)", "", regex=True)
    values = pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")
    return values, (cleaned != "") & values.isna()


def build_layer(
    table: pd.DataFrame, columns: dict[str, str], first_row: int, units: pd.DataFrame, name: str, meta: dict
) -> Layer:
    """Validate every row; good rows become the layer, every other row is reported with what is wrong."""
    known = dict(zip(units["pcode"], units["level"]))
    rows = pd.Series(range(first_row, first_row + len(table)), index=table.index)
    problems: list[dict] = []

    def reject(mask: pd.Series, column: str, message) -> None:
        for i in table.index[mask]:
            problems.append(
                {
                    "row": int(rows[i]),
                    "column": columns.get(column, column),
                    "value": table.at[i, column] if column in table else "",
                    "error": message(i) if callable(message) else message,
                }
            )

    code, col_of_code, translated = _codes(table, rows)
    no_code = code == ""
    reject(
        no_code,
        "name" if "name" in table else col_of_code,
        lambda i: f"no P-code for '{table.at[i, 'name'] if 'name' in table else ''}': not placed (names are never guessed)",
    )
    unknown = ~no_code & ~code.isin(known)
    reject(unknown, col_of_code, lambda i: f"P-code {code[i]} is not a COD-AB v02 unit and no rule translates it")
    dup = ~no_code & ~unknown & code.duplicated(keep=False)
    reject(
        dup,
        col_of_code,
        lambda i: (
            f"P-code {code[i]} appears on rows {', '.join(str(rows[j]) for j in table.index[code == code[i]])}: "
            "none is used until one is removed"
        ),
    )
    figures, bad_any = _figures(table, reject)
    ok = ~(no_code | unknown | dup | bad_any)
    values = pd.DataFrame(
        {"pcode": code[ok], "level": code[ok].map(known).astype(int), **{c: figures[c][ok].astype(float) for c in VALUES}}
    ).reset_index(drop=True)
    rejected = pd.DataFrame(problems, columns=["row", "column", "value", "error"]).sort_values(
        ["row", "column"], ignore_index=True
    )
    meta = {
        **meta,
        "accepted": int(ok.sum()),
        "rejected_rows": int(rejected["row"].nunique()) if len(rejected) else 0,
        "translated": len(translated),
    }
    return Layer(name, values, meta, rejected, pd.DataFrame(translated, columns=["row", "from", "to", "why"]))


def _figures(table: pd.DataFrame, reject) -> tuple[dict[str, pd.Series], pd.Series]:
    """Each value column as numbers (absent: NaN), and which rows hold a figure that is not a number or is negative."""
    figures = {}
    bad_any = pd.Series(False, index=table.index)
    for c in VALUES:
        if c not in table:
            figures[c] = pd.Series(np.nan, index=table.index)
            continue
        values, bad = _number(table[c])
        reject(bad, c, "not a number")
        negative = values < 0
        reject(negative, c, "a count of people cannot be negative")
        figures[c] = values
        bad_any |= bad | negative
    return figures, bad_any


def _codes(table: pd.DataFrame, rows: pd.Series) -> tuple[pd.Series, str, list[dict]]:
    """Each row's finest P-code (upper case, known v03 codes translated), the column it is read from, and what was
    translated or is only a coarser code, row by row, for the report."""
    code = pd.Series("", index=table.index)
    for c in ("adm1_pcode", "adm2_pcode", "adm3_pcode"):
        if c in table:
            code = table[c].where(table[c] != "", code)
    code = code.str.upper()
    translated = []
    for raw, (v02, why) in CODE_RULES.items():
        hit = code == raw
        translated += [{"row": int(rows[i]), "from": raw, "to": v02, "why": why} for i in table.index[hit]]
        code = code.where(~hit, v02)
    col_of_code = "adm3_pcode" if "adm3_pcode" in table else "adm2_pcode" if "adm2_pcode" in table else "adm1_pcode"
    finest_column = PCODE_LENGTH[int(col_of_code[3])]
    coarser = (code != "") & (code.str.len() < finest_column) & ~code.isin([v for v, _ in CODE_RULES.values()])
    translated += [
        {
            "row": int(rows[i]),
            "from": code[i],
            "to": code[i],
            "why": "only a coarser code on this row: counted in that unit as a whole, never split into its parts",
        }
        for i in table.index[coarser]
    ]
    return code, col_of_code, translated


def import_layer(
    path: Path,
    units: pd.DataFrame,
    *,
    name: str | None = None,
    source: str = "",
    licence: str = "",
    year: str = "",
    cache: Path | None = None,
) -> Layer:
    """Read, validate and store a layer in the cache (values.csv, rejected.csv, meta.json); returns it with its report."""
    path = Path(path)
    table, columns, ignored, first = read_layer_table(path.name, path.read_bytes())
    slug = re.sub(r"[^a-z0-9]+", "-", (name or path.stem).lower()).strip("-") or "layer"
    if not source and "source" in table and (table["source"] != "").any():
        source = table.loc[table["source"] != "", "source"].iloc[0]
    if not year and "year" in table and (table["year"] != "").any():
        year = table.loc[table["year"] != "", "year"].iloc[0]
    meta = {
        "name": slug,
        "file": path.name,
        "source": source,
        "licence": licence,
        "year": str(year),
        "columns": columns,
        "ignored_columns": ignored,
        "imported": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    layer = build_layer(table, columns, first, units, slug, meta)
    folder = (cache or config.cache_dir()) / "layers" / slug
    folder.mkdir(parents=True, exist_ok=True)
    layer.values.to_csv(folder / "values.csv", index=False)
    layer.rejected.to_csv(folder / "rejected.csv", index=False)
    layer.translated.to_csv(folder / "translated.csv", index=False)
    (folder / "meta.json").write_text(json.dumps(layer.meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return layer


SKIPPED: dict[str, str] = {}  # layer folder -> why it could not be read (the last time the layers were read)


def cached_layers(cache: Path | None = None) -> list[Layer]:
    """Every layer imported into the cache, oldest name first. One unreadable layer (a truncated file, a hand edit) is
    skipped with its reason in SKIPPED and the server's log: the other layers, and the pages, still work."""
    root = (cache or config.cache_dir()) / "layers"
    out = []
    SKIPPED.clear()
    for meta_path in sorted(root.glob("*/meta.json")) if root.is_dir() else []:
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            values = pd.read_csv(meta_path.parent / "values.csv", dtype={"pcode": str})
            missing = {"pcode", "level", *VALUES} - set(values.columns)
            if missing:
                raise ValueError(f"values.csv lacks {', '.join(sorted(missing))}")
            out.append(Layer(meta["name"], values, meta))
        except (OSError, ValueError, KeyError, TypeError) as exc:  # json and pandas errors are ValueErrors
            SKIPPED[meta_path.parent.name] = f"{type(exc).__name__}: {exc}"
            logging.getLogger(__name__).warning("need layer %s skipped: %s", meta_path.parent, exc)
    return out


def unit_needs(layer: Layer, units: pd.DataFrame, level: int, merge: dict[str, str] | None = None) -> pd.DataFrame:
    """Figures per unit of `level`: summed from finer rows, never split from coarser ones (those units stay unknown).

    Columns: pcode, population, in_need, idps, basis ('exact', 'summed', or '' when the layer cannot say).
    """
    merge = merge or {}
    n = PCODE_LENGTH[level]
    out = units[(units["level"] == level) & ~units["pcode"].isin(merge)][["pcode"]].reset_index(drop=True)
    v = layer.values[layer.values["level"] >= level].copy()
    v["unit"] = v["pcode"].str[:n].replace(merge)
    sums = v.groupby("unit")[list(VALUES)].sum(min_count=1)
    finer = v[v["level"] > level]
    present = finer.groupby("unit").size()
    # a sum over fewer children than the unit has is a lower bound, and said so
    child_level = finer.groupby("unit")["level"].max()
    expected = pd.Series(
        {u: int((units["level"].eq(lv) & units["pcode"].str.startswith(u)).sum()) for u, lv in child_level.items()}, dtype="int64"
    )
    out = out.join(sums, on="pcode")
    basis = np.where(out["pcode"].isin(sums.index), "exact", "")
    summed = out["pcode"].isin(present.index).to_numpy()
    partial = out["pcode"].map(present).fillna(0).to_numpy() < out["pcode"].map(expected).fillna(0).to_numpy()
    out["basis"] = np.where(summed & partial, "partial", np.where(summed, "summed", basis))
    return out
