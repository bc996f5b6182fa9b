"""``flask units ...`` commands."""

import click


@click.group("units", help="Đơn vị hành chính: nhập danh mục chính thức hoặc từ tệp CSV.")
def units_cli():
    pass
