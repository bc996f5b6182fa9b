"""Forms for managing accounts."""

import re

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from app.extensions import db
from app.forms import VersionField, choices
from app.security.forms import NewPasswordMixin
from app.units.forms import UnitReferenceField
from app.users.models import ROLE_LABELS, User

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class UserForm(FlaskForm):
    full_name = StringField(
        "Họ và tên",
        validators=[DataRequired("Nhập họ và tên."), Length(max=200, message="Tối đa 200 ký tự.")],
    )
    role = SelectField(
        "Vai trò",
        choices=choices(ROLE_LABELS.items()),
        validators=[DataRequired("Chọn vai trò.")],
    )
    unit = UnitReferenceField(
        "Đơn vị",
        description="Gõ vài chữ của tên đơn vị rồi chọn trong danh sách gợi ý.",
        render_kw={"list": "unit-options", "autocomplete": "off"},
    )
    version = VersionField()


class NewUserForm(NewPasswordMixin, UserForm):
    username = StringField(
        "Tên đăng nhập",
        validators=[DataRequired("Nhập tên đăng nhập."), Length(max=64)],
        description="Chữ thường không dấu, số, dấu chấm, gạch: ví dụ “nguyenvanduc”.",
        render_kw={"autocapitalize": "none", "autocomplete": "off"},
    )
    new_password = PasswordField(
        "Mật khẩu ban đầu",
        validators=[DataRequired("Nhập mật khẩu ban đầu.")],
        description="Người dùng phải đổi mật khẩu này ở lần đăng nhập đầu tiên.",
        render_kw={"autocomplete": "new-password"},
    )

    def validate_username(self, field):
        field.data = (field.data or "").strip().lower()
        if not USERNAME.match(field.data):
            raise ValidationError(
                "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, "
                "gạch dưới."
            )
        if db.session.scalar(select(User.id).where(User.username == field.data)):
            raise ValidationError("Tên đăng nhập này đã có người dùng.")
        self.username_for_policy = field.data


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    new_password = PasswordField(
        "Mật khẩu tạm thời",
        validators=[DataRequired("Nhập mật khẩu tạm thời.")],
        description="Người dùng phải đổi mật khẩu này ở lần đăng nhập tiếp theo.",
        render_kw={"autocomplete": "new-password"},
    )


class ActionForm(FlaskForm):
    """An action button: only the CSRF token."""
