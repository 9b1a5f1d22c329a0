"""Callbacks, one module per page; each exposes `register(app)`."""

from __future__ import annotations

import dash


def register_all(app: dash.Dash) -> None:
    """Register every page's callbacks on `app` (never Dash's global callback list)."""
    from callbacks import (
        about,
        changes,
        compare,
        controls,
        data,
        exports,
        indicator,
        indicator_notes,
        indicator_signals,
        pack,
        scorecard,
        shell,
    )

    for module in (shell, controls, scorecard, indicator, indicator_signals, compare, changes,
                   pack, about, exports, data, indicator_notes):
        module.register(app)
