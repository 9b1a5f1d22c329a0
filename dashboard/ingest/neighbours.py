"""Import the DfE's children's services statistical neighbour groupings (2021 and 2025 models).

Each LA has ten neighbours, ordered from the closest, each with a closeness label. Neighbours are
given by DfE number and mapped to areas, whose ONS codes the rest of the dashboard uses. A
grouping's vintage is kept, because groupings change and a dashboard must say which it used.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from dashboard.ingest.errors import LoadError, Problem
from dashboard.ingest.writer import LoadResult, file_checksum, record_failure
from dashboard.store.db import session_scope
from dashboard.store.models import Area, ComparatorGroup, ComparatorMember, DataLoad

NAME = "DfE children's services statistical neighbours"


def _vintage(path: Path) -> str:
    m = re.search(r"(20\d\d)", path.name)
    if not m:
        raise LoadError([Problem(path.name, None, None, None,
                                 "cannot tell the vintage (a year such as 2021) from the name")])
    return m.group(1)


def parse_neighbours(path: Path) -> list[tuple[int, int, int, str | None, int]]:
    """Rows of (home DfE number, position, neighbour DfE number, closeness, source row)."""
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    home_col = next((c for c in ("LA num", "old_la_code", "la_code") if c in df.columns), None)
    sn_cols = [c for c in df.columns if re.fullmatch(r"SN_?\d+", c)]
    problems: list[Problem] = []
    if home_col is None:
        problems.append(Problem(path.name, 1, "LA num", None,
                                "no column with the home LA number (LA num or old_la_code)"))
    if len(sn_cols) != 10:
        problems.append(Problem(path.name, 1, "SN1..SN10", None,
                                f"expected ten neighbour columns, found {len(sn_cols)}"))
    if problems:
        raise LoadError(problems)
    cols = list(df.columns)
    out = []
    for i, rec in enumerate(df.itertuples(index=False), start=2):
        row = dict(zip(cols, rec, strict=True))
        home = row[str(home_col)].strip()
        if not home and not any(row[c].strip() for c in sn_cols):
            continue  # a spacer or section heading ("Old SNs:") inside the published sheet
        if not home.isdigit():
            problems.append(Problem(path.name, i, home_col, home, "is not a DfE LA number"))
            continue
        for pos, col in enumerate(sorted(sn_cols, key=lambda c: int(re.sub(r"\D", "", c))), 1):
            n = row[col].strip()
            # The closeness label is the column that follows the neighbour's number.
            label_col = cols[cols.index(col) + 1]
            label = (row[label_col] or "").strip() or None
            if not n.isdigit():
                problems.append(Problem(path.name, i, col, n, "is not a DfE LA number"))
                continue
            out.append((int(home), pos, int(n), label.capitalize() if label else None, i))
    if problems:
        raise LoadError(problems)
    return out


def load_neighbours(engine: Engine, path: Path, *, loaded_by: str = "system") -> LoadResult:
    """Load one grouping file as the comparator group of its vintage, in one transaction."""
    checksum = file_checksum(path)
    rows: list = []
    try:
        vintage = _vintage(path)
        rows = parse_neighbours(path)
        with session_scope(engine) as s:
            return _write(s, path, checksum, vintage, rows, loaded_by)
    except LoadError as err:
        record_failure(engine, "neighbours", path, checksum, loaded_by, err.problems, len(rows))
        raise


def _write(s: Session, path: Path, checksum: str, vintage: str, rows: list,
           loaded_by: str) -> LoadResult:
    ids = {a.dfe_number: a.id for a in s.scalars(select(Area)) if a.dfe_number is not None}
    problems = [
        Problem(path.name, r[4], "neighbour" if num == r[2] else "home", str(num),
                "unknown DfE LA number")
        for r in rows for num in (r[0], r[2]) if num not in ids
    ]
    if problems:
        raise LoadError(problems)
    group = s.scalar(select(ComparatorGroup).where(ComparatorGroup.kind == "children",
                                                   ComparatorGroup.vintage == vintage))
    wanted = {(ids[h], p): (ids[n], c) for h, p, n, c, _ in rows}
    inserted = updated = unchanged = 0
    if group is None:
        group = ComparatorGroup(kind="children", vintage=vintage, name=f"{NAME} ({vintage})",
                                source=f"Department for Education, {path.name}")
        s.add(group)
        s.flush()
        have: dict = {}
    else:
        have = {(m.area_id, m.position): (m.neighbour_id, m.closeness)
                for m in s.scalars(select(ComparatorMember)
                                   .where(ComparatorMember.group_id == group.id))}
    for key, val in wanted.items():
        if key not in have:
            inserted += 1
        elif have[key] != val:
            updated += 1
        else:
            unchanged += 1
    if inserted or updated or len(have) != len(wanted):
        s.execute(delete(ComparatorMember).where(ComparatorMember.group_id == group.id))
        s.add_all(ComparatorMember(group_id=group.id, area_id=a, position=p, neighbour_id=n,
                                   closeness=c) for (a, p), (n, c) in wanted.items())
    load = DataLoad(kind="neighbours", file_name=path.name, checksum=checksum, format="csv",
                    status="committed", rows_read=len(rows), rows_inserted=inserted,
                    rows_updated=updated, rows_unchanged=unchanged, loaded_by=loaded_by,
                    finished_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    s.add(load)
    s.flush()
    return LoadResult(load.id, len(rows), inserted, updated, unchanged)
