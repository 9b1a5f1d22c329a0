"""Command line: `python -m dashboard <command>`.

    init                      create or upgrade the schema
    load-all [--data-dir D]   load every published file (first-run load)
    load <kind> <path>        load one file: lait, ees, neighbours, local
    fetch [--refresh]         download the published files and verify their checksums
    demo-adults               (re)generate the synthetic adults' demo comparators
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.ingest.errors import LoadError
from dashboard.store.db import get_engine, migrate


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="default: DATABASE_URL or data/dashboard.db")
    parser.add_argument("--by", default="cli", help="who is loading (recorded with the load)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init")
    p_all = sub.add_parser("load-all")
    p_all.add_argument("--data-dir", type=Path)
    p_all.add_argument("--no-synthetic", action="store_true")
    p_load = sub.add_parser("load")
    p_load.add_argument("kind", choices=["lait", "ees", "neighbours", "local"])
    p_load.add_argument("path", type=Path)
    p_load.add_argument("--dictionary", type=Path, help="LAIT data dictionary (lait only)")
    p_fetch = sub.add_parser("fetch")
    p_fetch.add_argument("--refresh", action="store_true")
    p_fetch.add_argument("--base-url")
    sub.add_parser("demo-adults")
    args = parser.parse_args(argv)

    if args.command == "fetch":
        from dashboard.sources import SourceError, fetch

        try:
            got = fetch(base_url=args.base_url, refresh=args.refresh)
        except SourceError as err:
            print(f"error: {err}", file=sys.stderr)
            return 1
        print(f"{len(got)} file(s) downloaded and verified.")
        return 0

    engine = get_engine(args.database_url)
    try:
        if args.command == "init":
            migrate(engine)
        elif args.command == "load-all":
            from dashboard.bootstrap import load_all, locate_data

            load_all(engine, args.data_dir or locate_data(), synthetic=not args.no_synthetic)
        elif args.command == "demo-adults":
            from dashboard.ingest.synthetic import load_synthetic_adults

            migrate(engine)
            print(load_synthetic_adults(engine, loaded_by=args.by))
        else:
            migrate(engine)
            print(_load_one(engine, args))
    except LoadError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _load_one(engine, args):  # type: ignore[no-untyped-def]
    kind, path = args.kind, args.path
    if kind == "lait":
        from dashboard.ingest.lait import load_lait

        dictionary = args.dictionary or path.with_name("lait_data_dictionary.csv")
        return load_lait(engine, path, dictionary, loaded_by=args.by)
    if kind == "ees":
        from dashboard.ingest.ees import load_ees

        return load_ees(engine, path, loaded_by=args.by)
    if kind == "neighbours":
        from dashboard.ingest.neighbours import load_neighbours

        return load_neighbours(engine, path, loaded_by=args.by)
    from dashboard.ingest.local import load_local

    return load_local(engine, path, loaded_by=args.by)


if __name__ == "__main__":
    sys.exit(main())
