"""Dashboards against the scheme's targets and the periodic reports (DOMAIN.md §8, §9).

Started with issue 8: the indicators and their computation for the sub-units of any unit;
the plans, the dashboard and the reports build on them."""
