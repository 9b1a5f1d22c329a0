"""A store loaded with the whole real national data set, once per backend per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.bootstrap import load_all
from dashboard.store.db import get_engine
from tests.conftest import reset_postgres, sibling_database


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql",
                                                              marks=pytest.mark.postgres)])
def national(request: pytest.FixtureRequest, data_dir: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Every real file loaded (LAIT, EES, neighbours, local, synthetic adults)."""
    if request.param == "sqlite":
        engine = get_engine(f"sqlite:///{tmp_path_factory.mktemp('nat') / 'national.db'}")
    else:
        engine = reset_postgres(sibling_database(request.getfixturevalue("pg_url"), "national"))
    load_all(engine, data_dir, progress=lambda _m: None)
    yield engine
    engine.dispose()
