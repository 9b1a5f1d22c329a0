"""Meeting packs built in the background, for the pack page's progress bar and download.

A pack takes seconds to a minute, longer than a page should wait on one request. The page
starts a job (:func:`start_pack`), which runs :func:`~dashboard.exports.pack.build_pack` in a
thread of the worker that took the click; the job writes its progress, and then the PDF,
to the one shared cache (:data:`dashboard.cache.cache`, Redis in production), so whichever
worker answers the page's polling or the download (``/export/pack/<job>.pdf``) sees them.

Why a thread and not Dash's background callbacks: those need a callback manager,
``DiskcacheManager`` (diskcache, multiprocess and psutil, none of them pinned here; one new
process per job, with a cold browser, and a disk shared by every worker) or
``CeleryManager`` (a Celery worker to deploy). A thread keeps the process's warm chart
renderer, needs nothing new, and the shared cache the deployment already has carries the
rest. Job IDs are random and unguessable, so one user cannot fetch another's pack; jobs and
their PDFs expire after an hour.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask, current_app

from dashboard.cache import cache
from dashboard.context import current_engine
from dashboard.exports.content import ExportError, resolve_area
from dashboard.exports.pack import PackRequest, build_pack
from dashboard.exports.renderer import RendererUnavailable

log = logging.getLogger(__name__)
#: Seconds a finished pack (and a job's status) stays available.
KEEP = 3600
#: A job with no news for this long died with its worker (a restart or a recycled worker).
STALE_AFTER = 300
#: Packs built at once per worker; more wait their turn (the renderer has two tabs).
MAX_RUNNING = 2
JOB_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


@dataclass(frozen=True)
class PackJob:
    """A pack job's state as the page shows it.

    Attributes:
        id: The job's ID.
        state: ``queued``, ``running``, ``done`` or ``failed``.
        fraction: Work done, 0 to 1.
        message: What the job is doing, or why it failed.
        filename: The PDF's file name.
        updated: When the job last reported (``time.time()``).
    """

    id: str
    state: str
    fraction: float = 0.0
    message: str = ""
    filename: str = "meeting-pack.pdf"
    updated: float = 0.0

    @property
    def finished(self) -> bool:
        """Whether the job has stopped, done or failed."""
        return self.state in ("done", "failed")

    @property
    def href(self) -> str | None:
        """The download link of a finished pack."""
        return f"/export/pack/{self.id}.pdf" if self.state == "done" else None


def pack_request(area: str, domain: str, theme: str | None, vintage: str | None,
                 period: str | None, ticked: Sequence[str],
                 offered: Sequence[str]) -> PackRequest:
    """The request for the page's choices: the theme when every offered indicator is ticked.

    Args:
        area: Home area code.
        domain: The domain.
        theme: The chosen theme, or None for all.
        vintage: Comparator vintage, or None for the latest.
        period: As-at year, or None for the latest figures.
        ticked: The ticked indicator codes.
        offered: Every indicator code the page offered, in catalogue order.
    """
    chosen = set(ticked)
    codes = tuple(c for c in offered if c in chosen)
    every = bool(offered) and len(codes) == len(offered)
    return PackRequest(area=area, domain=domain, theme=theme, codes=() if every else codes,
                       vintage=vintage, period=period)


def _key(job_id: str) -> str:
    return f"pack-job:{job_id}"


def _pdf_key(job_id: str) -> str:
    return f"pack-pdf:{job_id}"


def _save(job: PackJob) -> None:
    cache.set(_key(job.id), asdict(job), timeout=KEEP)


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:  # made on first use: nothing runs at import time
            _executor = ThreadPoolExecutor(MAX_RUNNING, thread_name_prefix="pack")
        return _executor


def start_pack(req: PackRequest) -> PackJob:
    """Start building a pack in the background (call inside a request); return its job.

    The request is checked first (area, codes), so that a bad one fails at once.
    """
    resolve_area(current_engine(), req.area)
    job = PackJob(secrets.token_urlsafe(18), "queued", 0.0, "Waiting to start", "",
                  time.time())
    _save(job)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    _pool().submit(_run, app, req, job)
    return job


def _run(app: Flask, req: PackRequest, job: PackJob) -> None:
    with app.app_context():
        engine = current_engine()

        def report(fraction: float, message: str) -> None:
            _save(PackJob(job.id, "running", fraction, message, job.filename, time.time()))

        try:
            area = resolve_area(engine, req.area)
            name = req.filename(area.name)
            job = PackJob(job.id, "running", 0.0, "Starting", name, time.time())
            _save(job)
            pdf = build_pack(engine, req, progress=report)
            cache.set(_pdf_key(job.id), pdf, timeout=KEEP)
            _save(PackJob(job.id, "done", 1.0, "The pack is ready", name, time.time()))
        except (ExportError, RendererUnavailable) as err:
            _save(PackJob(job.id, "failed", 0.0, str(err), job.filename, time.time()))
        except Exception as err:  # a thread's exception would otherwise vanish
            log.exception("pack job %s failed", job.id)
            _save(PackJob(job.id, "failed", 0.0, f"The pack could not be built: {err}",
                          job.filename, time.time()))


def pack_status(job_id: str) -> PackJob | None:
    """A job's state, or None for an unknown or expired job."""
    if not JOB_ID.match(job_id or ""):
        return None
    raw: dict[str, Any] | None = cache.get(_key(job_id))
    if raw is None:
        return None
    job = PackJob(**raw)
    if not job.finished and time.time() - job.updated > STALE_AFTER:
        job = PackJob(job.id, "failed", 0.0, "The pack stopped before it finished (the server "
                      "restarted): build it again.", job.filename, time.time())
        _save(job)
    return job


def pack_pdf(job_id: str) -> tuple[bytes, str] | None:
    """A finished pack's PDF and file name, or None."""
    job = pack_status(job_id)
    if job is None or job.state != "done":
        return None
    pdf: bytes | None = cache.get(_pdf_key(job_id))
    return (pdf, job.filename) if pdf is not None else None
