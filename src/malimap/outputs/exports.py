"""Exports of the filtered selection: CSV with HXL hashtags, GeoJSON and Excel, each with the filter sentence and citations."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pandas as pd

from malimap.catalogue.build import Catalogue
from malimap.counts.aggregate import located, money_by_record, source_citations
from malimap.i18n import label, normalise_lang, t, theme_labels
from malimap.outputs.geometry import unit_centres

# column -> HXL hashtag (second header row); None = no standard hashtag
COLUMNS = {
    "id": "#activity+id",
    "kind": "#activity+type",
    "title": "#activity+name",
    "title_fr": "#activity+name+i_fr",
    "title_en": "#activity+name+i_en",
    "status": "#status",
    "start_date": "#date+start",
    "end_date": "#date+end",
    "dates_approximate": "#date+approx",
    "themes": "#sector",
    "funders": "#org+funder",
    "inherited_funders": "#org+funder+inherited",
    "implementers": "#org+impl",
    "organisations": "#org+name",
    "adm1_pcode": "#adm1+code",
    "adm1_name": "#adm1+name",
    "adm2_pcode": "#adm2+code",
    "adm2_name": "#adm2+name",
    "adm3_pcode": "#adm3+code",
    "adm3_name": "#adm3+name",
    "places": "#loc+name",
    "country": "#country+code",
    "participants": "#reached",
    "iati_identifier": "#activity+code+iati",
    "mali_share_percent": "#indicator+pct+mali",
    "money": "#value+meta",
    "evidence": "#meta+quote",
    "source_file": "#meta+source+file",
    "citation": "#meta+source",
    "selection": "#meta+filter",
}


SCREEN_COLUMNS = (
    "title",
    "kind",
    "status",
    "start_date",
    "end_date",
    "dates_approximate",
    "themes",
    "implementers",
    "funders",
    "adm1_name",
    "places",
    "citation",
)


def screen_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The export table as a reader sees it on screen: curated titles, human labels, headings in the page's language."""
    out = table.assign(
        title=table[f"title_{normalise_lang(lang)}"].where(table[f"title_{normalise_lang(lang)}"] != "", table["title"]),
        kind=table["kind"].map(lambda k: label("kinds", k, lang)),
        status=table["status"].map(lambda v: label("status", v, lang)),
    )
    return out[list(SCREEN_COLUMNS)].rename(columns={c: t(f"col.{c}", lang) for c in SCREEN_COLUMNS})


def for_people(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for a spreadsheet reader: kinds and statuses as words, yes/no for booleans, headings in the page's
    language (export.col.*); numbers stay numbers. Machine exports (CSV with HXL) keep the codes and column names."""
    out = _yes_no(table, lang)
    for column, group in (("kind", "kinds"), ("status", "status")):
        if column in out:
            out[column] = out[column].map(lambda v, g=group: label(g, v, lang) if v else v)
    return out.rename(columns=lambda c: t(f"export.col.{c}", lang))


def citations(catalogue: Catalogue, interventions: pd.DataFrame) -> list[str]:
    cited, used = source_citations(catalogue), set(interventions["source_id"])
    return [f"[{i}] {cited[i]}" for i in catalogue.sources["id"] if i in used]


def conflicts_screen(conflicts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Where sources disagree, headed in the page's language; nothing missing shows as 'None'."""
    return conflicts.fillna("").rename(columns=lambda c: t(f"conflicts.col.{c}", lang))


def export_table(catalogue: Catalogue, interventions: pd.DataFrame, lang: str, selection: str) -> pd.DataFrame:
    """One row per intervention, places rolled up with their P-codes, source and quote beside every record."""
    lang = normalise_lang(lang)
    loc = located(catalogue, interventions)
    names = catalogue.unit_names
    by_iv = {iid: g for iid, g in loc.groupby("intervention_id")}
    cited = source_citations(catalogue)
    rows = []
    themes = theme_labels(catalogue.themes, lang)
    money = money_by_record(catalogue, interventions["id"])
    for r in interventions.itertuples():
        g = by_iv.get(r.id, pd.DataFrame(columns=loc.columns))
        codes = {lv: sorted({c for c in g[f"adm{lv}_pcode"] if c}) for lv in (1, 2, 3)}
        rows.append(
            {
                "id": r.id,
                "kind": r.kind,
                "title": r.title,
                "title_fr": r.title_fr,
                "title_en": r.title_en,
                "status": r.status,
                "start_date": r.start_date or "",
                "end_date": r.end_date or "",
                "dates_approximate": t("export.yes" if r.dates_approximate else "export.no", lang),
                "themes": "; ".join(themes.get(c, c) for c in r.theme_list),
                "funders": r.funders,
                "inherited_funders": r.inherited_funders or "",  # its project's or programme's, as the card says
                "implementers": r.implementers,
                "organisations": r.organisations,
                **{f"adm{lv}_pcode": "; ".join(codes[lv]) for lv in (1, 2, 3)},
                **{f"adm{lv}_name": "; ".join(names.get(c, c) for c in codes[lv]) for lv in (1, 2, 3)},
                "places": "; ".join(dict.fromkeys(g["place_name"])),
                "country": "; ".join(sorted({c for c in g["country"] if c})),
                "participants": r.participants,
                "iati_identifier": r.iati_identifier or "",
                "mali_share_percent": "" if pd.isna(r.country_percentage) else f"{float(r.country_percentage):g}",
                "money": "; ".join(f"{k} {v:.2f} {cur}" + (f" ({w})" if w else "") for k, v, cur, w in money.get(r.id, [])),
                "evidence": r.evidence,
                "source_file": r.source_file,
                "citation": cited[r.source_id],
                "selection": selection,
            }
        )
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["participants"] = out["participants"].astype("Int64")
    return out


def to_hxl_csv(table: pd.DataFrame) -> bytes:
    """Header row, then the HXL hashtag row, then the records (UTF-8 with BOM so Excel opens accents right)."""
    hxl = pd.DataFrame([[COLUMNS.get(c, "") for c in table.columns]], columns=table.columns)
    out = pd.concat([hxl, defuse_formulas(table.astype(str))], ignore_index=True)
    return out.to_csv(index=False).encode("utf-8-sig")


def to_geojson(catalogue: Catalogue, interventions: pd.DataFrame, lang: str, selection: str) -> bytes:
    """One feature per intervention place; the point is the centre of its admin unit (or none), said in each feature."""
    loc = located(catalogue, interventions)
    layers = catalogue.boundaries.layers
    centres = {}
    for level in sorted(layers):
        centres.update({p: (round(lon, 4), round(lat, 4)) for p, (lat, lon) in unit_centres(layers[level]).items()})
    merged = catalogue.boundaries.merged
    iv = interventions.set_index("id")
    features = []
    for r in loc.itertuples():
        code = next((c for c in (r.adm3_pcode, r.adm2_pcode, r.adm1_pcode) if c and merged.get(c, c) in centres), "")
        geom, basis = None, "none: place is country-wide, abroad or unresolved"
        if pd.notna(r.latitude) and pd.notna(r.longitude):
            geom, basis = {"type": "Point", "coordinates": [float(r.longitude), float(r.latitude)]}, "coordinates from the source"
        elif code:
            geom = {"type": "Point", "coordinates": list(centres[merged.get(code, code)])}
            basis = f"centre of admin unit {code} (not the exact site)"
        i = iv.loc[r.intervention_id]
        features.append(
            {
                "type": "Feature",
                "geometry": geom,
                "properties": {
                    "intervention_id": r.intervention_id,
                    "kind": i["kind"],
                    "title": i["title"],
                    "start_date": i["start_date"] or None,
                    "end_date": i["end_date"] or None,
                    "place_name": r.place_name,
                    "country": r.country or None,
                    "pcode": r.pcode or None,
                    "adm1_pcode": r.adm1_pcode or None,
                    "adm2_pcode": r.adm2_pcode or None,
                    "adm3_pcode": r.adm3_pcode or None,
                    "reach": r.reach,
                    "precision": None if pd.isna(r.precision) else int(r.precision),
                    "geometry_basis": basis,
                    "funders": i["funders"],
                    "implementers": i["implementers"],
                    "evidence": i["evidence"],
                    "source_file": i["source_file"],
                },
            }
        )
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "selection": selection,
            "generated": datetime.now(UTC).isoformat(timespec="seconds"),
            "boundaries": f"{catalogue.boundaries.vintage}; {catalogue.boundaries.attribution}",
            "citations": citations(catalogue, interventions),
        },
        "features": features,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def to_excel(catalogue: Catalogue, table: pd.DataFrame, interventions: pd.DataFrame, selection: str, lang: str) -> bytes:
    buf = io.BytesIO()
    about = pd.DataFrame(
        {
            "": [
                selection,
                f"{catalogue.boundaries.vintage}; {catalogue.boundaries.attribution}",
                datetime.now(UTC).isoformat(timespec="seconds"),
                *citations(catalogue, interventions),
            ]
        }
    )
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        defuse_formulas(for_people(table, lang)).to_excel(xl, sheet_name="interventions", index=False)
        defuse_formulas(about).to_excel(xl, sheet_name="about", index=False, header=False)
        defuse_formulas(catalogue.sources).to_excel(xl, sheet_name="sources", index=False)
    return buf.getvalue()


def defuse_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe: shown, never executed."""
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v)
    return out


# the region × year long table: column -> HXL hashtag
YEAR_COLUMNS = {
    "intervention_id": "#activity+id",
    "title": "#activity+name",
    "kind": "#activity+type",
    "status": "#status",
    "planned": "#status+planned",
    "root_id": "#activity+id+root",
    "unit_pcode": "#adm+code",
    "unit_name": "#adm+name",
    "unit_level": "#adm+level",
    "coarser_only": "#meta+coarser_only",
    "year": "#date+year",
    "start_date": "#date+start",
    "end_date": "#date+end",
    "start_precision": "#meta+precision+start",
    "end_precision": "#meta+precision+end",
    "dates_approximate": "#meta+approximate",
    "open_ended": "#meta+open_ended",
    "place_precision": "#loc+precision",
    "source_id": "#meta+source",
    "citation": "#meta+source+citation",
}


def _yes_no(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Booleans as words a spreadsheet reader understands, in the page's language (never True/False)."""
    words = {True: t("export.yes", lang), False: t("export.no", lang)}
    return table.assign(**{c: table[c].map(words) for c in table.columns if table[c].dtype == bool})


def unit_years_csv(long: pd.DataFrame, selection: str, lang: str, sep: str = ",") -> bytes:
    """The long table with its HXL row and the filter sentence; sep=';' for French-locale Excel."""
    table = _yes_no(long, lang)
    hxl = pd.DataFrame([[YEAR_COLUMNS.get(c, "") for c in table.columns]], columns=table.columns)
    out = pd.concat([hxl, defuse_formulas(table.astype(str))], ignore_index=True)
    note = pd.DataFrame(
        [[f"{t('export.selection', lang)}: {selection}"] + [""] * (len(table.columns) - 1)], columns=table.columns
    )
    return pd.concat([out, note], ignore_index=True).to_csv(index=False, sep=sep).encode("utf-8-sig")


def unit_years_excel(long: pd.DataFrame, counted: pd.DataFrame, names: dict[str, str], selection: str, lang: str) -> bytes:
    buf = io.BytesIO()
    matrix = counted.rename(index=lambda p: names.get(p, p)).rename_axis(t("years.unit", lang))
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        defuse_formulas(for_people(long, lang)).to_excel(xl, sheet_name="long", index=False)
        matrix.to_excel(xl, sheet_name="matrix")
        pd.DataFrame({"": [selection, datetime.now(UTC).isoformat(timespec="seconds")]}).to_excel(
            xl, sheet_name="about", index=False, header=False
        )
    return buf.getvalue()


GAP_COLUMNS = {
    "rank": "#indicator+rank",
    "pcode": "#adm+code",
    "name": "#adm+name",
    "population": "#population",
    "in_need": "#inneed",
    "basis": "#meta+basis",
    "initiatives": "#activity+num",
    "broader": "#activity+num+broader",
    "mali_wide": "#activity+num+national",
    "planned": "#activity+num+planned",
    "organisations": "#org+num",
    "funders": "#org+funder+num",
    "last_year": "#date+year+last",
    "need_per_initiative": "#inneed+per_activity",
    "per_100k": "#activity+per100k",
}


def gaps_csv(table: pd.DataFrame, selection: str, citation: str, lang: str) -> bytes:
    """The ranking with its HXL row, the filter sentence and the need layer's citation."""
    out = table[list(GAP_COLUMNS)].astype(object).where(table[list(GAP_COLUMNS)].notna(), "")
    out["need_per_initiative"] = out["need_per_initiative"].map(lambda v: t("gaps.nothing", lang) if v == float("inf") else v)
    hxl = pd.DataFrame([list(GAP_COLUMNS.values())], columns=list(GAP_COLUMNS))
    notes = pd.DataFrame(
        [
            [f"{t('export.selection', lang)}: {selection}"] + [""] * (len(GAP_COLUMNS) - 1),
            [t("gaps.cite", lang, source=citation)] + [""] * (len(GAP_COLUMNS) - 1),
        ],
        columns=list(GAP_COLUMNS),
    )
    return pd.concat([hxl, defuse_formulas(out.astype(str)), notes], ignore_index=True).to_csv(index=False).encode("utf-8-sig")


def gaps_excel(table: pd.DataFrame, selection: str, citation: str, lang: str) -> bytes:
    buf = io.BytesIO()
    out = table[list(GAP_COLUMNS)].replace(float("inf"), None)
    out = out.assign(basis=out["basis"].map(lambda b: t(f"gaps.basis.{b}", lang)))
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        headed = out.rename(columns=lambda c: t("export.col.pcode" if c == "pcode" else f"gaps.col.{c}", lang))  # as on screen
        defuse_formulas(headed).to_excel(xl, sheet_name="ranking", index=False)
        pd.DataFrame(
            {"": [selection, t("gaps.cite", lang, source=citation), datetime.now(UTC).isoformat(timespec="seconds")]}
        ).to_excel(xl, sheet_name="about", index=False, header=False)
    return buf.getvalue()
