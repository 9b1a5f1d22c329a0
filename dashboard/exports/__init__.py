"""Exports for reports and meetings: print-ready charts, spreadsheet tables, the meeting pack.

Charts (PNG at 2x by default, or SVG) are rendered on the server through one warm headless
Chromium per process (:mod:`.renderer`); tables are written as CSV or XLSX with a notes sheet
(:mod:`.tables`); the meeting pack is one PDF (:mod:`.pack`). The views link to the download
routes in :mod:`.routes` (``/export/...``); the CLI builds packs with ``python -m dashboard
pack``. Everything here is plain Python over the store, testable without Dash.
"""

from dashboard.exports.charts import (
    SIZES,
    ChartText,
    ExportChart,
    build_chart,
    comparison_chart,
    print_ready,
    render_chart,
    trend_chart,
)
from dashboard.exports.content import (
    ExportError,
    IndicatorContent,
    indicator_content,
    source_line,
    split_codes,
)
from dashboard.exports.links import download_href, download_hrefs, export_href
from dashboard.exports.pack import PackRequest, build_pack
from dashboard.exports.renderer import (
    ChartRenderer,
    RendererUnavailable,
    RenderJob,
    chromium_path,
    get_renderer,
)
from dashboard.exports.tables import (
    ExportTable,
    compare_table,
    indicator_table,
    neutralise,
    scorecard_table,
    to_csv,
    to_xlsx,
)

__all__ = [
    "SIZES",
    "ChartRenderer",
    "ChartText",
    "ExportChart",
    "ExportError",
    "ExportTable",
    "IndicatorContent",
    "PackRequest",
    "RenderJob",
    "RendererUnavailable",
    "build_chart",
    "build_pack",
    "chromium_path",
    "compare_table",
    "comparison_chart",
    "download_href",
    "download_hrefs",
    "export_href",
    "get_renderer",
    "indicator_content",
    "indicator_table",
    "neutralise",
    "print_ready",
    "render_chart",
    "scorecard_table",
    "source_line",
    "split_codes",
    "to_csv",
    "to_xlsx",
    "trend_chart",
]
