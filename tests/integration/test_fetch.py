"""Downloading the published files: progress, checksums, and refusal of a corrupt download."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.sources import SourceError, fetch, manifest


@pytest.fixture
def served(tmp_path: Path, data_dir: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server serving a copy of the published files."""
    root = tmp_path / "mirror"
    shutil.copytree(data_dir, root)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # type: ignore[no-untyped-def]
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()


def test_fetch_downloads_and_verifies_every_file(served, tmp_path):
    """Every manifest file arrives with a matching checksum; a second fetch downloads nothing."""
    url, _ = served
    dest = tmp_path / "published"
    seen: list[str] = []
    got = fetch(dest, base_url=url, progress=lambda name, done, total: seen.append(name))
    assert len(got) == len(manifest())
    assert all((dest / f.path).is_file() for f in manifest())
    assert seen
    assert fetch(dest, base_url=url, progress=None) == []


def test_fetch_refuses_a_corrupt_file_and_keeps_nothing(served, tmp_path):
    """A file that fails its checksum is discarded with an error naming it."""
    url, root = served
    target = root / "local/southend_adults_safeguarding_published.csv"
    target.write_text(target.read_text() + "tampered\n")
    dest = tmp_path / "published"
    with pytest.raises(SourceError, match=r"southend_adults_safeguarding_published\.csv.*checksum"):
        fetch(dest, base_url=url, progress=None)
    assert not (dest / "local/southend_adults_safeguarding_published.csv").exists()
    assert not list(dest.rglob("*.part"))


def test_fetch_reports_missing_file(served, tmp_path):
    """A 404 from the publisher is a clear error."""
    url, root = served
    (root / "dfe/lait/bds_long.parquet").unlink()
    with pytest.raises(SourceError, match=r"bds_long.parquet.*HTTP 404"):
        fetch(tmp_path / "published", base_url=url, progress=None)
