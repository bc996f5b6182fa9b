"""Reports: plans (targets as data, DOMAIN.md §8, §9). The plans a user reads and the
scheme's defaults with each indicator's formula; a plan's page; a new plan and its edit
(officers of the plan's province or district or above, admins)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.concurrency import run_form, save_versioned
from app.extensions import db
from app.forms import parse_id
from app.reports import bp, permissions
from app.reports.forms import PlanCreateForm, PlanForm
from app.reports.indicators import INDICATORS, default_target
from app.reports.models import ReportingPlan
from app.reports.plans import (
    LIST_LIMIT,
    PlanError,
    create_plan,
    target_label,
    update_plan,
    values_of,
    visible_plans,
)
from app.reports.targets import plan_for, plan_targets
from app.security.scope import OutOfScope, in_scope
from app.units.models import Level, Unit
from app.units.services import paths_of, unit_reference, units_by_id


def _defaults() -> list[tuple]:
    """(indicator, its province target, its district target) of the scheme (DOMAIN.md §8)."""
    return [
        (i, default_target(i, Level.PROVINCE), default_target(i, Level.DISTRICT))
        for i in INDICATORS.values()
    ]


def load_plan(plan_id: int, manage: bool = False) -> ReportingPlan:
    """A plan the user reads (404 otherwise); 403 with the reason when ``manage`` and the user
    may not change it."""
    plan = db.session.get(ReportingPlan, plan_id)
    if plan is None:
        abort(404)
    if not permissions.can_view_plan(current_user, plan):
        raise OutOfScope()
    if manage and not permissions.can_manage_plan(current_user, plan):
        abort(
            403,
            "Chỉ cán bộ của đơn vị ban hành kế hoạch (hoặc cấp trên) và quản trị hệ thống mới "
            "sửa được kế hoạch này.",
        )
    return plan


@bp.get("/plans", endpoint="plans")
def plans():
    """The plans of the user's subtree and above it, the plan that applies to the user's unit,
    and the scheme's defaults with each indicator's formula."""
    shown = visible_plans(current_user)
    applies, source = plan_for(current_user.unit)
    return render_template(
        "reports/plans/index.html",
        plans=shown,
        units=units_by_id(p.unit_id for p in shown),
        applies=applies,
        source=source,
        defaults=_defaults(),
        limit=LIST_LIMIT,
        can_create=permissions.can_create_plan(current_user),
        label=target_label,
    )


@bp.route("/plans/new", methods=["GET", "POST"], endpoint="plan_create")
def plan_create():
    """A new plan of a province or district of the user's subtree (``?unit=`` chooses it);
    officers and admins."""
    unit = current_user.unit
    if "unit" in request.args:
        unit = db.session.get(Unit, parse_id(request.args["unit"]) or 0) or abort(404)
        if not in_scope(current_user, unit.id):
            raise OutOfScope()
    form = PlanCreateForm()
    if not form.is_submitted():
        if unit is not None and unit.level <= Level.DISTRICT:
            form.unit.data = unit_reference(unit, paths_of([unit.id])[unit.id])
        form.from_year.data, form.to_year.data = 2024, 2030
    plan, status = run_form(
        form,
        lambda: create_plan(current_user, form.unit.unit, form.values()),
        rule_error=PlanError,
    )
    if status is None:
        flash(f"Đã tạo kế hoạch “{plan.name}”.", "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id), 303)
    page = render_template("reports/plans/form.html", form=form, plan=None, label=target_label)
    return page, status


@bp.get("/plans/<int:plan_id>", endpoint="plan_detail")
def plan_detail(plan_id: int):
    """A plan: its document, years, deadlines, and each indicator's target (its own or the
    default) with what it counts."""
    plan = load_plan(plan_id)
    unit = db.session.get(Unit, plan.unit_id)
    own = plan_targets(plan)
    rows = [
        (i, own.get(k), default_target(i, unit.level if unit else Level.PROVINCE))
        for k, i in INDICATORS.items()
    ]
    return render_template(
        "reports/plans/detail.html",
        plan=plan,
        unit=unit,
        rows=rows,
        can_manage=permissions.can_manage_plan(current_user, plan),
        label=target_label,
    )


@bp.route("/plans/<int:plan_id>/edit", methods=["GET", "POST"], endpoint="plan_edit")
def plan_edit(plan_id: int):
    """Change a plan; its managers. A stale form gets 409."""
    plan = load_plan(plan_id, manage=True)
    form = PlanForm()
    if not form.is_submitted():
        form.show(values_of(plan))
    status = save_versioned(
        plan,
        form,
        lambda: update_plan(plan, form.values()),
        rule_error=PlanError,
    )
    if status is None:
        flash("Đã lưu kế hoạch.", "success")
        return redirect(url_for("reports.plan_detail", plan_id=plan.id), 303)
    unit = db.session.get(Unit, plan.unit_id)
    page = render_template(
        "reports/plans/form.html", form=form, plan=plan, unit=unit, label=target_label
    )
    return page, status
