"""Logbook routes: cases, a team's book and its print, success rates, remuneration."""
