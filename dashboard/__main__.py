"""Command line: `python -m dashboard <command>`.

init                      create or upgrade the schema
load-all [--data-dir D]   load every published file (first-run load)
load <kind> <path>        load one file: lait, ees, neighbours, local
fetch [--refresh]         download the published files and verify their checksums
demo-adults               (re)generate the synthetic adults' demo comparators
forecast [--area A ...] [--all-areas]
                          compute and store demand forecasts (default: home area, comparators)
create-admin <username>   create the first admin (asks for the password)
add-user <username> --role viewer|contributor|admin [--agency A]
upload <file> --by USER [--check-only]
                          check and commit a partner's file (template, Fingertips or SAC)
rollback <load_id> --by ADMIN
                          restore the values a load replaced
set-owner <code> [agency] --by ADMIN
                          say which agency's contributors may upload an indicator
pack --out F [--area A] [--domain D] [--theme T | --codes A,B] [--vintage V] [--period P]
                          build a meeting pack PDF (for a scheduled monthly run)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

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
    p_fc = sub.add_parser("forecast", help="compute and store demand forecasts")
    p_fc.add_argument("--area", action="append", help="ONS code; repeat for more areas")
    p_fc.add_argument("--all-areas", action="store_true", help="every area (about a minute)")
    _add_user_commands(sub)
    from dashboard.exports.cli import add_pack_parser, run_pack

    add_pack_parser(sub)
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
        elif args.command == "forecast":
            return _forecast(engine, args)
        elif args.command == "pack":
            return run_pack(engine, args)
        elif args.command in USER_COMMANDS:
            migrate(engine)
            return _user_command(engine, args)
        else:
            migrate(engine)
            print(_load_one(engine, args))
    except LoadError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


USER_COMMANDS = ("create-admin", "add-user", "upload", "rollback", "set-owner")


def _add_user_commands(sub: Any) -> None:
    p = sub.add_parser("create-admin")
    p.add_argument("username")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p = sub.add_parser("add-user")
    p.add_argument("username")
    p.add_argument("--role", required=True, choices=["viewer", "contributor", "admin"])
    p.add_argument("--agency")
    p.add_argument("--password-stdin", action="store_true")
    # `dest="user"`: the top-level --by (free text for national loads) must not shadow these.
    p = sub.add_parser("upload")
    p.add_argument("path", type=Path)
    p.add_argument("--by", dest="user", required=True, help="the contributor or admin")
    p.add_argument("--check-only", action="store_true", help="report and preview; store nothing")
    p = sub.add_parser("rollback")
    p.add_argument("load_id", type=int)
    p.add_argument("--by", dest="user", required=True, help="the admin")
    p = sub.add_parser("set-owner")
    p.add_argument("code")
    p.add_argument("agency", nargs="?", default=None)
    p.add_argument("--by", dest="user", required=True, help="the admin")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise SystemExit("error: the passwords differ")
    return first


def _user_command(engine: Engine, args: argparse.Namespace) -> int:
    from dashboard.auth import AuthError, UserError, create_user, get_user

    try:
        if args.command in ("create-admin", "add-user"):
            role = "admin" if args.command == "create-admin" else args.role
            user = create_user(engine, args.username, _password(args.password_stdin), role,
                               getattr(args, "agency", None))
            print(f"created {user.role} {user.username}"
                  + (f" ({user.agency})" if user.agency else ""))
            return 0
        who = get_user(engine, args.user)
        if who is None:
            print(f"error: there is no user called {args.user!r} (add-user first)",
                  file=sys.stderr)
            return 2
        if args.command == "upload":
            from dashboard.ingest.upload import commit_upload, read_file, validate_upload

            content = read_file(args.path)
            report = validate_upload(engine, content, args.path.name, who)
            for p in report.problems:
                print(f"  - {p}", file=sys.stderr)
            print(report.summary())
            if not report.ok:
                return 2
            if not args.check_only:
                print(commit_upload(engine, content, args.path.name, who,
                                    expected_token=report.token).summary())
        elif args.command == "rollback":
            from dashboard.ingest.rollback import RollbackError, rollback_load

            try:
                print(rollback_load(engine, args.load_id, who).summary())
            except RollbackError as err:
                print(f"error: {err.message}", file=sys.stderr)
                return 2
        else:
            from dashboard.ingest.upload import set_indicator_owner

            set_indicator_owner(engine, args.code, args.agency, who)
            print(f"{args.code} is now owned by {args.agency or 'nobody (admins only)'}")
    except (UserError, AuthError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _load_one(engine: Engine, args: argparse.Namespace) -> object:
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


def _forecast(engine: Engine, args: argparse.Namespace) -> int:
    from dashboard.forecast import compute_forecasts

    migrate(engine)
    report = compute_forecasts(engine, args.area, all_areas=args.all_areas)
    print(f"{report.stored} forecast(s) stored for {report.areas} area(s) from {report.series} "
          f"series; {report.shown} beat their baseline and are shown ({report.seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
