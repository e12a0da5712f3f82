"""Command line: `python -m malimap validate [PATH]`, `... boundaries fetch|import PATH|status`, `... layers import FILE|status`,
`... import-3w FILE --into DIR`, `... propose ARTICLE [--json] [--into DIR]`, `... import-iati FILE_OR_FOLDER... --into DIR [--sectors 152]`, `... prepare [PATH]`, `... serve --replicas N`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from malimap import config


def _validate(args: argparse.Namespace) -> int:
    from malimap.dataset import validate_dataset

    path = Path(args.path or config.data_dir())
    try:
        issues = validate_dataset(path, seeds=Path(args.seeds) if args.seeds else None)
    except FileNotFoundError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    errors = [i for i in issues if i.severity == "error"]
    for issue in issues:
        if issue.severity == "error" or not args.quiet:
            print(issue, file=sys.stderr if issue.severity == "error" else sys.stdout)
    print(f"{path}: {len(errors)} error(s), {len(issues) - len(errors)} warning(s)")
    return 1 if errors else 0


def _boundaries(args: argparse.Namespace) -> int:
    from malimap.geo.boundaries import BoundaryError, active_boundaries, import_boundaries
    from malimap.geo.fetch import fetch_boundaries

    try:
        if args.action == "fetch":
            meta = fetch_boundaries(args.url, timeout=args.timeout)
        elif args.action == "import":
            if not args.path:
                print("ERROR give the file or folder to import", file=sys.stderr)
                return 2
            meta = import_boundaries(Path(args.path))
        else:
            b = active_boundaries()
            print(f"{b.source} {b.vintage}: levels {b.levels}; {b.attribution}")
            if b.warning:
                print(f"WARNING {b.warning}")
            return 0
    except BoundaryError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for level, s in meta["sizes"].items():
        print(f"{level}: {s['units']} units, {s['bytes_before']:,} -> {s['bytes_after']:,} bytes of GeoJSON")
    print(f"stored in {config.cache_dir() / 'cod-ab'} ({meta['vintage']}; {meta['attribution']})")
    return 0


def _layers(args: argparse.Namespace) -> int:
    from malimap.geo.boundaries import active_boundaries
    from malimap.sheets.need_layers import LayerError, cached_layers, import_layer

    if args.action == "status":
        layers = cached_layers()
        for layer in layers:
            m = layer.meta
            print(
                f"{layer.name}: {m.get('accepted')} units (finest level {layer.finest_level}), {m.get('rejected_rows')} row(s) "
                f"rejected, {m.get('translated')} translated; from {m.get('file')}; {layer.citation}"
            )
        if not layers:
            print(f"no need layer in {config.cache_dir() / 'layers'} (python -m malimap layers import FILE)")
        return 0
    if not args.path:
        print("ERROR give the CSV or XLSX file to import", file=sys.stderr)
        return 2
    try:
        layer = import_layer(
            Path(args.path),
            active_boundaries().units,
            name=args.name,
            source=args.source or "",
            licence=args.licence or "",
            year=args.year or "",
        )
    except (LayerError, FileNotFoundError) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for r in layer.translated.itertuples():
        print(f"row {r.row}: {r._2} -> {r.to}: {r.why}")
    for r in layer.rejected.itertuples():
        print(f"ERROR row {r.row}, column '{r.column}': value '{r.value}': {r.error}", file=sys.stderr)
    m = layer.meta
    print(
        f"{layer.name}: {m['accepted']} unit(s) stored, {m['rejected_rows']} row(s) rejected; columns {m['columns']}; "
        f"ignored {m['ignored_columns']}; cite as: {layer.citation or '(no source given: use --source)'}"
    )
    return 0 if m["accepted"] else 1


def _import_3w(args: argparse.Namespace) -> int:
    from malimap.dataset import DatasetError
    from malimap.sheets.packages import import_3w
    from malimap.sheets.reader import UploadError

    try:
        report = import_3w(Path(args.file), Path(args.into))
    except (UploadError, FileNotFoundError) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except DatasetError as exc:
        print(f"ERROR the package would not be valid; nothing written: {exc}", file=sys.stderr)
        return 1
    print(report)
    for r in report.result.rejected.itertuples():
        print(f"  rejected row {r.row}, column {r.column}: {r.error}", file=sys.stderr)
    return 0


def _import_iati(args: argparse.Namespace) -> int:
    from malimap.dataset import DatasetError
    from malimap.iati.keep import import_iati

    prefixes = tuple(p.strip() for p in (args.sectors or "").split(",") if p.strip())
    if any(not p.isdigit() for p in prefixes):
        print(f"ERROR --sectors takes DAC code prefixes such as 152 or 15220,15210: got {args.sectors!r}", file=sys.stderr)
        return 2
    from malimap.iati.rates import RateError, read_rates

    try:
        rates = read_rates(Path(args.rates)) if args.rates else None
        report = import_iati([Path(p) for p in args.paths], Path(args.into), prefixes, rates=rates)
    except RateError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except DatasetError as exc:
        print(f"ERROR the package would not be valid; nothing written: {exc}", file=sys.stderr)
        return 1
    print(report)
    if args.report:
        report.activities.to_csv(args.report, index=False)
        print(f"one line per activity: {args.report}")
    else:
        for r in report.activities[report.activities["outcome"] != "imported"].head(args.show).itertuples():
            print(f"  {r.outcome} {r.file} #{r.position} {r.identifier}: {r.reasons}")
    return 1 if report.refused else 0


def _propose(args: argparse.Namespace) -> int:
    import json

    from malimap.dataset import DatasetError
    from malimap.propose.article import ArticleError
    from malimap.propose.run import propose_file, summary

    try:
        article, candidates = propose_file(Path(args.file), args.lang, published=args.published or "")
    except (ArticleError, FileNotFoundError) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    from malimap.propose.run import review_records

    records = review_records(candidates)
    if args.json:
        print(json.dumps({"records": [c.as_json() for c in candidates]}, ensure_ascii=False, indent=1))
    else:
        print(summary(article, candidates))
    if not args.into:
        return 0
    from malimap.geo.boundaries import active_boundaries
    from malimap.propose.keep import ReviewError, SourceInfo, keep_into

    if args.accept:
        try:
            records = json.loads(Path(args.accept).read_text(encoding="utf-8"))["records"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"ERROR {args.accept}: not a reviewed proposal file ({{'records': [...]}}): {exc}", file=sys.stderr)
            return 2
    source = SourceInfo(Path(args.file).name, args.title or "", args.publisher or "", args.published or "", args.url or "")
    try:
        from malimap.dataset import load_dataset_cached

        known = load_dataset_cached().organisations
        kept = keep_into(records, article, source, Path(args.into), active_boundaries().units, known)
    except (DatasetError, ReviewError) as exc:
        print(f"ERROR nothing written: {exc}", file=sys.stderr)
        return 1
    print(kept, file=sys.stderr if args.json else sys.stdout)
    return 0


def _prepare(args: argparse.Namespace) -> int:
    import time

    from malimap.dataset import DatasetError
    from malimap.ops.deploy import prepare

    data, cache = Path(args.path or config.data_dir()).resolve(), config.cache_dir()
    started = time.perf_counter()
    try:
        prepare(data, cache, public=config.public_setting())
    except config.SettingError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 2
    except DatasetError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    print(f"{data}: caches ready in {cache} ({time.perf_counter() - started:.1f} s); replicas can mount it read-only")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from malimap.ops.deploy import serve_forever

    try:
        return serve_forever(args.replicas, args.port)
    except (RuntimeError, config.SettingError) as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="malimap", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="check a data package folder (default: the shipped data/)")
    v.add_argument("path", nargs="?")
    v.add_argument("--seeds", help="folder of seed documents to check quotes against")
    v.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    v.set_defaults(func=_validate)
    b = sub.add_parser("boundaries", help="official COD-AB boundaries: fetch from HDX, import a file, or show status")
    b.add_argument("action", choices=["fetch", "import", "status"])
    b.add_argument("path", nargs="?")
    b.add_argument("--url", help="HDX base address (default: MALIMAP_HDX_URL or HDX)")
    b.add_argument("--timeout", type=float, default=30)
    b.set_defaults(func=_boundaries)
    n = sub.add_parser("layers", help="need layers (population, people in need) per unit: import a CSV/XLSX, or show them")
    n.add_argument("action", choices=["import", "status"])
    n.add_argument("path", nargs="?")
    n.add_argument("--name", help="short name (default: the file name)")
    n.add_argument("--source", help="who published the figures (default: the file's source column)")
    n.add_argument("--licence", help="e.g. CC BY 4.0")
    n.add_argument("--year", help="year the figures describe (default: the file's year column)")
    n.set_defaults(func=_layers)
    k = sub.add_parser("import-3w", help="keep a 3W sheet's accepted rows as a data package (new, or merged into DIR)")
    k.add_argument("file", help="CSV or XLSX, our column names or HXL hashtags")
    k.add_argument("--into", required=True, help="the data package folder to create or add to")
    k.set_defaults(func=_import_3w)
    ia = sub.add_parser("import-iati", help="keep IATI activities in Mali (XML files, zips or folders of them) as a data package")
    ia.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER", help="IATI 2.01-2.03 activity XML, .zip of them, or a folder")
    ia.add_argument("--into", required=True, help="the data package folder to create or add to")
    ia.add_argument("--sectors", help="keep only activities with a DAC code under these prefixes, e.g. 152 or 15210,15220")
    ia.add_argument("--report", help="write the per-activity report (CSV) here")
    ia.add_argument("--rates", help="CSV currency,to_currency,rate[,year]: convert figures with these rates (named on each)")
    ia.add_argument("--show", type=int, default=50, help="how many flagged or skipped activities to print (default 50)")
    ia.set_defaults(func=_import_iati)
    po = sub.add_parser("propose", help="candidate records from an article (.txt, .md, .html), each fact with its quote")
    po.add_argument("file", help="the article: .txt, .md or .html")
    po.add_argument("--lang", choices=["fr", "en"], help="the article's language (default: read from its words)")
    po.add_argument("--json", action="store_true", help="print the candidates as JSON (the review file's shape)")
    po.add_argument("--into", help="keep the candidates in this data package folder (created if absent), validated first")
    po.add_argument("--accept", help="with --into: keep the records of this reviewed JSON file instead of all candidates")
    po.add_argument("--title", help="the source row's title (default: the article's own)")
    po.add_argument("--publisher", help="who published the article")
    po.add_argument("--published", help="publication date, YYYY[-MM[-DD]] (default: the page's metadata, if any)")
    po.add_argument("--url", help="where the article was read")
    po.set_defaults(func=_propose)
    pr = sub.add_parser("prepare", help="build the caches replicas read (tables, catalogue, map files) into MALIMAP_CACHE_DIR")
    pr.add_argument("path", nargs="?", help="data package folder (default: MALIMAP_DATA_DIR or data/)")
    pr.set_defaults(func=_prepare)
    r = sub.add_parser("serve", help="several app servers behind HAProxy, sticky sessions, one shared cache (DEPLOY.md)")
    r.add_argument("--replicas", type=int, default=2)
    r.add_argument("--port", type=int, default=8500, help="the balancer's port; replicas take the next ones")
    r.set_defaults(func=_serve)
    args = ap.parse_args(argv)
    return args.func(args)
