"""First-run setup: migrate the store and load every real published file, with progress.

`python app.py` calls `ensure_loaded` so that a newcomer's first start creates the SQLite
database and loads the national data; later starts find it loaded and start at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.forecast import compute_forecasts
from dashboard.ingest.lait import load_lait
from dashboard.ingest.local import load_local
from dashboard.ingest.neighbours import load_neighbours
from dashboard.ingest.reference import load_areas
from dashboard.ingest.synthetic import load_synthetic_adults
from dashboard.sources import SourceError, fetch, find_data_dir
from dashboard.store.db import is_migrated, migrate, session_scope
from dashboard.store.models import Observation

Progress = Callable[[str], None]

NEIGHBOUR_FILES = (
    "dfe/statistical_neighbours/New_Statistical_Neighbour_Groupings_April_2021.csv",
    "dfe/statistical_neighbours/sn_model_2025_wide.csv",
)
LOCAL_FILE = "local/southend_adults_safeguarding_published.csv"


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def locate_data(progress: Progress = _say) -> Path:
    """The folder holding the published files, downloading them if none has them."""
    found = find_data_dir()
    if found:
        return found
    progress("Published files not found locally; downloading them from the publishers...")
    try:
        fetch()
    except SourceError as err:
        raise SystemExit(f"Could not get the published files: {err}") from err
    found = find_data_dir()
    if not found:
        raise SystemExit("The published files are still missing after the download.")
    return found


def load_all(
    engine: Engine, data_dir: Path, *, progress: Progress = _say, synthetic: bool = True,
    lait_measures: set[str] | None = None,
) -> dict[str, float]:
    """Migrate and load everything, in dependency order; returns seconds per step."""
    from dashboard.ingest.ees import load_ees

    timings: dict[str, float] = {}
    steps: list[tuple[str, Callable[[], object]]] = [
        ("schema", lambda: migrate(engine)),
        ("areas", lambda: _areas(engine, data_dir)),
        ("LAIT (434 measures, every LA)", lambda: load_lait(
            engine, data_dir / "dfe/lait/bds_long.parquet",
            data_dir / "dfe/lait/lait_data_dictionary.csv", measures=lait_measures)),
        ("Explore Education Statistics files", lambda: load_ees(engine, data_dir / "dfe/ees")),
        ("statistical neighbours 2021 and 2025", lambda: [
            load_neighbours(engine, data_dir / f) for f in NEIGHBOUR_FILES]),
    ]
    if (data_dir / LOCAL_FILE).is_file():
        steps.append(("partnership's published figures",
                      lambda: load_local(engine, data_dir / LOCAL_FILE)))
    if synthetic:
        steps.append(("synthetic adults' demo comparators",
                      lambda: load_synthetic_adults(engine)))
    # Last, once every series is in: forecasts are computed at load time, never on a page.
    steps.append(("demand forecasts (home area and its comparators)",
                  lambda: compute_forecasts(engine)))
    for i, (name, step) in enumerate(steps, 1):
        t0 = time.perf_counter()
        progress(f"[{i}/{len(steps)}] Loading {name}...")
        step()
        timings[name] = time.perf_counter() - t0
        progress(f"      done in {timings[name]:.1f} s")
    return timings


def _areas(engine: Engine, data_dir: Path) -> None:
    with session_scope(engine) as s:
        load_areas(s, sorted((data_dir / "dfe/ees").glob("*.csv")))


def is_loaded(engine: Engine) -> bool:
    """Whether the store has been created and holds observations."""
    if not is_migrated(engine):
        return False
    with engine.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(Observation)))


def ensure_loaded(engine: Engine, *, progress: Progress = _say, synthetic: bool = True) -> None:
    """Bring the schema up to date, and load the data on first run."""
    if is_loaded(engine):
        migrate(engine)
        return
    progress("First run: creating the database and loading the real national data.")
    t0 = time.perf_counter()
    load_all(engine, locate_data(progress), progress=progress, synthetic=synthetic)
    progress(f"Loaded in {time.perf_counter() - t0:.0f} s.")
