"""The current map as a standalone SVG for slides, made on the server from the map's own spec (no browser, no
internet): what a presenter pastes into a slide when the room has no screen-sharing."""

from __future__ import annotations

import math
from html import escape

import shapely

from malimap.catalogue.build import Catalogue
from malimap.outputs.legend import unit_fill
from malimap.outputs.map_spec import unpack
from malimap.schema import LEVEL_OF_LENGTH


def map_svg(catalogue: Catalogue, spec: dict, level: int, *, title: str, sentence: str, stamp: str, width: int = 1200) -> str:
    """The current map as a standalone SVG for slides: units, planned hatching, outlines of records known only at a
    broader level, event circles, legend, filters, attribution, date; Bamako marked where it would be a speck.

    Made from the same simplified geometry and the same spec as the screen, with no browser and no internet. The units
    are clipped to the map's frame, so a filtered view's neighbours never run over the title, the filters or the legend.
    Long because it draws in paint order (units, hatching, outlines, circles, legend, title, attribution) into one SVG.
    """
    layers = catalogue.boundaries.layers
    layer = layers[level]
    (s, w), (n, e) = spec["bounds"]
    k = math.cos(math.radians((s + n) / 2))
    map_w, pad, legend_w, top = width * 0.68, 16, width * 0.3, 70
    scale = (map_w - 2 * pad) / max((e - w) * k, 1e-9)
    map_h = (n - s) * scale + 2 * pad + top + 20
    head_lines = _wrap(sentence, int(map_w / 7.5))[:3]
    top += 17 * max(0, len(head_lines) - 1)
    map_h += 17 * max(0, len(head_lines) - 1)

    def px(lon, lat) -> tuple[float, float]:
        return pad + (lon - w) * k * scale, top + pad + (n - lat) * scale

    def path(geom) -> str:
        parts = []
        for poly in getattr(geom, "geoms", [geom]):
            for ring in [poly.exterior, *poly.interiors]:
                parts.append("M" + "L".join("{:.1f},{:.1f}".format(*px(x, y)) for x, y in ring.coords) + "Z")
        return "".join(parts)

    clip = shapely.box(w - 0.5, s - 0.5, e + 0.5, n + 0.5)
    out = [
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">'
        '<rect width="3" height="8" fill="#333" fill-opacity="0.75"/></pattern>'
        '<pattern id="dots" patternUnits="userSpaceOnUse" width="6" height="6"><rect width="6" height="6" fill="#fff"/>'
        '<circle cx="3" cy="3" r="1.1" fill="#737373"/></pattern>'
        f'<clipPath id="frame"><rect x="0" y="{top}" width="{map_w:.0f}" height="{map_h - top:.0f}"/></clipPath></defs>',
        f'<text x="{pad}" y="34" font-size="24" font-weight="bold">{escape(title)}</text>',
        *(f'<text x="{pad}" y="{58 + 17 * i}" font-size="14">{escape(line)}</text>' for i, line in enumerate(head_lines)),
        '<g clip-path="url(#frame)">',
    ]
    classes, _, planned = unpack(spec)
    for i, (pcode, geom) in enumerate(zip(layer["pcode"], layer.geometry)):
        if not geom.intersects(clip):
            continue
        c = classes[i]
        fill = unit_fill(spec, c, dots="url(#dots)")
        d = path(geom)
        out.append(
            f'<path d="{d}" fill="{fill}" stroke="#4d4d4d" stroke-width="{spec["line_weight"]}"><title>{escape(pcode)}</title></path>'
        )
        if planned[i] and c != -2:
            out.append(f'<path d="{d}" fill="url(#hatch)" stroke="none"/>')
    out += _svg_overlays(spec, layers, px, path)
    out.append("</g>")
    out += _svg_bamako(layer, level, px, scale, spec)
    y = 90
    lx = map_w + 10
    for line in _wrap(spec["legend"]["title"], int(legend_w / 9)):
        out.append(f'<text x="{lx}" y="{y}" font-size="16" font-weight="bold">{escape(line)}</text>')
        y += 20
    y -= 20
    for swatch, text in spec["legend"]["rows"]:
        y += 26
        fill = {"hatch": "url(#hatch)", "dots": "url(#dots)", "coarse": "none", "event": "#ffffff"}.get(swatch, swatch)
        dash = ' stroke-dasharray="4 3"' if swatch == "coarse" else ""
        shape = (
            f'<circle cx="{lx + 9}" cy="{y - 5}" r="7" fill="#fff" stroke="#222" stroke-width="2"/>'
            if swatch == "event"
            else f'<rect x="{lx}" y="{y - 14}" width="18" height="18" fill="{fill}" stroke="#555"{dash}/>'
        )
        lines = _wrap(text, int((legend_w - 30) / 8)) or [""]
        out.append(shape + f'<text x="{lx + 26}" y="{y}" font-size="14">{escape(lines[0])}</text>')
        for line in lines[1:]:  # a long row wraps under itself: nothing runs past the image's edge
            y += 17
            out.append(f'<text x="{lx + 26}" y="{y}" font-size="14">{escape(line)}</text>')
    for block in (spec["legend"]["sentence"], (spec["national"] or {}).get("text", ""), spec["legend"]["note"], stamp):
        if not block:
            continue
        y += 14
        for line in _wrap(block, int(legend_w / 7)):
            y += 17
            out.append(f'<text x="{lx}" y="{y}" font-size="12" fill="#222">{escape(line)}</text>')
    height = int(max(map_h, y + 24))
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif">\n<rect width="{width}" height="{height}" fill="#ffffff"/>'
    )
    return "\n".join([head, *out, "</svg>"])


def _svg_overlays(spec: dict, layers: dict, px, path) -> list[str]:
    """What the legend names besides the units: dashed outlines with their "↑ n" of records known only at a broader
    level, and the event circles (the same radius rule as the screen)."""
    out = []
    for c in spec.get("coarse") or []:
        lv = LEVEL_OF_LENGTH.get(len(c["p"]))
        shape = layers[lv].loc[layers[lv]["pcode"] == c["p"], "geometry"] if lv in layers else []
        for geom in shape:
            out.append(
                f'<path d="{path(geom)}" fill="none" stroke="#111" stroke-width="2.5" stroke-dasharray="6 5" class="coarse"/>'
            )
        x, y = px(c["lon"], c["lat"])
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="13" font-weight="bold" text-anchor="middle" fill="#111" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke" class="coarse-label">{escape(c["text"])}</text>'
        )
    for m in spec.get("markers") or []:
        x, y = px(m["lon"], m["lat"])
        r = spec["marker_radius"] + min(int(m["n"]), 6)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" fill="#ffffff" fill-opacity="0.85" stroke="#222" stroke-width="1.5" '
            f'class="event"><title>{escape(str(m["text"]))}</title></circle>'
        )
    return out


def _svg_bamako(layer, level: int, px, scale: float, spec: dict) -> list[str]:
    """Bamako (one small district among large regions) marked with a ring and its name when drawn smaller than a
    fingertip on a slide, and only when it is inside the frame."""
    hit = layer[layer["pcode"].str.startswith("ML09")]
    if hit.empty:
        return []
    minx, miny, maxx, maxy = hit.total_bounds
    if (maxx - minx) * scale > 24 and (maxy - miny) * scale > 24:
        return []
    (s, w), (n, e) = spec["bounds"]
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if not (w <= cx <= e and s <= cy <= n):
        return []
    x, y = px(cx, cy)
    return [
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="14" fill="none" stroke="#111" stroke-width="2" class="bamako"/>',
        f'<text x="{x + 18:.1f}" y="{y + 5:.1f}" font-size="13" font-weight="bold" fill="#111" stroke="#fff" '
        f'stroke-width="3" paint-order="stroke">Bamako</text>',
    ]


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])
