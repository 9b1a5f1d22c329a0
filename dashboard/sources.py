"""Where the published files come from: find them locally, or download and verify them.

Search order: `DASHBOARD_DATA_DIR`, then `data/published/`, then `../shared/data` beside the
checkout. `fetch` downloads missing files from the publishers (or from
`DASHBOARD_SOURCE_BASE_URL`) with a progress display and SHA-256 checks, into `data/published/`.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from dashboard.settings import DATA_DIR, ROOT, get_settings

MANIFEST = DATA_DIR / "sources.toml"
PUBLISHED = DATA_DIR / "published"
SHARED = ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class SourceFile:
    """One published file in the manifest."""

    path: str
    url: str
    sha256: str
    publisher: str
    licence: str
    required: bool


class SourceError(RuntimeError):
    """A published file is missing or failed its integrity check."""


def manifest() -> list[SourceFile]:
    """The files listed in `data/sources.toml`."""
    with open(MANIFEST, "rb") as f:
        doc = tomllib.load(f)
    return [
        SourceFile(path=p, url=v["url"], sha256=v["sha256"], publisher=v["publisher"],
                   licence=v["licence"], required=bool(v.get("required", True)))
        for p, v in doc["files"].items()
    ]


def search_dirs() -> list[Path]:
    """The folders searched for published files, in order."""
    dirs = []
    configured = get_settings().data_dir
    if configured:
        dirs.append(configured)
    dirs += [PUBLISHED, SHARED]
    return dirs


def find_data_dir(required: list[SourceFile] | None = None) -> Path | None:
    """The first search folder that holds every required file, or None."""
    files = [f for f in (required or manifest()) if f.required]
    for d in search_dirs():
        if all((d / f.path).is_file() for f in files):
            return d
    return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _print_progress(name: str, done: int, total: int | None) -> None:
    if total:
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r  {name[:48]:<48} [{bar}] {done / total:6.1%}")
    else:
        sys.stderr.write(f"\r  {name[:48]:<48} {done / 1e6:8.1f} MB")
    sys.stderr.flush()


def fetch(
    dest: Path = PUBLISHED,
    *,
    base_url: str | None = None,
    refresh: bool = False,
    progress: Callable[[str, int, int | None], None] | None = _print_progress,
    timeout: float = 60.0,
) -> list[Path]:
    """Download the manifest's files into `dest`, verifying each checksum.

    Args:
        dest: where to put them (default `data/published/`).
        base_url: fetch `<base_url>/<path>` instead of each publisher's URL (a mirror, or a
            local server in tests); default `DASHBOARD_SOURCE_BASE_URL`.
        refresh: download even files that are already present and valid.
        progress: called with (file, bytes so far, total bytes or None).
        timeout: seconds to wait for each connection.

    Returns:
        The files downloaded.

    Raises:
        SourceError: a download failed or a file did not match its checksum; the bad file is
            not kept, and files already in place are left as they were.
    """
    base_url = base_url or os.environ.get("DASHBOARD_SOURCE_BASE_URL")
    fetched = []
    for src in manifest():
        target = dest / src.path
        if target.is_file() and not refresh and _sha256(target) == src.sha256:
            continue
        url = f"{base_url.rstrip('/')}/{src.path}" if base_url else src.url
        target.parent.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, requests.get(url, stream=True,
                                                          timeout=timeout) as resp:
                if resp.status_code != 200:
                    raise SourceError(f"{src.path}: {url} answered HTTP {resp.status_code}")
                total = int(resp.headers.get("Content-Length") or 0) or None
                done = 0
                for chunk in resp.iter_content(1 << 16):
                    out.write(chunk)
                    h.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(src.path, done, total)
            if progress:
                sys.stderr.write("\n")
            if h.hexdigest() != src.sha256:
                raise SourceError(
                    f"{src.path}: checksum {h.hexdigest()[:12]}... does not match the "
                    f"manifest's {src.sha256[:12]}...; the download was discarded"
                )
            tmp.replace(target)
            fetched.append(target)
        except requests.RequestException as err:
            raise SourceError(f"{src.path}: could not download {url}: {err}") from err
        finally:
            tmp.unlink(missing_ok=True)
    return fetched
