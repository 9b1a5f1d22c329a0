"""Partner uploads: every rule refuses a bad file and leaves the store unchanged.

Good files preview, then commit in one transaction with history and the uploader's name,
and concurrent uploads end consistent.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from dashboard.auth import Forbidden, NotSignedIn
from dashboard.ingest import upload as upload_module
from dashboard.ingest.errors import LoadError
from dashboard.ingest.upload import (
    MAX_BYTES,
    TEMPLATE_COLUMNS,
    commit_upload,
    template_csv,
    validate_upload,
)
from dashboard.settings import DATA_DIR
from dashboard.store.models import (
    Area,
    DataLoad,
    Indicator,
    Observation,
    ObservationHistory,
    Period,
    RejectedRow,
)
from tests.integration._upload_support import (
    ADULTS,
    DATA_TABLES,
    HOME,
    Users,
    prepare_store,
    snapshot,
    template,
)

GOOD = "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q1,612,,,provisional,"
FINAL = "ASC_Concerns_Count,E06000033,financial_year,2021-22,1800,,,final,"


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> tuple[Engine, Users]:
    """Areas, catalogue, owners and users; no observations."""
    return empty_engine, prepare_store(empty_engine, data_dir)


def _values(engine: Engine) -> dict[tuple[str, str, str], tuple[object, ...]]:
    with engine.connect() as c:
        rows = c.execute(
            select(Indicator.code, Area.code, Period.label, Observation.value,
                   Observation.status, Observation.note, Observation.suppression)
            .join(Indicator, Indicator.id == Observation.indicator_id)
            .join(Area, Area.id == Observation.area_id)
            .join(Period, Period.id == Observation.period_id)).all()
    return {(r[0], r[1], r[2]): tuple(r[3:]) for r in rows}


BAD_FILES = [
    pytest.param(template(GOOD, "ASC_Nonsense,E06000033,quarter,2023-24 Q2,5,,,final,"),
                 "indicator", "unknown indicator", 3, id="unknown_indicator"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E99999999,quarter,2023-24 Q2,5,,,final,"),
                 "area_code", "unknown area", 3, id="unknown_area"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023/24 Q5,5,,,final,"),
                 "period", "unparseable period", 3, id="unparseable_period"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,fortnight,2023-24,5,,,final,"),
                 "period_type", "not a period type", 3, id="unknown_period_type"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2090-91 Q1,5,,,final,"),
                 "period", "period in the future", 3, id="future_period"),
    pytest.param(template(GOOD, GOOD), None, "duplicate row", 3, id="duplicate_rows"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,twelve,,,"
                                "final,"), "value", "text in a number column", 3,
                 id="text_in_value"),
    pytest.param(template(GOOD, "ASC_Conversion_Pct,E06000033,financial_year,2022-23,40,100,"
                                "lots,final,"), "denominator", "text in a number column", 3,
                 id="text_in_denominator"),
    pytest.param(template(GOOD, "ASC_Conversion_Pct,E06000033,financial_year,2022-23,140,,,"
                                "final,"), "value", "between 0 and 100", 3,
                 id="percentage_over_100"),
    pytest.param(template(GOOD, "ASC_Conversion_Pct,E06000033,financial_year,2022-23,40,500,"
                                "100,final,"), "numerator", "greater than the denominator", 3,
                 id="numerator_over_denominator"),
    pytest.param(template(GOOD, "ASC_Concerns_Count,E06000033,financial_year,2021-22,1850,,,"
                                "final,"), "value", "change a final figure", 3,
                 id="changes_final_value"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,5,,,draft,"),
                 "status", "status must be", 3, id="bad_status"),
    pytest.param(template(GOOD, "ASC_Concerns_Count,E06000033,quarter,2022-23 Q1,5,,,final,"),
                 "period_type", "reported by financial_year", 3, id="period_type_mismatch"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,-5,,,final,"),
                 "value", "cannot be negative", 3, id="negative_count"),
    pytest.param(template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,,,,final,"),
                 "value", "value is empty", 3, id="empty_value"),
    pytest.param(template("ASC_Concerns_Quarter,E06000033,2023-24 Q1,612",
                          header="indicator,area_code,period,value"),
                 "period_type", "required column is missing", 1, id="missing_column"),
    pytest.param(template(GOOD + ",x", header=",".join(TEMPLATE_COLUMNS) + ",numerater"),
                 "numerater", "unknown column", 1, id="unknown_column"),
    pytest.param(b"code,name,domain,theme,unit,polarity,frequency,definition,owner\n"
                 b"POLICE_Thing,Police thing,partnership,,number,none,monthly,,Essex Police\n",
                 "owner", "only for your own agency", 2, id="declares_for_other_agency"),
    pytest.param(b"", None, "the file is empty", None, id="empty_file"),
]


@pytest.mark.parametrize(("content", "column", "message", "row"), BAD_FILES)
def test_upload_rule_refuses_bad_file_and_store_is_unchanged(store, content, column, message,
                                                             row):
    """One bad file per rule: the report names row, column and reason; nothing is stored."""
    engine, users = store
    commit_upload(engine, template(FINAL), "base.csv", users.adults)
    before = snapshot(engine)
    report = validate_upload(engine, content, "bad.csv", users.adults)
    assert not report.ok and report.preview is None and report.token is None
    hits = [p for p in report.problems if message in p.message and p.column == column]
    assert hits, [str(p) for p in report.problems]
    assert {p.row for p in report.problems} == {row}
    assert snapshot(engine) == before  # validation stores nothing at all
    with pytest.raises(LoadError) as err:
        commit_upload(engine, content, "bad.csv", users.adults)
    assert any(message in p.message for p in err.value.problems)
    after = snapshot(engine)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}
    assert len(after["data_loads"]) == len(before["data_loads"]) + 1
    with engine.connect() as c:
        failed = c.execute(select(DataLoad).order_by(DataLoad.id.desc())).first()
        reasons = c.execute(select(RejectedRow.reason).where(
            RejectedRow.load_id == failed.id)).scalars().all()
    assert failed.status == "failed" and failed.loaded_by == "ada"
    assert any(message in r for r in reasons)


def test_upload_contributor_for_another_agency_is_refused(store):
    """A police contributor cannot upload adults' services' indicator; nothing is stored."""
    engine, users = store
    before = snapshot(engine)
    report = validate_upload(engine, template(GOOD), "police.csv", users.police)
    assert [(p.row, p.column) for p in report.problems] == [(2, "indicator")]
    assert f"belongs to {ADULTS}" in report.problems[0].message
    with pytest.raises(LoadError):
        commit_upload(engine, template(GOOD), "police.csv", users.police)
    after = snapshot(engine)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}


def test_upload_viewer_cannot_validate_or_commit(store):
    """Uploading needs the contributor role, on the server."""
    engine, users = store
    with pytest.raises(Forbidden):
        validate_upload(engine, template(GOOD), "x.csv", users.viewer)
    with pytest.raises(Forbidden):
        commit_upload(engine, template(GOOD), "x.csv", users.viewer)
    with pytest.raises(NotSignedIn):
        commit_upload(engine, template(GOOD), "x.csv", None)


def test_upload_preview_lists_insert_update_unchanged_and_stores_nothing(store):
    """The preview counts rows to add, update (old -> new) and leave, without writing."""
    engine, users = store
    commit_upload(engine, template(
        GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,600,,,provisional,"),
        "q1q2.csv", users.adults)
    before = snapshot(engine)
    content = template(
        GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,640,,,provisional,",
        "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q3,650,,,provisional,")
    report = validate_upload(engine, content, "q1q3.csv", users.adults)
    assert report.ok, report.problems
    assert report.preview is not None
    assert report.preview.counts == {"insert": 1, "update": 1, "unchanged": 1, "skipped": 0}
    (upd,) = report.preview.of("update")
    assert (upd.row, upd.period, upd.change()) == (3, "2023-24 Q2", "600 -> 640")
    assert upd.old is not None and upd.old["value"] == 600 and upd.new["value"] == 640
    assert "1 to add, 1 to update, 1 unchanged" in report.summary()
    assert snapshot(engine) == before


def test_upload_commit_writes_rows_keeps_history_and_records_who(store):
    """A commit stores every row, keeps the replaced version and names the uploader."""
    engine, users = store
    first = commit_upload(engine, template(
        "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,600,,,provisional,"),
        "q2.csv", users.adults)
    content = template(GOOD, "ASC_Concerns_Quarter,E06000033,quarter,2023-24 Q2,640,,,"
                             "provisional,checked")
    report = validate_upload(engine, content, "q1q2.csv", users.adults)
    result = commit_upload(engine, content, "q1q2.csv", users.adults,
                           expected_token=report.token)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 0)
    assert _values(engine)[("ASC_Concerns_Quarter", HOME, "2023-24 Q2")] == (
        640, "provisional", "checked", None)
    with engine.connect() as c:
        load = c.execute(select(DataLoad).where(DataLoad.id == result.load_id)).one()
        hist = c.execute(select(ObservationHistory)).one()
    assert (load.loaded_by, load.status, load.kind, load.format) == (
        "ada", "committed", "upload", "csv")
    assert load.checksum == report.checksum and load.rows_read == 2
    assert (hist.value, hist.load_id, hist.replaced_by_load_id) == (
        600, first.load_id, result.load_id)


def test_upload_revised_status_corrects_a_final_value(store):
    """A final figure changes only by an explicit correction (status revised), with history."""
    engine, users = store
    commit_upload(engine, template(FINAL), "base.csv", users.adults)
    fix = template("ASC_Concerns_Count,E06000033,financial_year,2021-22,1850,,,revised,"
                   "corrected after audit")
    result = commit_upload(engine, fix, "fix.csv", users.adults)
    assert result.updated == 1
    assert _values(engine)[("ASC_Concerns_Count", HOME, "2021-22")] == (
        1850, "revised", "corrected after audit", None)
    with engine.connect() as c:
        assert c.execute(select(ObservationHistory.value, ObservationHistory.status)).one() == (
            1800, "final")


def test_upload_note_only_change_to_final_value_is_allowed(store):
    """Adding a note to a final figure needs no correction status."""
    engine, users = store
    commit_upload(engine, template(FINAL), "base.csv", users.adults)
    result = commit_upload(engine, template(FINAL + "from the annual report"), "n.csv",
                           users.adults)
    assert result.updated == 1
    assert _values(engine)[("ASC_Concerns_Count", HOME, "2021-22")][1:3] == (
        "final", "from the annual report")


def _big_file(engine: Engine, bad_row: int | None) -> bytes:
    with engine.connect() as c:
        areas = c.execute(select(Area.code).where(Area.type == "la")
                          .order_by(Area.code)).scalars().all()
    lines = ["code,name,domain,theme,unit,polarity,frequency,definition,owner"]
    decl = "LOCAL_Bulk_Test,Bulk test,adults,Activity,number,none,monthly,Test,"
    rows = []
    for i in range(10_000):
        area = areas[i % len(areas)]
        month = i // len(areas)
        year, m = 2010 + month // 12, month % 12 + 1
        value = "n/a" if bad_row is not None and i + 1 == bad_row else str(i)
        rows.append(f"LOCAL_Bulk_Test,{area},month,{year}-{m:02d},{value},,,final,")
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(list(TEMPLATE_COLUMNS))
    for line in rows:
        ws.append(line.split(","))
    ind = wb.create_sheet("New indicators")
    ind.append(lines[0].split(","))
    ind.append(decl.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_row_5000_of_10000_bad_stores_nothing(store):
    """One bad row in the middle of 10,000 refuses the whole file: nothing is stored."""
    engine, users = store
    content = _big_file(engine, bad_row=5000)
    before = snapshot(engine)
    report = validate_upload(engine, content, "bulk.xlsx", users.admin)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(5001, "value", "n/a")]
    with pytest.raises(LoadError):
        commit_upload(engine, content, "bulk.xlsx", users.admin)
    after = snapshot(engine)
    assert {t: after[t] for t in DATA_TABLES} == {t: before[t] for t in DATA_TABLES}


def test_upload_failure_while_writing_rolls_back_every_row(store, monkeypatch):
    """A failure after the writer has inserted 10,000 rows leaves nothing stored."""
    engine, users = store
    content = _big_file(engine, bad_row=None)
    before = snapshot(engine)
    real = upload_module.write_observations

    def write_then_fail(session, batch, load_id, **kw):  # type: ignore[no-untyped-def]
        assert real(session, batch, load_id, **kw)[0] == 10_000
        raise RuntimeError("disk full")

    monkeypatch.setattr(upload_module, "write_observations", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        commit_upload(engine, content, "bulk.xlsx", users.admin)
    assert snapshot(engine) == before
    monkeypatch.setattr(upload_module, "write_observations", real)
    assert commit_upload(engine, content, "bulk.xlsx", users.admin).inserted == 10_000


def _quarters(first_year: int, values: list[int]) -> bytes:
    rows = []
    for i, v in enumerate(values):
        year, q = first_year + i // 4, i % 4 + 1
        rows.append(f"ASC_Concerns_Quarter,E06000033,quarter,{year}-{(year + 1) % 100:02d} "
                    f"Q{q},{v},,,provisional,")
    return template(*rows)


def _run_together(*jobs):  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i, job):  # type: ignore[no-untyped-def]
        barrier.wait()
        try:
            results[i] = job()
        except Exception as err:
            results[i] = err

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_upload_concurrent_overlapping_uploads_end_consistent(store):
    """Two users commit overlapping quarters at once: both land, one after the other."""
    engine, users = store
    a = _quarters(2021, [100, 101, 102, 103])  # 2021-22 Q1..Q4
    b = template(*[
        f"ASC_Concerns_Quarter,E06000033,quarter,{p},{v},,,provisional,"
        for p, v in (("2021-22 Q3", 202), ("2021-22 Q4", 203), ("2022-23 Q1", 204),
                     ("2022-23 Q2", 205))])
    ra, rb = _run_together(lambda: commit_upload(engine, a, "a.csv", users.admin),
                           lambda: commit_upload(engine, b, "b.csv", users.adults))
    assert not isinstance(ra, Exception) and not isinstance(rb, Exception), (ra, rb)
    first, second = sorted([ra, rb], key=lambda r: r.load_id)  # type: ignore[union-attr]
    assert (first.inserted + second.inserted, first.updated + second.updated) == (6, 2)
    values = _values(engine)
    assert len(values) == 6
    overlap_from_second = 202 if second is rb else 102
    assert values[("ASC_Concerns_Quarter", HOME, "2021-22 Q3")][0] == overlap_from_second
    with engine.connect() as c:
        obs = c.execute(select(Observation.value, Observation.load_id)).all()
        hist = c.execute(select(ObservationHistory.value, ObservationHistory.load_id,
                                ObservationHistory.replaced_by_load_id)).all()
    assert all(load in (first.load_id, second.load_id) for _, load in obs)
    assert sorted(h[0] for h in hist) == sorted(
        [102, 103] if second is rb else [202, 203])
    assert {(h[1], h[2]) for h in hist} == {(first.load_id, second.load_id)}


def test_upload_concurrent_commits_of_stale_previews_let_one_win(store):
    """Both users previewed; the first commit wins, the other is told to check again."""
    engine, users = store
    a = _quarters(2021, [100, 101, 102, 103])
    b = template("ASC_Concerns_Quarter,E06000033,quarter,2021-22 Q4,303,,,provisional,")
    ta = validate_upload(engine, a, "a.csv", users.admin).token
    tb = validate_upload(engine, b, "b.csv", users.adults).token
    ra, rb = _run_together(
        lambda: commit_upload(engine, a, "a.csv", users.admin, expected_token=ta),
        lambda: commit_upload(engine, b, "b.csv", users.adults, expected_token=tb))
    outcomes = [isinstance(r, LoadError) for r in (ra, rb)]
    assert sorted(outcomes) == [False, True], (ra, rb)
    err = ra if isinstance(ra, LoadError) else rb
    assert isinstance(err, LoadError)
    assert "changed after this file was checked" in err.problems[0].message
    winner_value = 103 if isinstance(rb, LoadError) else 303
    assert _values(engine)[("ASC_Concerns_Quarter", HOME, "2021-22 Q4")][0] == winner_value


FORMULA = '=HYPERLINK("http://evil.example/","click me")'


def test_upload_formula_like_csv_cells_are_stored_as_text(store):
    """A formula in a note is stored as its text, never run."""
    engine, users = store
    note = FORMULA.replace('"', '""')
    commit_upload(engine, template(GOOD[:-1] + f',"{note}"'), "f.csv", users.adults)
    assert _values(engine)[("ASC_Concerns_Quarter", HOME, "2023-24 Q1")][2] == FORMULA


def _xlsx(rows: list[list[object]], indicators: list[list[object]] | None = None,
          percent_cells: tuple[str, ...] = ()) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(list(TEMPLATE_COLUMNS))
    for r in rows:
        ws.append(r)
    for ref in percent_cells:
        ws[ref].number_format = "0.0%"
    if indicators is not None:
        ind = wb.create_sheet("New indicators")
        ind.append(["code", "name", "domain", "theme", "unit", "polarity", "frequency",
                    "definition", "owner"])
        for r in indicators:
            ind.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_upload_formula_cells_in_xlsx_are_text_never_evaluated(store):
    """A formula cell is read as its text: stored in a note, refused in a number column."""
    engine, users = store
    good = _xlsx([["ASC_Concerns_Quarter", HOME, "quarter", "2023-24 Q1", 612, None, None,
                   "provisional", FORMULA]])
    commit_upload(engine, good, "f.xlsx", users.adults)
    assert _values(engine)[("ASC_Concerns_Quarter", HOME, "2023-24 Q1")][2] == FORMULA
    bad = _xlsx([["ASC_Concerns_Quarter", HOME, "quarter", "2023-24 Q2", "=600+12", None,
                  None, "provisional", None]])
    report = validate_upload(engine, bad, "f.xlsx", users.adults)
    assert [(p.row, p.column, p.value) for p in report.problems] == [(2, "value", "=600+12")]


def test_upload_xlsx_declares_a_new_indicator_and_reloads_idempotently(store):
    """The New indicators sheet creates the contributor's indicator; a reload changes nothing."""
    engine, users = store
    content = _xlsx(
        [["ASC_LOCAL_Advocacy_Pct", HOME, "quarter", "2023-24 Q1", 0.875, 35, 40, "final", None]],
        [["ASC_LOCAL_Advocacy_Pct", "Enquiries with an advocate", "adults",
          "Making Safeguarding Personal", "percent", "high", "quarterly",
          "Section 42 enquiries where the person had an advocate", None]],
        percent_cells=("E2",))
    report = validate_upload(engine, content, "advocacy.xlsx", users.adults)
    assert report.ok, report.problems
    assert report.preview is not None
    assert report.preview.indicators_new == ["ASC_LOCAL_Advocacy_Pct"]
    result = commit_upload(engine, content, "advocacy.xlsx", users.adults)
    assert (result.inserted, result.indicators_created) == (1, ["ASC_LOCAL_Advocacy_Pct"])
    with engine.connect() as c:
        ind = c.execute(select(Indicator).where(Indicator.code == "ASC_LOCAL_Advocacy_Pct")).one()
    assert (ind.owner, ind.unit, ind.polarity) == (ADULTS, "percent", "high")
    assert _values(engine)[("ASC_LOCAL_Advocacy_Pct", HOME, "2023-24 Q1")][0] == 87.5
    again = commit_upload(engine, content, "advocacy.xlsx", users.adults)
    assert (again.inserted, again.updated, again.unchanged, again.indicators_created) == (
        0, 0, 1, [])


def test_upload_oversized_file_is_refused_quickly(store):
    """A file over 10 MB is refused at once with a clear message, before it is parsed."""
    engine, users = store
    content = b"x" * (MAX_BYTES + 1)
    start = time.perf_counter()
    report = validate_upload(engine, content, "huge.csv", users.adults)
    assert time.perf_counter() - start < 1.0
    assert "the limit is 10 MB" in report.problems[0].message


def test_upload_template_csv_in_data_matches_the_generated_one():
    """data/upload_template.csv is exactly what the download route serves."""
    assert (DATA_DIR / "upload_template.csv").read_bytes() == template_csv()


def test_upload_cli_checks_commits_and_rolls_back(store, tmp_path, capsys):
    """`upload <file> --by USER` stores the file; `rollback <id> --by ADMIN` undoes it."""
    from dashboard.__main__ import main

    engine, _users = store
    url = engine.url.render_as_string(hide_password=False)
    path = tmp_path / "q1.csv"
    path.write_bytes(template(GOOD))
    assert main(["--database-url", url, "upload", str(path), "--by", "ada"]) == 0
    assert "1 added" in capsys.readouterr().out
    with engine.connect() as c:
        load_id = c.execute(select(DataLoad.id).where(DataLoad.kind == "upload")).scalar_one()
    assert main(["--database-url", url, "rollback", str(load_id), "--by", "ada"]) == 2
    assert main(["--database-url", url, "rollback", str(load_id), "--by", "admin"]) == 0
    assert _values(engine) == {}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(template("ASC_Nonsense,E06000033,quarter,2023-24 Q1,5,,,final,"))
    assert main(["--database-url", url, "upload", str(bad), "--by", "ada"]) == 2
    assert "row 2, column 'indicator'" in capsys.readouterr().err


DECLARE = b"code,name,domain,theme,unit,polarity,frequency,definition,owner\n"


def test_upload_indicator_file_declares_and_updates_only_own_indicators(store):
    """A catalogue CSV creates the contributor's indicator, may edit it, never a national one."""
    engine, users = store
    first = DECLARE + b"ASC_LOCAL_Waits,Days waiting for a first visit,adults,Activity,days,low,"
    first += b"monthly,Median days from concern to first visit,\n"
    result = commit_upload(engine, first, "catalogue.csv", users.adults)
    assert result.indicators_created == ["ASC_LOCAL_Waits"]
    edited = first.replace(b"Median days", b"Median working days")
    report = validate_upload(engine, edited, "catalogue.csv", users.adults)
    assert report.preview is not None
    assert report.preview.indicators_updated == ["ASC_LOCAL_Waits"]
    takeover = DECLARE + b"ReReferral,Re-referrals,children,Front door,percent,low,annual,,\n"
    refused = validate_upload(engine, takeover, "catalogue.csv", users.adults)
    assert [(p.row, p.column) for p in refused.problems] == [(2, "code")]
    assert "belongs to the national catalogue" in refused.problems[0].message
