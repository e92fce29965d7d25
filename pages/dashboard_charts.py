"""The dashboard's ECharts options, built from the reports' numbers: Dutch labels, amounts as € 1.234,56 (the
browser's nl-NL currency format), hours with a decimal comma."""

from typing import Any

from models.planning_public import PlanningDay
from models.reports_public import InspectionNumbers, MechanicHours
from services.billing import euro
from services.reports.charts import Flow, WeeklyRevenue

EURO_JS = "v => v == null ? '–' : new Intl.NumberFormat('nl-NL', {style: 'currency', currency: 'EUR'}).format(v)"
HOURS_JS = "v => v == null ? '–' : v.toLocaleString('nl-NL', {maximumFractionDigits: 1}) + ' uur'"
COLUMN_COLOURS = ["#9ca3af", "#3b82f6", "#f97316", "#ef4444", "#16a34a", "#64748b"]  # pages.theme's accents


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def hours_text(minutes: int) -> str:
    """12,5: hours with a decimal comma."""
    return f"{_hours(minutes):.1f}".replace(".", ",")


def revenue_options(weeks: WeeklyRevenue) -> dict[str, Any]:
    def euros(values: list[int | None]) -> list[float | None]:
        return [None if cents is None else cents / 100 for cents in values]

    return {
        "title": {"text": "Omzet excl. btw per week", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis", ":valueFormatter": EURO_JS},
        "legend": {"top": 24},
        "grid": {"top": 64, "left": 72, "right": 16, "bottom": 32},
        "xAxis": {"type": "category", "data": [f"wk {week}" for week in range(1, 54)]},
        "yAxis": {"type": "value", "axisLabel": {":formatter": EURO_JS}},
        "series": [
            {"name": str(weeks.year - 1), "type": "line", "data": euros(weeks.last_year),
             "lineStyle": {"type": "dashed"}},
            {"name": str(weeks.year), "type": "line", "data": euros(weeks.this_year), "areaStyle": {"opacity": 0.15}},
        ],
    }  # fmt: skip


def mechanics_options(mechanics: list[MechanicHours]) -> dict[str, Any]:
    names = [mechanic.name for mechanic in mechanics]
    return {
        "title": {"text": "Monteurs: geklokt tegen gefactureerd", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"top": 64, "left": 56, "right": 56, "bottom": 32},
        "xAxis": {"type": "category", "data": names},
        "yAxis": [
            {"type": "value", "name": "uur", "axisLabel": {":formatter": HOURS_JS}},
            {"type": "value", "name": "efficiëntie", "axisLabel": {"formatter": "{value} %"}},
        ],
        "series": [
            {"name": "Geklokt", "type": "bar", "data": [_hours(m.clocked_minutes) for m in mechanics],
             "tooltip": {":valueFormatter": HOURS_JS}},
            {"name": "Gefactureerd", "type": "bar", "data": [_hours(m.billed_minutes) for m in mechanics],
             "tooltip": {":valueFormatter": HOURS_JS}},
            {"name": "Efficiëntie", "type": "line", "yAxisIndex": 1,
             "data": [None if m.efficiency is None else round(m.efficiency * 100) for m in mechanics],
             "tooltip": {"valueFormatter": "{value} %"}},
        ],
    }  # fmt: skip


def approval_rate(numbers: InspectionNumbers) -> int | None:
    """Percent of the answered recommendations that were approved."""
    answered = numbers.approved + numbers.declined
    return round(100 * numbers.approved / answered) if answered else None


def inspection_options(numbers: InspectionNumbers) -> dict[str, Any]:
    rate = approval_rate(numbers)
    waiting = numbers.items - numbers.approved - numbers.declined
    return {
        "title": {
            "text": "Aanbevelingen uit de keuring",
            "subtext": f"{'–' if rate is None else f'{rate} %'} akkoord · {euro(numbers.approved_cents)} incl. btw",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "type": "pie",
                "radius": ["40%", "65%"],
                "center": ["50%", "58%"],
                "data": [
                    {"name": "Akkoord", "value": numbers.approved, "itemStyle": {"color": "#16a34a"}},
                    {"name": "Niet nu", "value": numbers.declined, "itemStyle": {"color": "#ef4444"}},
                    {"name": "Nog geen antwoord", "value": waiting, "itemStyle": {"color": "#9ca3af"}},
                ],
            }
        ],
    }


def flow_options(flow: Flow) -> dict[str, Any]:
    return {
        "title": {"text": "Werkorders per kolom, laatste 8 weken", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 24},
        "grid": {"top": 72, "left": 48, "right": 16, "bottom": 32},
        "xAxis": {"type": "category", "boundaryGap": False, "data": [day.strftime("%d-%m") for day in flow.days]},
        "yAxis": {"type": "value"},
        "series": [
            {"name": column, "type": "line", "stack": "orders", "areaStyle": {}, "symbol": "none",
             "itemStyle": {"color": colour}, "data": counts}
            for (column, counts), colour in reversed(list(zip(flow.columns.items(), COLUMN_COLOURS, strict=True)))
        ],
    }  # fmt: skip


def today_options(day: PlanningDay) -> dict[str, Any]:
    names = [mechanic.name for mechanic in day.mechanics]
    return {
        "title": {
            "text": "Vandaag: afspraken tegen capaciteit",
            "subtext": f"{hours_text(day.planned_minutes)} van {hours_text(day.capacity_minutes)} uur gepland",
            "textStyle": {"fontSize": 14},
        },
        "tooltip": {"trigger": "axis", ":valueFormatter": HOURS_JS},
        "legend": {"top": 40},
        "grid": {"top": 80, "left": 56, "right": 16, "bottom": 32},
        "xAxis": {"type": "category", "data": names},
        "yAxis": {"type": "value", "axisLabel": {":formatter": HOURS_JS}},
        "series": [
            {"name": "Capaciteit", "type": "bar", "data": [_hours(m.capacity_minutes) for m in day.mechanics],
             "itemStyle": {"color": "#cbd5e1"}},
            {"name": "Gepland", "type": "bar", "data": [_hours(m.planned_minutes) for m in day.mechanics],
             "itemStyle": {"color": "#3b82f6"}},
        ],
    }  # fmt: skip
