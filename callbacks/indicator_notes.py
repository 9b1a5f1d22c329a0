"""Indicator view notes: the list follows the indicator and area; Save records a note.

Saving checks on the server who is signed in (`user_for_callback`), whatever the page shows,
and redraws the list and the trend chart, whose markers show the new note.
"""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output, State

from callbacks.indicator import CONTROLS, state_from
from dashboard import ids
from dashboard.auth import AuthError, user_for_callback
from dashboard.context import current_engine
from dashboard.notes import NoteError, add_note
from dashboard.views_data import cached_indicator
from dashboard.viewstate import ViewState
from layouts import indicator as page
from layouts import indicator_notes as notes_page

C = ids.IND_CONTROLS


def refresh(indicator: str | None, area: str, domain: str,
            vintage: str | None) -> tuple[Any, list[dict[str, str]], str]:
    """The notes and period choices for the indicator and area on screen."""
    data = cached_indicator(ViewState(area=area, domain=domain, vintage=vintage or None,
                                      indicator=indicator))
    notes = notes_page.notes_for(data) if data is not None else []
    return (notes_page.note_items(notes), notes_page.period_options(data),
            notes_page.NO_PERIOD)


def save(n_clicks: int | None, text: str | None, period: str | None,
         *controls: Any) -> tuple[Any, ...]:
    """Record a note by the signed-in user; redraw the list and the trend chart's markers.

    `controls` are the values of the indicator callbacks' `CONTROLS`, the neighbours shown
    and the chart choice.
    """
    skip = dash.no_update
    if not n_clicks:
        return skip, skip, skip, skip
    try:
        user = user_for_callback("viewer")
        state = state_from(*controls)
        data = cached_indicator(state)
        if data is None:
            raise NoteError("choose an indicator first")
        add_note(current_engine(), user, str(data.meta["code"]), data.area.code, text or "",
                 notes_page.period_from_value(period))
    except AuthError as err:
        return err.message, skip, skip, skip
    except ValueError as err:  # NoteError, a period this page did not write
        return f"The note was not saved: {err}.", skip, skip, skip
    trend = page.trend_part(state)[0]
    return "Note saved.", notes_page.note_items(notes_page.notes_for(data)), "", trend


def register(app: dash.Dash) -> None:
    """Register the notes callbacks of the indicator view."""
    app.callback(
        Output(ids.NOTE_LIST, "children"), Output(ids.NOTE_PERIOD, "options"),
        Output(ids.NOTE_PERIOD, "value"),
        Input(ids.IND_SELECT, "value"), Input(C.area, "value"), State(C.domain, "value"),
        State(C.vintage, "value"), prevent_initial_call=True,
    )(refresh)
    app.callback(
        Output(ids.NOTE_MESSAGE, "children"),
        Output(ids.NOTE_LIST, "children", allow_duplicate=True),
        Output(ids.NOTE_TEXT, "value"),
        Output(ids.IND_TREND, "figure", allow_duplicate=True),
        Input(ids.NOTE_SAVE, "n_clicks"), State(ids.NOTE_TEXT, "value"),
        State(ids.NOTE_PERIOD, "value"), *[State(c, "value") for c in CONTROLS],
        State(ids.IND_NEIGHBOURS, "value"), State(ids.IND_CHART, "value"),
        prevent_initial_call=True,
    )(save)
