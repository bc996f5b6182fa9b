"""The home page of each role, and the health check for the load balancer."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from app.extensions import db
from app.main import bp, services
from app.users.models import Role


@bp.get("/")
def index():
    """What each role needs on day one; any logged-in user."""
    role = current_user.role
    if role == Role.ADMIN:
        return render_template("main/home_admin.html", **services.admin_overview())
    if role == Role.JUDGE:
        from app.contests.rules import format_mark
        from app.contests.services.judging import judge_seats

        seats = judge_seats(current_user)
        return render_template("main/home_judge.html", seats=seats, mark=format_mark)
    if role == Role.COMMUNE_STAFF:
        return render_template("main/home_commune.html", **services.commune_overview(current_user))
    return render_template("main/home_officer.html", **services.officer_overview(current_user))


@bp.get("/healthz")
def health():
    """200 when the app can reach its database; anyone (used by nginx or a monitor)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
