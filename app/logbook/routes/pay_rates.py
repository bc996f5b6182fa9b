"""Pay rates (mức thù lao): a province's remuneration per ended case, dated (DOMAIN.md §4)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.clock import today
from app.concurrency import save_edit
from app.extensions import db
from app.forms import add_errors, parse_id
from app.logbook import bp, permissions
from app.logbook import services as logbook
from app.logbook.forms.remuneration import PayRateForm
from app.logbook.models import PayRate
from app.logbook.rules import rate_on
from app.security.scope import OutOfScope
from app.units.models import Level, Unit


def rate_province(raw: str | None) -> Unit:
    """The province whose rates are shown: the user's own; an admin chooses any."""
    chosen = parse_id(raw) if raw else None
    if raw and chosen is None:
        abort(404)
    own = logbook.province_of(current_user.unit_id)
    if not current_user.is_admin:
        if own is None or (chosen is not None and chosen != own.id):
            raise OutOfScope()
        return own
    if chosen is None:
        own = own or db.session.scalar(
            select(Unit).where(Unit.level == Level.PROVINCE).order_by(Unit.name_folded).limit(1)
        )
        if own is None:
            abort(404)
        return own
    province = db.session.get(Unit, chosen)
    if province is None or province.level != Level.PROVINCE:
        abort(404)
    return province


def managed_province(raw: str | None) -> Unit:
    province = rate_province(raw)
    if not permissions.can_manage_pay_rates(current_user, province):
        abort(403)
    return province


@bp.get("/pay-rates/", endpoint="pay_rates")
def pay_rates():
    """A province's remuneration per case, newest first; readers of that province."""
    province = rate_province(request.args.get("province"))
    rates = logbook.pay_rates(province.id)
    provinces = []
    if current_user.is_admin:
        stmt = select(Unit).where(Unit.level == Level.PROVINCE, Unit.valid_to.is_(None))
        provinces = list(db.session.scalars(stmt.order_by(Unit.name_folded)))
    return render_template(
        "logbook/remuneration/rates.html",
        province=province,
        rates=rates,
        in_force=rate_on(rates, today()),
        today=today(),
        provinces=provinces,
        can_manage=permissions.can_manage_pay_rates(current_user, province),
    )


@bp.route("/pay-rates/new", methods=["GET", "POST"], endpoint="pay_rate_create")
def pay_rate_create():
    """Add a province's rate from a date; admins, and officers of the province itself."""
    province = managed_province(request.args.get("province"))
    form = PayRateForm()
    if form.validate_on_submit():
        try:
            rate = logbook.create_pay_rate(province, **form.values())
        except logbook.LogbookError as error:
            db.session.rollback()
            add_errors(form, error.errors)
        else:
            db.session.commit()
            flash(f"Đã thêm mức thù lao áp dụng từ {rate.effective_from:%d/%m/%Y}.", "success")
            return redirect(url_for("logbook.pay_rates", province=province.id), 303)
    status = 422 if form.is_submitted() else 200
    page = render_template(
        "logbook/remuneration/rate_form.html", form=form, province=province, rate=None
    )
    return page, status


@bp.route("/pay-rates/<int:rate_id>/edit", methods=["GET", "POST"], endpoint="pay_rate_edit")
def pay_rate_edit(rate_id: int):
    """Correct a rate (cases already paid keep what they were paid); as pay_rate_create."""
    rate = db.session.get(PayRate, rate_id)
    if rate is None:
        abort(404)
    province = managed_province(str(rate.province_id))
    form = PayRateForm(obj=rate)
    status = save_edit(
        rate,
        form,
        lambda: logbook.update_pay_rate(rate, form.values()),
        rule_error=logbook.LogbookError,
        show=lambda error: add_errors(form, error.errors),
    )
    if status is None:
        flash(f"Đã lưu mức thù lao áp dụng từ {rate.effective_from:%d/%m/%Y}.", "success")
        return redirect(url_for("logbook.pay_rates", province=province.id), 303)
    page = render_template(
        "logbook/remuneration/rate_form.html", form=form, province=province, rate=rate
    )
    return page, status
