"""Login, logout and password change."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.security import bp
from app.security.forms import ChangePasswordForm, LoginForm
from app.security.passwords import verify_password
from app.security.services import Throttled, authenticate, change_password, log_in, log_out

WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."
THROTTLED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password; anyone may call it."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if not form.validate_on_submit():
        status = 422 if form.is_submitted() else 200
        return render_template("auth/login.html", form=form), status
    try:
        user = authenticate(form.username.data, form.password.data)
    except Throttled:
        db.session.commit()
        return render_template("auth/login.html", form=form, error=THROTTLED), 429
    if user is None:
        db.session.commit()
        return render_template("auth/login.html", form=form, error=WRONG_CREDENTIALS), 401
    log_in(user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")), 303)


def _safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes to the home page."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and "\\" not in target:
            return target
    return url_for("main.index")


@bp.post("/logout")
def logout():
    """End the session (and every saved copy of its cookie); any logged-in user."""
    log_out(current_user._get_current_object())
    db.session.commit()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    """Change one's own password; any logged-in user."""
    form = ChangePasswordForm()
    form.username_for_policy = current_user.username
    if form.validate_on_submit():
        if verify_password(current_user.password_hash, form.current_password.data):
            change_password(current_user._get_current_object(), form.new_password.data)
            db.session.commit()
            flash("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất.", "success")
            return redirect(url_for("main.index"), 303)
        form.current_password.errors.append("Mật khẩu hiện tại không đúng.")
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
