"""Plotly figures (no Streamlit here). Every label from the data is escaped: hover text shows markup as text."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from malimap.i18n import label, t
from malimap.schema import KINDS

KIND_COLOURS = {"programme": "#1b7837", "project": "#2166ac", "event": "#b2182b"}
SAFE_KIND_COLOURS = {"programme": "#009E73", "project": "#0072B2", "event": "#D55E00"}  # Okabe-Ito


def _esc(text) -> str:
    return html.escape(str(text))


def _short(text: str, n: int = 60) -> str:
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def _count_axis(fig: go.Figure, top: float, axis: str = "x") -> None:
    """Counts are whole numbers: no 0.5 ticks on a small chart."""
    step = max(1, int(top // 8) or 1)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(dtick=step, tick0=0, rangemode="tozero")


def _layout(fig: go.Figure, large: bool, height: int | None = None) -> go.Figure:
    fig.update_xaxes(tickfont={"size": 16 if large else 12})
    fig.update_yaxes(tickfont={"size": 16 if large else 12})
    if fig.layout.title.text:  # the title below the chart's toolbar, never under it
        fig.update_layout(title={"x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 34}})
    fig.update_layout(
        font={"size": 18 if large else 13},
        margin={"l": 10, "r": 10, "t": 90 if large else 80, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        height=height,
        hoverlabel={"font_size": 16 if large else 13},
    )
    return fig


def date_text(row, lang: str) -> str:
    """Dates as the source gives them, marked when approximate; unknown says unknown."""
    start, end = row.get("start_date") or "", row.get("end_date") or ""
    if not start and not end:
        return t("date.unknown", lang)
    text = start if (not end or end == start) else f"{start} → {end}"
    if not start:
        text = f"… → {end}"
    return text + (" " + t("date.approx", lang) if row.get("dates_approximate") else "")


def timeline_figure(items: pd.DataFrame, group_column: str, lang: str, large: bool = False, safe: bool = False) -> go.Figure:
    """Bars from the earliest to the latest day each partial date allows; imprecise dates hatched, days as markers."""
    colours = SAFE_KIND_COLOURS if safe else KIND_COLOURS
    dated = items[items["date_lo"].notna()].copy()
    dated["y"] = [f"{_esc(_short(g, 28))} · {_esc(_short(ti, 55))}" for g, ti in zip(dated[group_column], dated["title_display"])]
    dated = dated.sort_values([group_column, "date_lo"], ascending=[False, False])
    fig = go.Figure()
    for kind in KINDS:
        sub = dated[dated["kind"] == kind]
        if sub.empty:
            continue
        exact_day = (
            (sub["start_precision"] == "day") & (sub["end_precision"].isin(["day", ""])) & (sub["date_lo"] == sub["date_hi"])
        )
        for trace in (_span_bars(sub[~exact_day], kind, lang, colours), _day_points(sub[exact_day], kind, lang, colours, large)):
            if trace is not None:
                fig.add_trace(trace)
    fig.update_xaxes(type="date", title=None)
    fig.update_yaxes(title=None, automargin=True)
    return _layout(fig, large, height=max(300, 28 * dated["y"].nunique() + 120))


def _span_bars(bars: pd.DataFrame, kind: str, lang: str, colours: dict) -> go.Bar | None:
    """A bar per record from its earliest to its latest possible day, hatched when a date is imprecise."""
    if not len(bars):
        return None
    hover = [
        f"<b>{_esc(r.title_display)}</b><br>{_esc(label('kinds', r.kind, lang))}: {_esc(date_text(r._asdict(), lang))}"
        f"<br>{_esc(r.organisations)}"
        for r in bars.itertuples()
    ]
    imprecise = (
        (bars["start_precision"] != "day") | (bars["end_precision"].isin(["year", "month", ""])) | bars["dates_approximate"]
    )
    return go.Bar(
        y=bars["y"],
        base=bars["date_lo"],
        x=(bars["date_hi"] - bars["date_lo"] + pd.Timedelta(days=1)).dt.total_seconds() * 1000,
        orientation="h",
        name=label("kinds", kind, lang),
        marker={
            "color": colours[kind],
            "pattern": {
                "shape": ["/" if i else "" for i in imprecise],
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "solidity": 0.3,
            },
        },
        hovertext=hover,
        hoverinfo="text",
        legendgroup=kind,
    )


def _day_points(points: pd.DataFrame, kind: str, lang: str, colours: dict, large: bool) -> go.Scatter | None:
    """A diamond per record known to the day."""
    if not len(points):
        return None
    return go.Scatter(
        y=points["y"],
        x=points["date_lo"],
        mode="markers",
        name=label("kinds", kind, lang) + " · " + t("timeline.day", lang),
        marker={"symbol": "diamond", "size": 14 if large else 11, "color": colours[kind], "line": {"width": 1, "color": "#000"}},
        hovertext=[
            f"<b>{_esc(r.title_display)}</b><br>{_esc(date_text(r._asdict(), lang))}<br>{_esc(r.organisations)}"
            for r in points.itertuples()
        ],
        hoverinfo="text",
        legendgroup=kind,
    )


def year_counts_figure(counts: pd.DataFrame, lang: str, large: bool = False, safe: bool = False) -> go.Figure:
    colours = SAFE_KIND_COLOURS if safe else KIND_COLOURS
    fig = go.Figure()
    for kind in KINDS:
        sub = counts[counts["kind"] == kind]
        fig.add_trace(go.Bar(x=sub["year"], y=sub["interventions"], name=label("kinds", kind, lang), marker_color=colours[kind]))
    fig.update_layout(barmode="stack", title=t("timeline.per_year", lang))
    fig.update_xaxes(dtick=1, title=None)
    _count_axis(fig, counts.groupby("year")["interventions"].sum().max() if len(counts) else 1, "y")
    fig.update_yaxes(title=t("measure.interventions", lang))
    return _layout(fig, large, height=350)


def funder_sankey(flows: pd.DataFrame, lang: str, large: bool = False) -> go.Figure:
    """funder -> implementer -> intervention, widths = number of links.

    Columns are placed by hand (funders at the left edge, implementers at 38 %, interventions at the right edge) and
    spaced by the longest column, so at 1280 px the middle labels end before the right column's labels begin.
    """
    flows = flows.assign(implementer=flows["implementer"].replace("?", t("funders.unknown_implementer", lang)))
    columns = [
        [f"F:{x}" for x in dict.fromkeys(flows["funder"])],
        [f"I:{x}" for x in dict.fromkeys(flows["implementer"])],
        [f"V:{x}" for x in dict.fromkeys(flows["intervention"])],
    ]
    nodes = [n for col in columns for n in col]
    index = {n: k for k, n in enumerate(nodes)}
    fi = flows.groupby(["funder", "implementer"]).size().reset_index(name="n")
    iv = flows.groupby(["implementer", "intervention"]).size().reset_index(name="n")
    source = [index[f"F:{a}"] for a in fi["funder"]] + [index[f"I:{a}"] for a in iv["implementer"]]
    target = [index[f"I:{b}"] for b in fi["implementer"]] + [index[f"V:{b}"] for b in iv["intervention"]]
    xs = [x for col, x in zip(columns, (0.001, 0.38, 0.999)) for _ in col]
    ys = [(k + 0.5) / len(col) for col in columns for k in range(len(col))]
    width = (32, 30, 42)  # characters per column's labels
    labels = [_esc(_short(n[2:], width[c])) for c, col in enumerate(columns) for n in col]
    colours = ["#1b7837"] * len(columns[0]) + ["#2166ac"] * len(columns[1]) + ["#969696"] * len(columns[2])
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "pad": 16,
                "thickness": 14,
                "x": xs,
                "y": ys,
                "color": colours,
                "customdata": [_esc(n[2:]) for n in nodes],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            link={"source": source, "target": target, "value": list(fi["n"]) + list(iv["n"])},
            textfont={"size": 15 if large else 12, "color": "#1a1a1a"},
        )
    )
    fig.update_layout(title=t("funders.sankey_title", lang))
    tallest = max(len(col) for col in columns)
    return _layout(fig, large, height=max(400, (34 if large else 28) * tallest + 120))


def funder_bar(counts: pd.DataFrame, lang: str, large: bool = False) -> go.Figure:
    names = [_esc(_short(n, 45)) for n in counts["funder"]]
    fig = go.Figure(
        [
            go.Bar(y=names, x=counts["direct"], orientation="h", name=t("funders.direct", lang), marker_color="#1b7837"),
            go.Bar(y=names, x=counts["inherited"], orientation="h", name=t("funders.inherited", lang), marker_color="#a6dba0"),
        ]
    )
    fig.update_layout(barmode="stack", title=t("funders.per_funder", lang))
    _count_axis(fig, (counts["direct"] + counts["inherited"]).max())
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, large, height=max(300, 40 * len(counts) + 120))


def theme_bar(counts: pd.DataFrame, labels: dict[str, str], lang: str, large: bool = False) -> go.Figure:
    """Themes with at least one record; how many have none is said under the title, not drawn as empty bars."""
    empty = int((counts["interventions"] == 0).sum())
    counts = counts[counts["interventions"] > 0]
    names = [_esc(labels.get(c, c)) for c in counts["code"]]
    fig = go.Figure(go.Bar(y=names, x=counts["interventions"], orientation="h", marker_color="#2166ac"))
    title = t("funders.per_theme", lang)
    if empty:
        title += "<br><sup>" + _esc(t("funders.themes_empty", lang, n=empty)) + "</sup>"
    fig.update_layout(title=title)
    _count_axis(fig, counts["interventions"].max() if len(counts) else 1)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, large, height=max(300, 32 * len(counts) + 100))


def partnership_matrix(pairs: pd.DataFrame, names: dict[str, str], lang: str, large: bool = False, top: int = 12) -> go.Figure:
    """Who works with whom: a symmetric matrix of shared interventions, for the `top` most connected organisations."""
    weight = pd.concat([pairs[["a", "together"]].rename(columns={"a": "o"}), pairs[["b", "together"]].rename(columns={"b": "o"})])
    keep = set(weight.groupby("o")["together"].sum().sort_values(ascending=False, kind="stable").head(top).index)
    pairs = pairs[pairs["a"].isin(keep) & pairs["b"].isin(keep)]
    orgs = sorted(keep, key=lambda o: str(names.get(o, o)).lower())
    idx = {o: k for k, o in enumerate(orgs)}
    z = [[0] * len(orgs) for _ in orgs]
    for a, b, n in pairs[["a", "b", "together"]].itertuples(index=False):
        z[idx[a]][idx[b]] = z[idx[b]][idx[a]] = int(n)
    labels = [_esc(_short(names.get(o, o), 32)) for o in orgs]
    zmax = max(1, max(max(r) for r in z)) if z else 1
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=labels,
            colorscale="Greens",
            hoverongaps=False,
            zmin=0,
            zmax=zmax,
            text=[[str(v) if v else "" for v in r] for r in z],
            texttemplate="%{text}",
            hovertemplate="%{y} + %{x}: %{z}<extra></extra>",
            colorbar={"title": t("orgs.together", lang), "dtick": max(1, zmax // 5), "tick0": 0},
        )
    )
    fig.update_layout(title=t("orgs.matrix_title", lang))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, large, height=max(450, 24 * len(orgs) + 200))


def unit_year_heatmap(
    counted: pd.DataFrame,
    planned: pd.DataFrame,
    names: dict[str, str],
    words: dict[str, str],
    large: bool = False,
    safe: bool = False,
) -> go.Figure:
    """Units × years, the count in each cell; planned-only work in the hover. Invisible points catch clicks on cells."""
    rows = [_esc(names.get(p, p)) for p in counted.index]
    years = [int(y) for y in counted.columns]
    z = counted.to_numpy()
    hover = [
        [
            f"<b>{rows[i]}</b> · {y}<br>{z[i][j]} {words['one' if z[i][j] == 1 else 'other']}"
            + (f"<br>{_esc(words['planned'])}: {planned.iat[i, j]}" if planned.iat[i, j] else "")
            for j, y in enumerate(years)
        ]
        for i in range(len(rows))
    ]
    scale = "Viridis_r" if safe else [[0, "#f7f7f7"], [0.0001, "#c7e9c0"], [1, "#006d2c"]]
    p = planned.to_numpy()
    text = [[(str(v) if v else "") + (f" (+{q})" if q else "") for v, q in zip(zr, pr)] for zr, pr in zip(z, p)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=years,
            y=rows,
            text=text,
            texttemplate="%{text}",
            hoverinfo="skip",
            colorscale=scale,
            zmin=0,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    # clicks and hover go to invisible points at the cell centres (a heat map cell itself cannot be selected)
    fig.add_trace(
        go.Scatter(
            x=[y for _ in rows for y in years],
            y=[r for r in rows for _ in years],
            mode="markers",
            customdata=[[code, y] for code in counted.index for y in years],
            hovertext=[h for row in hover for h in row],
            hoverinfo="text",
            showlegend=False,
            marker={"size": 28 if large else 22, "symbol": "square", "opacity": 0},
        )
    )
    fig.update_xaxes(dtick=1, side="top", title=None)
    fig.update_yaxes(autorange="reversed", title=None)
    return _layout(fig, large, height=max(260, 60 + (34 if large else 26) * len(rows)))
