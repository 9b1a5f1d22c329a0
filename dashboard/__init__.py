"""The plain-Python core of the safeguarding partnership performance dashboard.

Everything here is testable without a browser: the store, the importers, the metrics,
the figures, the narrative and the API. Nothing here imports Dash.
"""
