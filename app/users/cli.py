"""``flask users create``: the first admin of a new installation, and scripted accounts."""

import click
from flask.cli import with_appcontext

from app.cli import as_cli_actor, fail
from app.extensions import db
from app.units.services import find_unit_by_reference
from app.users.models import ROLE_LABELS
from app.users.services import UserError, create_user


@click.group("users", help="Quản lý tài khoản từ dòng lệnh.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên.")
@click.option("--role", type=click.Choice([str(r) for r in ROLE_LABELS]), required=True)
@click.option("--unit", "unit_ref", required=True, help="Mã, tên đúng hoặc #id của đơn vị.")
@click.password_option("--password", help="Mật khẩu (hỏi khi không truyền vào).")
@with_appcontext
def create(username, full_name, role, unit_ref, password):
    """Create an account (for example the first admin)."""
    as_cli_actor()
    unit, problem = find_unit_by_reference(unit_ref)
    if problem:
        fail(problem)
    try:
        user = create_user(
            username=username,
            full_name=full_name,
            role=role,
            unit=unit,
            password=password,
            must_change_password=False,
        )
    except UserError as error:
        fail(str(error))
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role_label}, {unit.name}).")
