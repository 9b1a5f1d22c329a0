"""What a view shows, as a small dataclass that round-trips through a readable query string.

Every page is fully described by its URL (``/indicator?area=E06000033&indicator=ReReferral&
neighbours=E06000034,E10000012&from=2016&to=2024``), so a link reproduces the view. Parsing
never raises: an unknown key or an invalid value is dropped and reported as a notice that the
page shows, and the view falls back to a sensible default.

Two steps, so that this module needs no database: :meth:`ViewState.from_query` checks the shape
of each value; :meth:`ViewState.validated` checks values against what the store holds (passed
in as :class:`Choices`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

DOMAINS = ("children", "adults", "partnership")
RAG_STATUSES = ("red", "amber", "green", "none")
SORT_KEYS = ("indicator", "rag", "rank", "band", "change")
#: The indicator view's chart: the trend with comparators (default) or the SPC (XmR) chart.
CHARTS = ("trend", "spc")
#: The scorecard's variation filter: the SPC variation of a monthly or quarterly series.
VARIATIONS = ("concern", "improvement", "neutral", "common")
#: Query keys in the order they are written; ``from`` maps to the field ``from_``.
KEYS = ("area", "domain", "theme", "indicator", "neighbours", "from", "to", "period",
        "vintage", "rag", "worse", "sort", "chart", "variation", "since")
#: Keys that follow the user from page to page (the control bar).
SHARED_KEYS = ("area", "domain", "theme", "vintage")

_AREA_CODE = re.compile(r"^E\d{8}$")
_PERIOD = re.compile(r"^\d{4}([-/]\d{2})?( Q[1-4])?$")
_YEAR_MIN, _YEAR_MAX = 1990, 2100
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Choices:
    """What the store holds, for checking a state's values.

    Attributes:
        areas: Local authority ONS code -> name (any English LA can be the home area).
        themes: Domain -> its themes, in scorecard order.
        indicators: Indicator code -> its domain.
        vintages: Domain -> comparator vintages, newest first.
        home_area: The configured default home area.
    """

    areas: Mapping[str, str]
    themes: Mapping[str, Sequence[str]]
    indicators: Mapping[str, str]
    vintages: Mapping[str, Sequence[str]]
    home_area: str


@dataclass(frozen=True)
class ViewState:
    """Everything a page needs to reproduce a view (unset fields take defaults)."""

    area: str | None = None
    domain: str = "children"
    theme: str | None = None
    indicator: str | None = None
    neighbours: tuple[str, ...] = ()
    from_: int | None = None
    to: int | None = None
    period: str | None = None
    vintage: str | None = None
    rag: tuple[str, ...] = ()
    worse: bool = False
    sort: str | None = None
    chart: str | None = None  # None: the trend chart; "spc": the SPC chart
    variation: tuple[str, ...] = ()
    since: dt.date | None = None
    notices: tuple[str, ...] = field(default=(), compare=False)

    # -- writing -------------------------------------------------------------------------

    def to_params(self, keys: Sequence[str] = KEYS) -> dict[str, str]:
        """The non-default values as query parameters, in a stable order."""
        out: dict[str, str] = {}
        for key in keys:
            value = getattr(self, "from_" if key == "from" else key)
            if key == "domain":
                out[key] = value  # always written: a shared link should not depend on defaults
            elif isinstance(value, tuple):
                if value:
                    out[key] = ",".join(value)
            elif isinstance(value, bool):
                if value:
                    out[key] = "1"
            elif value is not None and value != "":
                out[key] = str(value)
        return out

    def to_query(self, keys: Sequence[str] = KEYS) -> str:
        """A readable query string (no leading ``?``); commas in lists are left as they are."""
        return urlencode(self.to_params(keys), safe=",")

    def shared_query(self) -> str:
        """The query that carries the control bar's settings to another page."""
        return self.to_query(SHARED_KEYS)

    def with_(self, **changes: Any) -> ViewState:
        """A copy with some fields changed (``from_`` for the ``from`` key)."""
        return replace(self, **changes)

    # -- reading -------------------------------------------------------------------------

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> ViewState:
        """Read a parsed query (as Dash Pages passes it to ``layout(**query)``).

        Unknown keys and malformed values are ignored, each with a notice in ``notices``.
        """
        values: dict[str, Any] = {}
        notices: list[str] = []
        for key, raw in query.items():
            if key not in KEYS:
                notices.append(f"Ignored the unknown setting '{key}' in the address.")
                continue
            if isinstance(raw, (list, tuple)):
                notices.append(f"'{key}' was given more than once; the last value is used.")
                raw = raw[-1] if raw else ""
            raw = str(raw).strip()
            parser = _PARSERS[key]
            try:
                parsed = parser(raw)
            except ValueError as err:
                notices.append(f"Ignored {key}='{_short(raw)}': {err}.")
                continue
            if isinstance(parsed, tuple) and len(parsed) == 2 and isinstance(parsed[1], list):
                parsed, bad = parsed
                notices += [f"Ignored {key} value '{_short(b)}': {msg}." for b, msg in bad]
            values["from_" if key == "from" else key] = parsed
        if values.get("from_") and values.get("to") and values["from_"] > values["to"]:
            values["from_"], values["to"] = values["to"], values["from_"]
            notices.append("'from' was after 'to', so the two years were swapped.")
        return cls(**values, notices=tuple(notices))

    def validated(self, choices: Choices) -> ViewState:
        """Check values against the store; replace any that do not exist, with a notice."""
        notices = list(self.notices)
        changes: dict[str, Any] = {}
        area = self.area or choices.home_area
        if area not in choices.areas:
            fallback = choices.areas.get(choices.home_area, choices.home_area)
            notices.append(f"There is no English local authority with the code '{area}': "
                           f"showing {fallback} instead.")
            area = choices.home_area
        changes["area"] = area
        domain = self.domain
        if self.indicator is not None:
            ind_domain = choices.indicators.get(self.indicator)
            if ind_domain is None:
                notices.append(f"There is no indicator '{_short(self.indicator)}' in the "
                               "catalogue: showing the first indicator instead.")
                changes["indicator"] = None
            elif ind_domain in DOMAINS:
                domain = ind_domain  # the indicator decides the comparator group it uses
        changes["domain"] = domain
        themes = choices.themes.get(domain, ())
        if self.theme is not None and self.theme not in themes:
            notices.append(f"There is no theme '{_short(self.theme)}' in {domain}'s indicators: "
                           "showing all themes.")
            changes["theme"] = None
        vintages = choices.vintages.get(domain, ())
        if self.vintage is not None and self.vintage not in vintages:
            shown = ", ".join(vintages) or "none"
            notices.append(f"There is no comparator vintage '{_short(self.vintage)}' "
                           f"(available: {shown}): using the latest.")
            changes["vintage"] = None
        bad = [n for n in self.neighbours if n not in choices.areas]
        if bad:
            notices.append("Ignored unknown neighbour codes: " + ", ".join(bad) + ".")
            changes["neighbours"] = tuple(n for n in self.neighbours if n in choices.areas)
        return replace(self, **changes, notices=tuple(notices))


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _area(raw: str) -> str:
    code = raw.upper()
    if not _AREA_CODE.match(code):
        raise ValueError("an area is an ONS code such as E06000033")
    return code


def _domain(raw: str) -> str:
    if raw.lower() not in DOMAINS:
        raise ValueError("use children, adults or partnership")
    return raw.lower()


def _text(raw: str) -> str:
    if not raw or len(raw) > 80:
        raise ValueError("expected a short name")
    return raw


def _codes(raw: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    good: list[str] = []
    bad: list[tuple[str, str]] = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        if _AREA_CODE.match(part.upper()):
            if part.upper() not in good:
                good.append(part.upper())
        else:
            bad.append((part, "not an ONS area code"))
    return tuple(good), bad


def _year(raw: str) -> int:
    if not raw.isdigit() or not _YEAR_MIN <= int(raw) <= _YEAR_MAX:
        raise ValueError("expected a year such as 2020")
    return int(raw)


def _period(raw: str) -> str:
    if not _PERIOD.match(raw):
        raise ValueError("expected a year such as 2020 or a label such as 2019-20")
    return raw


def _rag(raw: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
    good = tuple(s for s in RAG_STATUSES if s in parts)
    bad = [(p, "use red, amber, green or none") for p in parts if p not in RAG_STATUSES]
    return good, bad


def _flag(raw: str) -> bool:
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ValueError("use 1 or 0")


def _chart(raw: str) -> str | None:
    if raw.lower() not in CHARTS:
        raise ValueError("use trend or spc")
    return None if raw.lower() == "trend" else raw.lower()


def _variation(raw: str) -> tuple[tuple[str, ...], list[tuple[str, str]]]:
    parts = [p.strip().lower() for p in raw.split(",") if p.strip()]
    good = tuple(v for v in VARIATIONS if v in parts)
    bad = [(p, "use " + ", ".join(VARIATIONS)) for p in parts if p not in VARIATIONS]
    return good, bad


def _date(raw: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError("expected a date such as 2026-10-01") from None
    if not _YEAR_MIN <= day.year <= _YEAR_MAX:
        raise ValueError("expected a date such as 2026-10-01")
    return day


def _sort(raw: str) -> str:
    if raw.lstrip("-") not in SORT_KEYS:
        raise ValueError("use one of " + ", ".join(SORT_KEYS) + " (with - for reverse)")
    return raw


_PARSERS = {
    "area": _area, "domain": _domain, "theme": _text, "indicator": _text,
    "neighbours": _codes, "from": _year, "to": _year, "period": _period, "vintage": _text,
    "rag": _rag, "worse": _flag, "sort": _sort, "chart": _chart, "variation": _variation,
    "since": _date,
}


def next_sort(current: str | None, column: str) -> str | None:
    """A column heading's click: ascending, then descending, then back to catalogue order."""
    if current == column:
        return f"-{column}"
    if current == f"-{column}":
        return None
    return column
