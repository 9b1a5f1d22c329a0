"""One home for component IDs, so layouts, callbacks and browser tests agree on every name.

Plain strings for single components; small factories return pattern-matching IDs
(``{"type": ..., "index": ...}``) for repeated ones. Never build an ID by pasting strings
inside a layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Shell: URL state and navigation
URL_STATE = "url-state"  # dcc.Store on each page: {"query": ..., "shared": ...}
URL_SYNC = "url-sync"  # dcc.Store in the shell: the clientside callback's output
NAV_LINK = "nav-link"
NOTICE = "state-notice"
PLOTLY_PRELOAD = "plotly-preload"  # a hidden graph so plotly.js loads before the first chart



@dataclass(frozen=True)
class ControlIds:
    """The control bar's IDs on one page.

    Each page has its own: a callback whose inputs are missing from the page on screen makes
    Dash's renderer log an error, so callbacks must only name components of their own page.
    """

    area: str
    domain: str
    theme: str
    vintage: str


SC_CONTROLS = ControlIds("scorecard-area", "scorecard-domain", "scorecard-theme",
                         "scorecard-vintage")
IND_CONTROLS = ControlIds("indicator-area", "indicator-domain", "indicator-theme",
                          "indicator-vintage")
CMP_CONTROLS = ControlIds("compare-area", "compare-domain", "compare-theme", "compare-vintage")

# Scorecard
SC_PERIOD = "scorecard-period"
SC_RAG = "scorecard-rag-filter"
SC_WORSE = "scorecard-worse-filter"
SC_SORT = "scorecard-sort"  # dcc.Store holding the sort key ("rank", "-rag", ...): State only
SC_SORT_BUTTON = "scorecard-sort-button"
SC_HEADING = "scorecard-heading"
SC_COUNTS = "scorecard-counts"
SC_TABLE = "scorecard-table"
SC_META = "scorecard-meta"
SC_VARIATION = "scorecard-variation-filter"

# Indicator view
IND_SELECT = "indicator-select"
IND_NEIGHBOURS = "indicator-neighbours"
IND_FROM = "indicator-from"
IND_TO = "indicator-to"
IND_HEADING = "indicator-heading"
IND_SUMMARY = "indicator-summary"
IND_TREND = "indicator-trend"
IND_BAR = "indicator-bar"
IND_FUNNEL = "indicator-funnel"
IND_FUNNEL_BOX = "indicator-funnel-box"
IND_BREAKDOWN = "indicator-breakdown"
IND_BREAKDOWN_BOX = "indicator-breakdown-box"
IND_DEFINITION = "indicator-definition"
IND_TABLE = "indicator-table"
IND_TITLE = "indicator-title"  # the page's h1: part of each chart's accessible name
IND_BAR_TABLE = "indicator-bar-table"  # the comparison chart's table twin
IND_CHART = "indicator-chart"  # radio: trend with comparators or SPC
IND_TREND_BOX = "indicator-trend-box"  # the trend chart, its downloads and neighbours
IND_SPC_BOX = "indicator-spc-box"  # the SPC chart and its table twin
IND_SPC = "indicator-spc"
IND_SIGNAL = "indicator-signal"  # beside the chart: the SPC summary or the forecast's backtest

# What changed since the last meeting
CHG_AREA = "changes-area"
CHG_SINCE = "changes-since"
CHG_CONTENT = "changes-content"

# Compare grid
CMP_PERIOD = "compare-period"
CMP_GRID = "compare-grid"

# About
ABOUT_SEARCH = "about-search"
ABOUT_CATALOGUE = "about-catalogue"
ABOUT_COUNT = "about-count"

# Exports: download links on every chart and table, copy link, the URL in the printed footer
EXPORT_LINK = "export-link"  # pattern {"type", "target", "fmt"}: see export_link()
CHART_SIZE = "chart-size"  # pattern {"type", "target"}: a chart's Word page / slide choice
COPY_LINK = "copy-link"
COPY_STATUS = "copy-link-status"
PRINT_URL = "print-url"

# Meeting pack
PACK_CONTROLS = ControlIds("pack-area", "pack-domain", "pack-theme", "pack-vintage")
PACK_PERIOD = "pack-period"
PACK_INDICATORS = "pack-indicators"
PACK_ALL = "pack-tick-all"
PACK_NONE = "pack-tick-none"
PACK_COUNT = "pack-count"
PACK_BUILD = "pack-build"
PACK_JOB = "pack-job"  # dcc.Store: the running job's id
PACK_POLL = "pack-poll"  # dcc.Interval, enabled while a pack builds
PACK_PROGRESS = "pack-progress"
PACK_DETAIL = "pack-detail"
PACK_STATUS = "pack-status"
PACK_DOWNLOAD = "pack-download"

# Shell: who is signed in
ACCOUNT = "account-menu"

# Data page: upload, validation report, commit, load history, targets
DATA_UPLOAD = "data-upload"  # dcc.Upload: the drop zone (its file is posted by the browser)
DATA_PROGRESS = "data-progress"
DATA_STATUS = "data-status"  # live region: what the upload is doing
DATA_REPORT_STORE = "data-report-store"  # dcc.Store: /upload/validate's JSON answer
DATA_REPORT = "data-report"
DATA_COMMIT = "data-commit"
DATA_COMMIT_BAR = "data-commit-bar"  # Commit and its explanation, shown for a clean file
DATA_TEMPLATE_CSV = "data-template-csv"
DATA_TEMPLATE_XLSX = "data-template-xlsx"
DATA_COMMIT_STORE = "data-commit-store"  # dcc.Store: /upload/commit's JSON answer
DATA_RESULT = "data-result"
DATA_HISTORY = "data-history"
DATA_HISTORY_MSG = "data-history-message"
DATA_ROLLBACK = "data-rollback"  # pattern {"type", "index": load id}: asks to roll back
DATA_ROLLBACK_PENDING = "data-rollback-pending"  # dcc.Store: the load awaiting confirmation
DATA_ROLLBACK_CONFIRM = "data-rollback-confirm"
DATA_ROLLBACK_CONFIRM_BOX = "data-rollback-confirm-box"
DATA_ROLLBACK_YES = "data-rollback-yes"
DATA_ROLLBACK_NO = "data-rollback-no"
TGT_INDICATOR = "target-indicator"
TGT_AREA = "target-area"
TGT_FROM = "target-from"
TGT_TO = "target-to"
TGT_VALUE = "target-value"
TGT_TOLERANCE = "target-tolerance"
TGT_SAVE = "target-save"
TGT_MESSAGE = "target-message"
TGT_LIST = "target-list"
TGT_DELETE = "target-delete"  # pattern {"type", "index": target id}

# Indicator view: notes
NOTE_SECTION = "note-section"
NOTE_TEXT = "note-text"
NOTE_PERIOD = "note-period"
NOTE_SAVE = "note-save"
NOTE_MESSAGE = "note-message"
NOTE_LIST = "note-list"


def nav_link(path: str) -> dict[str, str]:
    """A navbar link, keyed by the page's path so that its query can be kept up to date."""
    return {"type": NAV_LINK, "index": path}


def chart_part(chart: str, part: str) -> str:
    """A plain ID for a chart's hidden label, description or table twin (``aria-*`` refer to it).

    ``chart_part("indicator-trend", "desc")``; breakdown charts use ``breakdown-<n>``.
    """
    return f"{chart}-{part}"


def sort_button(column: str) -> dict[str, str]:
    """A sortable scorecard column header's button."""
    return {"type": SC_SORT_BUTTON, "index": column}


def export_link(target: str, fmt: str) -> dict[str, str]:
    """A download link of a chart (trend, bar) or a table (scorecard, indicator, compare)."""
    return {"type": EXPORT_LINK, "target": target, "fmt": fmt}


def chart_size(target: str) -> dict[str, str]:
    """A chart's image size choice (Word page or 16:9 slide) for its download links."""
    return {"type": CHART_SIZE, "target": target}


def rollback_button(load_id: int) -> dict[str, Any]:
    """A load history row's Roll back button (admins only)."""
    return {"type": DATA_ROLLBACK, "index": load_id}


def target_delete(target_id: int) -> dict[str, Any]:
    """A target list row's Delete button (admins only)."""
    return {"type": TGT_DELETE, "index": target_id}
