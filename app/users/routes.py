"""Admins create accounts, edit them, reset passwords, lock them and end their sessions."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.concurrency import save_edit
from app.extensions import db
from app.htmx import render_page_or_fragment
from app.pagination import keyset_page
from app.text import fold
from app.users import bp
from app.users.forms import ActionForm, NewUserForm, ResetPasswordForm, UserForm
from app.users.models import ROLE_LABELS, User
from app.users.services import (
    UserError,
    create_user,
    end_sessions,
    reset_password,
    set_active,
    update_user,
)


def load_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/")
def index():
    """All accounts, searchable by name or username and filtered by role; admins."""
    q, role = request.args.get("q", "").strip(), request.args.get("role", "")
    stmt = select(User)
    if q:
        key = fold(q)
        stmt = stmt.where(
            User.full_name_folded.contains(key, autoescape=True)
            | User.username.contains(key, autoescape=True)
        )
    if role in ROLE_LABELS:
        stmt = stmt.where(User.role == role)
    page = keyset_page(
        stmt,
        [(User.full_name_folded, False), (User.id, False)],
        request.args.get("after"),
        current_app.config["PAGE_SIZE"],
    )
    return render_page_or_fragment(
        "users/index.html",
        "users/_user_rows.html",
        rows_template="users/_user_rows.html",
        page=page,
        q=q,
        role=role,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Create an account with a first password that must be changed; admins."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                username=form.username.data,
                full_name=form.full_name.data,
                role=form.role.data,
                unit=form.unit.unit,
                password=form.new_password.data,
            )
        except UserError as error:
            form.new_password.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("users.edit", user_id=user.id), 303)
    status = 422 if form.is_submitted() else 200
    return render_template("users/form.html", form=form, user=None), status


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    """Edit name, role and unit, with the account's actions beside; admins."""
    user = load_user(user_id)
    form = UserForm(obj=user)
    status = save_edit(
        user,
        form,
        lambda: update_user(
            user, full_name=form.full_name.data, role=form.role.data, unit=form.unit.unit
        ),
        rule_error=UserError,
        show=lambda error: form.role.errors.append(str(error)),
    )
    if status is None:
        flash("Đã lưu tài khoản.", "success")
        return redirect(url_for("users.edit", user_id=user.id), 303)
    return _edit_page(user, form, ResetPasswordForm(), status)


def _edit_page(user: User, form, reset_form, status: int):
    return (
        render_template(
            "users/form.html", form=form, user=user, reset_form=reset_form, action_form=ActionForm()
        ),
        status,
    )


@bp.post("/<int:user_id>/reset-password", endpoint="reset_password")
def reset_password_(user_id: int):
    """Set a temporary password and end the user's sessions; admins."""
    user = load_user(user_id)
    reset_form = ResetPasswordForm()
    reset_form.username_for_policy = user.username
    if not reset_form.validate_on_submit():
        form = UserForm(obj=user, formdata=None)
        form.version.data = user.version
        return _edit_page(user, form, reset_form, 422)
    reset_password(user, reset_form.new_password.data)
    db.session.commit()
    flash(
        f"Đã đặt mật khẩu tạm thời cho {user.username}; mọi phiên đăng nhập đã kết thúc.", "success"
    )
    return redirect(url_for("users.edit", user_id=user.id), 303)


def _account_action(user_id: int, action, message: str):
    user = load_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        action(user)
    except UserError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message.format(username=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id), 303)


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int):
    """Lock an account: it can no longer log in and its sessions end; admins."""
    return _account_action(
        user_id,
        lambda user: set_active(user, False, current_user),
        "Đã khóa tài khoản {username}.",
    )


@bp.post("/<int:user_id>/activate")
def activate(user_id: int):
    """Unlock an account; admins."""
    return _account_action(
        user_id,
        lambda user: set_active(user, True, current_user),
        "Đã mở khóa tài khoản {username}.",
    )


@bp.post("/<int:user_id>/end-sessions", endpoint="end_sessions")
def end_sessions_(user_id: int):
    """Log the user out on every device; admins."""
    return _account_action(user_id, end_sessions, "Đã kết thúc mọi phiên đăng nhập của {username}.")
