"""ECharts options for the dashboard pages (rendered by educio.js from a json_script block, no inline script)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from educio.appointments.coverage import CoverageReport, CoverageRow
from educio.orgs.models import OrgKind

# Beyond this many bars only the child bureaus are drawn (the table still lists every row).
MAX_BARS = 40


def _chart_rows(report: CoverageReport) -> list[CoverageRow]:
    rows = [r for r in report.rows if r.tally.required]
    if len(rows) > MAX_BARS:
        rows = [r for r in rows if r.unit.kind in (OrgKind.BUREAU, OrgKind.UNIVERSITY)][:MAX_BARS]
    return rows


def coverage_share_chart(report: CoverageReport) -> dict[str, Any]:
    """Share with an active CIO per child unit, the pack's target as a dashed line."""
    rows = _chart_rows(report)
    series: dict[str, Any] = {
        "name": _("覆盖率"),
        "type": "bar",
        "barMaxWidth": 36,
        "data": [r.tally.share for r in rows],
        "label": {"show": True, "position": "top", "formatter": "{c}%"},
    }
    goals = sorted({t.target.share_percent for t in report.targets})
    if goals:
        series["markLine"] = {
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": "#d63939"},
            "label": {"formatter": _("目标 {c}%"), "position": "insideEndTop"},
            "data": [{"yAxis": goal} for goal in goals],
        }
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 48, "top": 24, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [r.unit.short_name or r.unit.name for r in rows],
            "axisLabel": {"interval": 0, "rotate": 30 if len(rows) > 6 else 0},
        },
        "yAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [series],
    }


def nominations_chart(report: CoverageReport) -> dict[str, Any]:
    """Nominations of the subtree by status."""
    counts = report.nomination_counts
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": [label for _s, label, _n in counts]},
        "series": [
            {
                "name": _("推荐数"),
                "type": "bar",
                "barMaxWidth": 22,
                "data": [n for _s, _label, n in counts],
                "label": {"show": True, "position": "right"},
            }
        ],
    }
