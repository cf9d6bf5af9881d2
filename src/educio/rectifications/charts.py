"""ECharts options of the rectification dashboard (rendered by educio.js from a json_script block)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from educio.rectifications.selectors import Dashboard

# Beyond this many bars the chart keeps the first ones (the table below still lists every unit).
MAX_BARS = 40
SERIES = (
    ("open", "待整改", "#f59f00"),
    ("submitted", "复查中", "#4299e1"),
    ("overdue", "已逾期", "#d63939"),
    ("passed", "已销号", "#2fb344"),
    ("revoked", "已取消任命", "#6c7a91"),
)


def orders_by_unit_chart(dashboard: Dashboard) -> dict[str, Any]:
    """One group of bars per child unit: how many orders are open, under re-check, overdue, passed, revoked."""
    rows = [r for r in dashboard.rows if r.tally.total][:MAX_BARS]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [r.unit.short_name or r.unit.name for r in rows],
            "axisLabel": {"interval": 0, "rotate": 30 if len(rows) > 6 else 0},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _(label),
                "type": "bar",
                "barMaxWidth": 18,
                "itemStyle": {"color": color},
                "data": [getattr(r.tally, key) for r in rows],
            }
            for key, label, color in SERIES
        ],
    }
