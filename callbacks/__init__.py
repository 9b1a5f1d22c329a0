"""Callbacks, one module per page; each exposes `register(app)`."""

from __future__ import annotations

import dash


def register_all(app: dash.Dash) -> None:
    """Register every page's callbacks on `app` (never Dash's global callback list)."""
    from callbacks import about, compare, controls, indicator, scorecard, shell

    for module in (shell, controls, scorecard, indicator, compare, about):
        module.register(app)
