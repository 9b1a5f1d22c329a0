"""A real store for the callback and browser tiers, built once per test session.

CI has no prepared database, so the session builds one from the published files with
``dashboard.bootstrap.load_all`` (LAIT limited to the curated catalogue's codes: about 30 s).
Set ``DASHBOARD_TEST_DB`` to an already-loaded SQLite file to copy it instead (quicker when
iterating locally).
"""

from __future__ import annotations

import csv
import importlib.util
import os
import shutil
import sys
import types
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.settings import DATA_DIR

DB_NAME = "dashboard-test.db"


def curated_codes() -> set[str]:
    """The indicator codes of the curated catalogue (the LAIT measures the views show)."""
    with open(DATA_DIR / "catalogue.csv", newline="", encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


def _ensure_ees_importable() -> None:
    """Let `load_all` run while the EES importer is still being written elsewhere.

    `load_all` imports `dashboard.ingest.ees`; if that module does not exist yet, a stand-in
    that loads nothing takes its place, so the views are tested on LAIT, neighbours, local and
    synthetic data (everything they need).
    """
    if importlib.util.find_spec("dashboard.ingest.ees") is None:
        stub = types.ModuleType("dashboard.ingest.ees")
        stub.load_ees = lambda engine, folder: None  # type: ignore[attr-defined]
        sys.modules["dashboard.ingest.ees"] = stub


def build_test_db(base: Path) -> Path:
    """The path of a loaded SQLite store under `base`, building it the first time."""
    path = base / DB_NAME
    ready = base / (DB_NAME + ".ready")
    if ready.exists():
        return path
    prepared = os.environ.get("DASHBOARD_TEST_DB")
    if prepared:
        shutil.copyfile(prepared, path)
        ready.touch()
        return path
    from dashboard.bootstrap import load_all
    from dashboard.sources import find_data_dir
    from dashboard.store.db import get_engine

    data_dir = find_data_dir()
    if data_dir is None:
        pytest.skip("the published data files are not available (see data/sources.toml)")
    _ensure_ees_importable()
    engine: Engine = get_engine(f"sqlite:///{path}")
    load_all(engine, data_dir, progress=lambda _msg: None, lait_measures=curated_codes())
    ready.touch()
    return path


def session_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store per test session, shared by the callback and browser tiers."""
    return build_test_db(tmp_path_factory.getbasetemp())
