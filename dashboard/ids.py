"""One home for component IDs, so layouts, callbacks and browser tests agree on every name.

Plain strings for single components; small factories return pattern-matching IDs
(``{"type": ..., "index": ...}``) for repeated ones. Never build an ID by pasting strings
inside a layout.
"""

from __future__ import annotations

from dataclasses import dataclass

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
IND_CSV_BUTTON = "indicator-csv-button"
IND_CSV = "indicator-csv-download"

# Compare grid
CMP_PERIOD = "compare-period"
CMP_GRID = "compare-grid"

# About
ABOUT_SEARCH = "about-search"
ABOUT_CATALOGUE = "about-catalogue"
ABOUT_COUNT = "about-count"


def nav_link(path: str) -> dict[str, str]:
    """A navbar link, keyed by the page's path so that its query can be kept up to date."""
    return {"type": NAV_LINK, "index": path}


def sort_button(column: str) -> dict[str, str]:
    """A sortable scorecard column header's button."""
    return {"type": SC_SORT_BUTTON, "index": column}
