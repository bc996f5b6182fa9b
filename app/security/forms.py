"""Login and password forms."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.security.passwords import password_problems


class LoginForm(FlaskForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)],
        render_kw={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"},
    )
    password = PasswordField(
        "Mật khẩu",
        validators=[DataRequired("Nhập mật khẩu."), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class NewPasswordMixin:
    """A new password with its confirmation, checked against the policy."""

    username_for_policy = ""

    def validate_new_password(self, field):
        problems = password_problems(field.data or "", self.username_for_policy)
        if problems:
            raise ValidationError(" ".join(problems))


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Mật khẩu hiện tại",
        validators=[DataRequired("Nhập mật khẩu hiện tại.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "Mật khẩu mới",
        validators=[DataRequired("Nhập mật khẩu mới.")],
        render_kw={"autocomplete": "new-password"},
        description="Ít nhất 8 ký tự; nên dùng một câu dễ nhớ. Không dùng mật khẩu phổ biến.",
    )
    confirm = PasswordField(
        "Nhập lại mật khẩu mới",
        validators=[
            DataRequired("Nhập lại mật khẩu mới."),
            EqualTo("new_password", "Hai lần nhập mật khẩu mới không khớp."),
        ],
        render_kw={"autocomplete": "new-password"},
    )
