"""Fuzzing tier: bounded property-based runs; FUZZ_EXAMPLES raises the case count (make fuzz)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.bootstrap import load_all
from dashboard.ingest.catalogue import apply_catalogue
from dashboard.ingest.reference import load_areas
from dashboard.store.db import get_engine, migrate, session_scope

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))


@pytest.fixture(scope="session")
def national_sqlite(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The real data set in SQLite (curated LAIT measures only, to keep the tier quick)."""
    from tests.conftest import curated_lait_codes

    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('fz') / 'fuzz.db'}")
    load_all(engine, data_dir, progress=lambda _m: None, lait_measures=curated_lait_codes())
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def fuzz_store(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """An empty store with areas and the catalogue."""
    engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('fzs') / 'store.db'}")
    migrate(engine)
    with session_scope(engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))
        apply_catalogue(s)
    return engine
