"""Shop insight: the summary of a period (GET /api/reports/summary), the dashboard's tiles and the accountant's
exports. Everything is summed in the database, per period of shop days (services.reports.period)."""

from services.reports import dashboard
from services.reports.exports import export
from services.reports.period import Period, period_of
from services.reports.summary import summary

__all__ = ["Period", "dashboard", "export", "period_of", "summary"]
