"""One warm headless Chromium per process that turns plotly figures into PNG and SVG bytes.

Starting Chromium takes seconds; rendering a chart in an open tab takes a fraction of one. So
the renderer starts kaleido's browser lazily, on the first export, keeps it open for the life of
the process and serves every export through it. The browser lives on an asyncio event loop in
one daemon thread; callers in any thread (Flask's, a Dash background job, the CLI) submit
renders with :func:`asyncio.run_coroutine_threadsafe`, which is thread-safe, rather than
through ``kaleido.start_sync_server``, whose single result queue can hand one caller another
caller's image when two requests render at once.

A browser that dies is restarted once, transparently; a process that forks (gunicorn with
``--preload``) starts its own browser rather than inheriting a dead thread.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

log = logging.getLogger(__name__)

#: Where Debian puts Chromium; BROWSER_PATH (kaleido's and choreographer's variable) overrides.
DEFAULT_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FORMATS = ("png", "svg")
Progress = Callable[[int, int], None]


class RendererUnavailable(RuntimeError):
    """Server-side image export cannot run here (no Chromium, or it will not start)."""


def chromium_path() -> str | None:
    """The browser kaleido should drive: BROWSER_PATH, Debian's Chromium, or one on PATH."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if os.path.isfile(configured) else None
    for path in DEFAULT_BROWSERS:
        if os.path.isfile(path):
            return path
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class RenderJob:
    """One image to render: a figure, its format and its size in CSS pixels."""

    figure: go.Figure | dict[str, Any]
    fmt: str
    width: int
    height: int
    scale: float = 2.0

    def opts(self) -> dict[str, Any]:
        """Kaleido's layout options for this job."""
        if self.fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.fmt!r}")
        return {"format": self.fmt, "width": self.width, "height": self.height,
                "scale": self.scale if self.fmt == "png" else 1}


class ChartRenderer:
    """A lazily started kaleido browser with ``tabs`` tabs, shared by every thread.

    Args:
        browser: Path to Chromium (default: :func:`chromium_path`).
        tabs: Tabs kept open; renders beyond this wait for a free tab. Two suit a 2-core host.
        timeout: Seconds allowed for one image.
        start_timeout: Seconds allowed for the browser to start.
    """

    def __init__(self, browser: str | None = None, *, tabs: int = 2, timeout: float = 60,
                 start_timeout: float = 60) -> None:
        self._browser = browser
        self._tabs = tabs
        self._timeout = timeout
        self._start_timeout = start_timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._pid: int | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether this process has a browser open."""
        return self._kaleido is not None and self._pid == os.getpid()

    def start(self) -> None:
        """Open the browser if it is not open yet (safe to call from any thread, any time)."""
        with self._lock:
            if self.running:
                return
            self._reset_after_fork()
            path = self._browser or chromium_path()
            if path is None:
                raise RendererUnavailable(
                    "Server-side chart export needs Chromium: install the Debian packages "
                    "'chromium' and 'chromium-driver', or set BROWSER_PATH.")
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="chart-renderer",
                                      daemon=True)
            thread.start()
            future = asyncio.run_coroutine_threadsafe(self._open(path), loop)
            try:
                self._kaleido = future.result(self._start_timeout)
            except Exception as err:
                _stop(loop, thread)
                raise RendererUnavailable(f"Chromium at {path} would not start: {err}") from err
            self._loop, self._thread, self._pid = loop, thread, os.getpid()
            log.info("chart renderer started (%s, %d tabs)", path, self._tabs)

    async def _open(self, path: str) -> Any:
        import kaleido  # imported here: it probes plotly and logging at import time

        # MathJax is off: the charts use no TeX, and its default CDN fetch would stall a
        # server without internet access.
        k = kaleido.Kaleido(n=self._tabs, timeout=self._timeout, mathjax=False, path=path)
        await k.open()
        return k

    def close(self) -> None:
        """Close the browser and stop its thread (it restarts on the next render)."""
        with self._lock:
            if not self.running or self._loop is None:
                self._kaleido = None
                return
            loop, k = self._loop, self._kaleido
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
            except Exception:  # a dead browser cannot be closed politely; drop it
                log.warning("chart renderer did not close cleanly", exc_info=True)
            if self._thread is not None:
                _stop(loop, self._thread)
            self._kaleido = self._loop = self._thread = None

    def _reset_after_fork(self) -> None:
        if self._pid is not None and self._pid != os.getpid():
            # The parent's browser and thread do not exist in a forked child.
            self._kaleido = self._loop = self._thread = None
            self._pid = None

    # -- rendering ---------------------------------------------------------------------

    def render(self, figure: go.Figure | dict[str, Any], *, fmt: str = "png",
               width: int = 800, height: int = 500, scale: float = 2.0) -> bytes:
        """One figure as PNG or SVG bytes."""
        return self.render_many([RenderJob(figure, fmt, width, height, scale)])[0]

    def render_many(self, jobs: Sequence[RenderJob],
                    progress: Progress | None = None) -> list[bytes]:
        """Render a batch concurrently through the open tabs; results in the jobs' order.

        ``progress(done, total)`` is called in the caller's thread as each image finishes.
        A browser that has died is restarted and the batch retried once.
        """
        for job in jobs:
            job.opts()  # refuse a bad format before starting anything
        try:
            return self._render_batch(jobs, progress)
        except RendererUnavailable:
            raise
        except Exception as err:
            if self._browser_alive():
                raise
            log.warning("chart renderer died (%s); restarting it", err)
            self.close()
            return self._render_batch(jobs, progress)

    def _render_batch(self, jobs: Sequence[RenderJob], progress: Progress | None) -> list[bytes]:
        self.start()
        loop, k = self._loop, self._kaleido
        assert loop is not None
        futures = [asyncio.run_coroutine_threadsafe(k.calc_fig(job.figure, opts=job.opts()),
                                                    loop) for job in jobs]
        index = {f: i for i, f in enumerate(futures)}
        out: list[bytes | None] = [None] * len(jobs)
        try:
            for done, fut in enumerate(concurrent.futures.as_completed(
                    futures, timeout=self._timeout * max(1, len(jobs))), start=1):
                out[index[fut]] = fut.result()
                if progress is not None:
                    progress(done, len(jobs))
        finally:
            for fut in futures:
                fut.cancel()
        return [b for b in out if b is not None]

    def _browser_alive(self) -> bool:
        k = self._kaleido
        if k is None:
            return False
        process = getattr(k, "subprocess", None)
        return process is not None and process.poll() is None


async def _cancel_pending() -> None:
    """Cancel what is left on the loop (a dead browser's watchdog) so nothing dangles."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _stop(loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
    """Cancel the loop's tasks, stop its thread and close it (and its sockets)."""
    if loop.is_running():
        try:
            asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(5)
        except Exception:  # best effort: the loop is being torn down anyway
            log.debug("could not cancel the renderer's tasks", exc_info=True)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    if not thread.is_alive():
        loop.close()


_renderer: ChartRenderer | None = None
_renderer_lock = threading.Lock()


def get_renderer() -> ChartRenderer:
    """The process's shared renderer (created on first use; the browser starts on first render)."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            _renderer = ChartRenderer()
            atexit.register(_renderer.close)
        return _renderer
