"""QUALITY.md P7: importing a 10,000-row spreadsheet costs at most 5× reading it.

    python -m app.registry.excel.measure [--rows 10000] [--runs 3] [--database URL]

Builds a scratch database (a temporary SQLite file unless --database names one: its tables are
dropped and created), a commune per run with 40 teams, and a file of new mediators in the
template's format. Times, median of the runs: reading the file with openpyxl alone (read-only,
every cell); the dry run (read, check, match); the import (dry run, apply, commit). Not a test.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import inspect, text

from app.registry.excel.columns import HEADERS, SHEET

SURNAMES = ["Giàng", "Sùng", "Vàng", "Lý", "Thào", "Mùa", "Lò", "Lường", "Quàng", "Nguyễn"]
MIDDLE = ["A", "Thị", "Văn", "Seo", "Thị Thu"]
GIVEN = ["Páo", "Mai", "Dính", "Sử", "Dợ", "Chư", "Thanh", "Hoa", "Ươi", "Đức", "Lan", "Dé"]
ETHNIC = ["Mông", "Thái", "Hà Nhì", "Dao", "Khơ-mú", "Kinh"]
TEAMS = 40


def make_file(rows: int, seed: int = 7) -> bytes:
    """A template-shaped file of new, valid mediators spread over the TEAMS teams."""
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append(HEADERS)
    for n in range(rows):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {n:05d}"
        sheet.append(
            [
                None,
                name,
                rng.choice(["Nam", "Nữ"]),
                rng.randint(1950, 2000),
                rng.choice(ETHNIC),
                f"09{rng.randint(10_000_000, 99_999_999)}",
                "Làm nông",
                "Hội Nông dân",
                "Trung học cơ sở",
                "Bản Nậm Pồ",
                f"Tổ hòa giải Bản {n % TEAMS + 1}",
                f"{n % 90 + 1}/QĐ-UBND",
                "01/03/2024",
                None,
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_only(data: bytes) -> int:
    """The baseline: open the workbook with openpyxl and read every cell."""
    workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    cells = sum(len(row) for row in workbook[SHEET].iter_rows(values_only=True))
    workbook.close()
    return cells


def make_commune(name: str):
    from app.extensions import db
    from app.registry.services.teams import create_team
    from app.units.services import create_unit

    province = create_unit(parent=None, kind="tinh", name=f"Tỉnh Đo {name}")
    commune = create_unit(
        parent=province, kind="xa", name=f"Xã Đo {name}", is_ethnic_minority_area=True
    )
    for n in range(1, TEAMS + 1):
        village = create_unit(parent=commune, kind="ban", name=f"Bản {n}")
        create_team(unit=village)
    db.session.commit()
    return commune


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def wait_for_quiet(threshold: float, at_most: float) -> float:
    """The machine may be shared: wait (a bounded time) for its load to calm down."""
    deadline = time.monotonic() + at_most
    while os.getloadavg()[0] > threshold and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def one_run(data: bytes, commune, rows: int) -> tuple[float, float, float]:
    """Reading alone, the dry run, the import (in a request, as the routes run them)."""
    from app.extensions import db
    from app.registry.excel.importer import apply_plan
    from app.registry.excel.planner import plan_import

    read = timed(lambda: read_only(data))
    unit = db.session.merge(commune)
    dry = timed(lambda: plan_import(data, unit))
    db.session.rollback()

    def full_import():
        plan = plan_import(data, unit)
        assert not plan.bad and len(plan.creates) == rows, plan.bad[:3]
        apply_plan(plan, "tệp đo")
        db.session.commit()

    total = timed(full_import)
    assert len(plan_import(data, unit).unchanged) == rows  # a second import changes nothing
    return read, dry, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", help="SQLAlchemy URL of a scratch database")
    parser.add_argument("--quiet-load", type=float, default=1.5)
    parser.add_argument("--quiet-wait", type=float, default=0, help="seconds, at most")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'p7.sqlite3'}"

    from app import create_app
    from app.extensions import db

    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    data = make_file(args.rows)
    with app.app_context():
        backend = db.engine.dialect.name
        if "users" in inspect(db.engine).get_table_names() and db.session.scalar(
            text("SELECT count(*) FROM users")
        ):
            raise SystemExit(f"{url} has users: not a scratch database, nothing done.")
        db.drop_all()
        db.create_all()
        communes = [make_commune(str(run)) for run in range(args.runs)]
    results = []
    for number, commune in enumerate(communes, start=1):
        load = wait_for_quiet(args.quiet_load, args.quiet_wait)
        with app.test_request_context(method="POST"):
            read, dry, total = one_run(data, commune, args.rows)
            db.session.remove()
        results.append((read, dry, total))
        print(
            f"run {number} (load {load:.1f}): read {read:.2f} s, dry run {dry:.2f} s "
            f"({dry / read:.1f}×), import {total:.2f} s ({total / read:.1f}×)"
        )
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    read = statistics.median(r for r, _, _ in results)
    dry = statistics.median(d / r for r, d, _ in results)
    full = statistics.median(t / r for r, _, t in results)
    print(
        f"{backend}, {args.rows} rows, median of {args.runs} runs: reading {read:.2f} s; dry run "
        f"{dry:.1f}× reading; import {full:.1f}× reading (QUALITY.md P7: at most 5×)"
    )


if __name__ == "__main__":
    main()
