"""``python -m dashboard pack``: a meeting pack PDF from the command line (a monthly cron job).

    python -m dashboard pack --area E06000033 --domain children --theme "Front door"
        --vintage 2021 --period 2020 --out pack.pdf

Progress goes to stderr; the exit code is 0 when the file is written, 2 for a bad request
(with the reason) and 3 when charts cannot be drawn here (no Chromium).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine


def add_pack_parser(sub: Any) -> None:
    """Add the ``pack`` subcommand to the CLI's subparsers."""
    p = sub.add_parser("pack", help="build a meeting pack PDF",
                       description="Build a meeting pack PDF for an area and a domain, "
                                   "theme or list of indicators.")
    p.add_argument("--area", help="home area ONS code (default: HOME_AREA)")
    p.add_argument("--domain", default="children",
                   choices=["children", "adults", "partnership"])
    p.add_argument("--theme", help="one theme of the domain (default: all themes)")
    p.add_argument("--codes", help="indicator codes separated by commas, instead of a theme")
    p.add_argument("--vintage", help="comparator group vintage, e.g. 2021 (default: latest)")
    p.add_argument("--period", help="as at this year or period label (default: latest)")
    p.add_argument("--out", type=Path, required=True, help="the PDF to write")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def run_pack(engine: Engine, args: argparse.Namespace) -> int:
    """Build the pack the arguments describe and write it to ``--out``."""
    from dashboard import queries
    from dashboard.exports.content import ExportError, split_codes
    from dashboard.exports.pack import PackRequest, build_pack
    from dashboard.exports.renderer import RendererUnavailable
    from dashboard.settings import get_settings

    started = time.perf_counter()

    def progress(fraction: float, message: str) -> None:
        if not args.quiet:
            print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)

    codes = split_codes(args.codes, list(queries.indicators(engine)["code"])) \
        if args.codes else ()
    req = PackRequest(area=(args.area or get_settings().home_area).upper(), domain=args.domain,
                      theme=args.theme, codes=codes, vintage=args.vintage, period=args.period)
    try:
        pdf = build_pack(engine, req, progress)
    except ExportError as err:
        where = f" ({err.parameter})" if err.parameter else ""
        print(f"error{where}: {err.message}", file=sys.stderr)
        return 2
    except RendererUnavailable as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(args.out.suffix + ".part")
    tmp.write_bytes(pdf)
    tmp.replace(args.out)  # a scheduled run never leaves half a file under the real name
    print(f"wrote {args.out} ({len(pdf) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0
