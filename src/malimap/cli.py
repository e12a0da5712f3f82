"""Command line: `python -m malimap validate [PATH]`, `python -m malimap boundaries fetch|import PATH|status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config


def _validate(args: argparse.Namespace) -> int:
    from .dataset import validate_dataset

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
    from .boundaries import BoundaryError, active_boundaries, fetch_boundaries, import_boundaries

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
    args = ap.parse_args(argv)
    return args.func(args)
