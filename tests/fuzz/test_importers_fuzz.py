"""Hypothesis on the importers and parsers: bad input is a LoadError or PeriodError, never a
crash, and a refused file writes nothing."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dashboard.ingest.errors import LoadError
from dashboard.ingest.local import load_local
from dashboard.periods import PeriodError, parse_local_period, parse_year_label
from dashboard.store.models import Observation
from tests.fuzz.conftest import FUZZ_EXAMPLES

HEADER = ["measure", "area_code", "period_type", "period", "value", "status", "numerator",
          "denominator"]
cell = st.one_of(
    st.text(alphabet=string.printable, max_size=12),
    st.sampled_from(["", "c", "[x]", "-1", "1e309", "NaN", "=1+1", "2020-21", "2020-21 Q5",
                     "E06000033", "E99999999", "Section 47 enquiries", "quarter", "snapshot",
                     "final", "provisional", "140", "0"]),
)


@settings(max_examples=FUZZ_EXAMPLES * 3, deadline=None)
@given(label=st.text(max_size=20), kind=st.sampled_from(
    ["reporting_year", "academic_year", "calendar_year", "snapshot_31_march", "january"]))
def test_year_labels_parse_or_raise_period_error(label, kind):
    """Any text is a period or a PeriodError, nothing else."""
    try:
        period, status = parse_year_label(label, kind)
    except PeriodError:
        return
    assert period.start <= period.end
    assert status in {"final", "revised", "provisional"}


@settings(max_examples=FUZZ_EXAMPLES * 3, deadline=None)
@given(ptype=st.text(max_size=15) | st.sampled_from(["quarter", "month", "snapshot"]),
       label=st.text(max_size=15))
def test_local_periods_parse_or_raise_period_error(ptype, label):
    """Any partner period is a period or a PeriodError."""
    try:
        period = parse_local_period(ptype, label)
    except PeriodError:
        return
    assert period.start <= period.end


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cell, min_size=len(HEADER), max_size=len(HEADER)), min_size=1,
                     max_size=6))
def test_local_importer_refuses_or_loads_whole(fuzz_store, tmp_path_factory, rows):
    """A generated upload either loads every row or raises LoadError and writes nothing."""
    import csv

    path: Path = tmp_path_factory.mktemp("fz") / "upload.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    with fuzz_store.connect() as c:
        before = c.scalar(select(func.count()).select_from(Observation))
    try:
        result = load_local(fuzz_store, path)
    except LoadError as err:
        assert err.problems
        assert all(p.file == "upload.csv" for p in err.problems)
        with fuzz_store.connect() as c:
            assert c.scalar(select(func.count()).select_from(Observation)) == before
        return
    assert result.rows_read == len(rows)
