"""Rollback restores exactly the values a load replaced, or refuses and says why.

A rollback is refused when later loads changed the same figures, and records who did it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from dashboard.auth import Forbidden
from dashboard.ingest.local import load_local
from dashboard.ingest.rollback import (
    RollbackError,
    load_history,
    rejected_rows,
    rejected_rows_csv,
    rollback_load,
)
from dashboard.ingest.upload import commit_upload
from dashboard.store.models import DataLoad, ObservationHistory
from tests.integration._upload_support import Users, prepare_store, snapshot, template

Q = "ASC_Concerns_Quarter,E06000033,quarter,{p},{v},,,{s},{n}"


def _rows(*items: tuple[str, object, str, str]) -> bytes:
    return template(*[Q.format(p=p, v=v, s=s, n=n) for p, v, s, n in items])


@pytest.fixture
def store(empty_engine: Engine, data_dir: Path) -> tuple[Engine, Users]:
    """Areas, catalogue, owners, users, and two quarters already stored."""
    users = prepare_store(empty_engine, data_dir)
    commit_upload(empty_engine, _rows(("2022-23 Q1", 500, "provisional", ""),
                                      ("2022-23 Q2", 510, "final", "as published")),
                  "base.csv", users.adults)
    return empty_engine, users


def _observations(engine: Engine) -> list[tuple[object, ...]]:
    return snapshot(engine, ("observations",))["observations"]


def test_rollback_restores_exactly_the_values_before_the_load(store):
    """Updated rows get their earlier version back (same ids, every field); inserted rows go."""
    engine, users = store
    before = _observations(engine)
    load = commit_upload(engine, _rows(("2022-23 Q1", 505, "final", "checked"),
                                       ("2022-23 Q2", 515, "revised", "corrected"),
                                       ("2022-23 Q3", 520, "provisional", "")),
                         "change.csv", users.adults)
    assert (load.inserted, load.updated) == (1, 2)
    assert _observations(engine) != before
    result = rollback_load(engine, load.load_id, users.admin)
    assert (result.restored, result.removed) == (2, 1)
    assert _observations(engine) == before


def test_rollback_is_recorded_and_keeps_the_rolled_back_versions(store):
    """The load is marked rolled_back; the rollback is a load by the admin; nothing is lost."""
    engine, users = store
    load = commit_upload(engine, _rows(("2022-23 Q1", 505, "final", ""),
                                       ("2022-23 Q3", 520, "provisional", "")),
                         "change.csv", users.adults)
    result = rollback_load(engine, load.load_id, users.admin)
    with engine.connect() as c:
        original = c.execute(select(DataLoad).where(DataLoad.id == load.load_id)).one()
        rb = c.execute(select(DataLoad).where(DataLoad.id == result.rollback_load_id)).one()
        kept = c.execute(select(ObservationHistory.value).where(
            ObservationHistory.replaced_by_load_id == result.rollback_load_id)).scalars().all()
    assert original.status == "rolled_back" and "rolled back by admin" in original.message
    assert (rb.kind, rb.status, rb.loaded_by, rb.rows_updated) == (
        "rollback", "committed", "admin", 1)
    assert f"rollback of load {load.load_id}" in rb.message
    assert sorted(kept) == [505, 520]
    history = [h.to_dict() for h in load_history(engine)]
    assert history[0]["kind"] == "rollback" and history[0]["loaded_by"] == "admin"


def test_rollback_refused_when_a_later_load_changed_the_same_values(store):
    """A later load on the same figures blocks the rollback, naming it; nothing changes."""
    engine, users = store
    first = commit_upload(engine, _rows(("2022-23 Q3", 520, "provisional", "")), "q3.csv",
                          users.adults)
    second = commit_upload(engine, _rows(("2022-23 Q3", 530, "provisional", "")), "q3b.csv",
                           users.admin)
    before = snapshot(engine)
    with pytest.raises(RollbackError) as err:
        rollback_load(engine, first.load_id, users.admin)
    assert f"load {second.load_id} (upload, admin" in err.value.message
    assert "roll them back first" in err.value.message
    assert "ASC_Concerns_Quarter for E06000033, 2022-23 Q3" in err.value.message
    assert snapshot(engine) == before
    # Newest first: then the earlier load can go too, and the store is as it started.
    rollback_load(engine, second.load_id, users.admin)
    rollback_load(engine, first.load_id, users.admin)
    with engine.connect() as c:
        assert c.execute(select(DataLoad.status).where(
            DataLoad.id.in_([first.load_id, second.load_id]))).scalars().all() == [
            "rolled_back", "rolled_back"]


def test_rollback_chain_restores_the_original_store(store):
    """Rolling back every later load, newest first, gives back the starting observations."""
    engine, users = store
    start = _observations(engine)
    ids = [commit_upload(engine, _rows(("2022-23 Q1", v, "provisional", f"v{v}")), f"{v}.csv",
                         users.adults).load_id for v in (501, 502, 503)]
    for load_id in reversed(ids):
        rollback_load(engine, load_id, users.admin)
    assert _observations(engine) == start


def test_rollback_refuses_twice_unknown_failed_and_rollback_loads(store):
    """Only a committed load can be rolled back, once."""
    engine, users = store
    load = commit_upload(engine, _rows(("2022-23 Q3", 520, "provisional", "")), "q3.csv",
                         users.adults)
    result = rollback_load(engine, load.load_id, users.admin)
    with pytest.raises(RollbackError, match="already rolled back"):
        rollback_load(engine, load.load_id, users.admin)
    with pytest.raises(RollbackError, match="itself a rollback"):
        rollback_load(engine, result.rollback_load_id, users.admin)
    with pytest.raises(RollbackError, match="There is no load 9999"):
        rollback_load(engine, 9999, users.admin)
    with pytest.raises(Exception):  # noqa: B017 - a LoadError; the failed load is recorded
        commit_upload(engine, _rows(("2022-23 Q9", 1, "final", "")), "bad.csv", users.adults)
    with engine.connect() as c:
        failed = c.execute(select(DataLoad.id).where(DataLoad.status == "failed")).scalar_one()
    with pytest.raises(RollbackError, match="was refused"):
        rollback_load(engine, failed, users.admin)
    assert "unparseable period" in rejected_rows(engine, failed)[0].message
    assert b"unparseable period" in rejected_rows_csv(engine, failed)


def test_rollback_needs_an_admin(store):
    """Contributors (even the uploader) and viewers cannot roll back."""
    engine, users = store
    load = commit_upload(engine, _rows(("2022-23 Q3", 520, "provisional", "")), "q3.csv",
                         users.adults)
    for user in (users.adults, users.viewer, users.police):
        with pytest.raises(Forbidden):
            rollback_load(engine, load.load_id, user)


def test_rollback_works_for_a_national_style_import(store, data_dir):
    """Any load through the common writer can be rolled back, e.g. the local figures file."""
    engine, users = store
    before = _observations(engine)
    result = load_local(engine, data_dir / "local/southend_adults_safeguarding_published.csv")
    assert result.inserted > 0
    rollback_load(engine, result.load_id, users.admin)
    assert _observations(engine) == before


def test_rejected_rows_csv_neutralises_formulas(store):
    """A refused value that looks like a formula is exported as text, not run by Excel."""
    engine, users = store
    with pytest.raises(Exception):  # noqa: B017 - the LoadError is recorded as a failed load
        commit_upload(engine, template('ASC_Concerns_Quarter,E06000033,quarter,2022-23 Q4,'
                                       '"=HYPERLINK(""http://x"")",,,final,'), "f.csv",
                      users.adults)
    with engine.connect() as c:
        failed = c.execute(select(DataLoad.id).where(DataLoad.status == "failed")).scalar_one()
    text = rejected_rows_csv(engine, failed).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
