"""Serve the app under gunicorn and measure it (QUALITY.md, Performance).

    .venv/bin/python -m bench.run --database sqlite:///bench/out/national.sqlite3
    .venv/bin/python -m bench.run --database postgresql://postgres@127.0.0.1/hoagiai_bench
    .venv/bin/python -m bench.report          # docs/PERFORMANCE.md from the results

gunicorn with 2 sync workers, APP_ENV=production (scrypt passwords, production config) with a
generated SECRET_KEY and SESSION_COOKIE_SECURE=false (plain HTTP on 127.0.0.1), on a free port
of 127.0.0.1. One client sends the requests one after the other (``--clients 2`` for two
concurrent clients): each scenario is a warm-up (not counted) and then a fixed number of
requests, bounded in time; p50/p95 per scenario; ratios to the trivial route's p95 of the same
round; three rounds, and the median of the three is what counts (QUALITY.md: "ratios measured
in one run, median of 3"). Then, in-process (Flask test client on the same database), the number
of SQL statements of each scenario's request, and the weight of the list page with its assets.

Results: bench/out/results-<sqlite|postgresql>.json.
"""

import argparse
import json
import math
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.client import Client, asset_paths, find_form, more_link
from bench.generate import DEFAULT_SQLITE, OUT, PASSWORD, ROOT, engine_url

LIST = "/registry/mediators/"
LOGBOOK = "/logbook/"
RATES = "/logbook/rates"
HX = {"HX-Request": "true"}
DEEP_PAGES = 50


def log(message: str) -> None:
    print(message, flush=True)


# --- What to measure ---------------------------------------------------------------------------


@dataclass
class Scenario:
    key: str
    label: str
    user: str | None  # None: anonymous
    path: str = ""
    headers: dict = field(default_factory=dict)
    save: tuple[int, int] | None = None  # two mediator ids, edited in turn
    expect: int = 200


@dataclass
class Fixture:
    """What the scenarios need, read from the benchmark database."""

    admin: str
    officer: str
    staff: str
    province: dict
    commune: dict
    rare_name: str
    province_end_cursor: str
    country_end_cursor: str
    save_ids: tuple[int, int]
    counts: dict
    logbook: dict = field(default_factory=dict)


def read_fixture(url: str) -> Fixture:
    from app.pagination import encode_cursor

    engine = create_engine(engine_url(url))
    with engine.connect() as conn:
        q = lambda sql, **kw: conn.execute(text(sql), kw)  # noqa: E731
        admin = q("SELECT username FROM users WHERE role = 'admin' ORDER BY id").scalar()
        province_id, province_count = q(
            "SELECT province_id, COUNT(*) FROM mediators GROUP BY province_id "
            "ORDER BY COUNT(*) DESC LIMIT 1"
        ).one()
        province_name = q("SELECT name FROM units WHERE id = :i", i=province_id).scalar()
        officer = q(
            "SELECT username FROM users WHERE role = 'officer' AND unit_id = :i", i=province_id
        ).scalar()
        staffed = q(
            "SELECT u.username, u.unit_id, n.name, (SELECT COUNT(*) FROM mediators m "
            " WHERE m.commune_id = u.unit_id) AS c FROM users u JOIN units n ON n.id = u.unit_id "
            "WHERE u.role = 'commune_staff' AND n.parent_id = :p ORDER BY c DESC",
            p=province_id,
        ).all()
        staff, commune_id, commune_name, commune_count = staffed[0]
        # A full name that only one mediator of the country has, in that province.
        rare = q(
            "SELECT name_folded FROM mediators WHERE status = 'active' GROUP BY name_folded "
            "HAVING COUNT(*) = 1 AND MIN(province_id) = :p ORDER BY name_folded LIMIT 1 OFFSET 7",
            p=province_id,
        ).scalar()

        def end_cursor(where: str, **kw) -> str:
            # The key of the row 61st from the end: the page after it holds the last 60 rows,
            # 50 of them shown with a "more" link, as a late page of the list does.
            row = q(
                f"SELECT name_folded, id FROM mediators WHERE status = 'active' {where} "  # noqa: S608
                "ORDER BY name_folded DESC, id DESC LIMIT 1 OFFSET 60",
                **kw,
            ).one()
            return encode_cursor((row[0], row[1]))

        province_end = end_cursor("AND province_id = :p", p=province_id)
        country_end = end_cursor("")
        save_ids = tuple(
            q(
                "SELECT id FROM mediators WHERE commune_id = :c AND status = 'active' "
                "ORDER BY id LIMIT 2",
                c=commune_id,
            ).scalars()
        )
        counts = {
            table: q(f"SELECT COUNT(*) FROM {table}").scalar()  # noqa: S608 - constant names
            for table in (
                "units",
                "unit_closure",
                "teams",
                "mediators",
                "mediator_events",
                "team_memberships",
                "trainings",
                "training_attendances",
                "trainers",
                "supporters",
                "users",
            )
        }
        counts["villages"] = q("SELECT COUNT(*) FROM units WHERE level = 4").scalar()
        counts["communes"] = q("SELECT COUNT(*) FROM units WHERE level = 3").scalar()
        counts["provinces"] = q("SELECT COUNT(*) FROM units WHERE level = 1").scalar()
        counts["active_mediators"] = q(
            "SELECT COUNT(*) FROM mediators WHERE status = 'active'"
        ).scalar()
        logbook = read_logbook_fixture(q, province_id, commune_id)
        counts.update(logbook.pop("counts"))
    engine.dispose()
    return Fixture(
        admin=admin,
        officer=officer,
        staff=staff,
        province={"id": province_id, "name": province_name, "mediators": province_count},
        commune={"id": commune_id, "name": commune_name, "mediators": commune_count},
        rare_name=rare,
        province_end_cursor=province_end,
        country_end_cursor=country_end,
        save_ids=save_ids,
        counts=counts,
        logbook=logbook,
    )


def read_logbook_fixture(q, province_id: int, commune_id: int) -> dict:
    """The logbook's: cursors near the end of the province's and the country's lists, the
    busiest team's book this year, the years the cases cover, the counts."""
    from app.pagination import encode_cursor

    def end_cursor(where: str, **kw) -> str:
        # The list is newest first: the row 61st from the end is the 61st oldest.
        row = q(
            f"SELECT received_on, id FROM logbook_entries {where} "  # noqa: S608
            "ORDER BY received_on, id LIMIT 1 OFFSET 60",
            **kw,
        ).one()
        return encode_cursor((str(row[0])[:10], row[1]))

    first, last = q("SELECT MIN(year), MAX(year) FROM logbook_entries").one()
    team_id, team_cases = q(
        "SELECT team_id, COUNT(*) FROM logbook_entries WHERE province_id = :p AND year = :y "
        "GROUP BY team_id ORDER BY COUNT(*) DESC, team_id LIMIT 1",
        p=province_id,
        y=last,
    ).one()
    counts = {
        table: q(f"SELECT COUNT(*) FROM {table}").scalar()  # noqa: S608 - constant names
        for table in (
            "logbook_entries",
            "logbook_parties",
            "logbook_mediators",
            "remuneration_payments",
            "pay_rates",
        )
    }
    counts["logbook_province"] = q(
        "SELECT COUNT(*) FROM logbook_entries WHERE province_id = :p", p=province_id
    ).scalar()
    counts["logbook_commune"] = q(
        "SELECT COUNT(*) FROM logbook_entries WHERE commune_id = :c", c=commune_id
    ).scalar()
    counts["logbook_this_year"] = q(
        "SELECT COUNT(*) FROM logbook_entries WHERE year = :y", y=last
    ).scalar()
    return {
        "province_end_cursor": end_cursor("WHERE province_id = :p", p=province_id),
        "country_end_cursor": end_cursor(""),
        "team": {"id": team_id, "cases": team_cases, "year": last},
        "first_year": first,
        "last_year": last,
        "counts": counts,
    }


def scenarios(fx: Fixture, deep: dict[str, str]) -> list[Scenario]:
    def search(q: str) -> str:
        return f"{LIST}?{urlencode({'q': q})}"

    s = [
        Scenario("trivial", "Trivial route (/healthz)", None, "/healthz"),
        Scenario("commune_list", f"List, one commune ({fx.commune['name']})", fx.staff, LIST),
        Scenario("province_list", f"List, one province ({fx.province['name']})", fx.officer, LIST),
        Scenario("country_list", "List, whole country", fx.admin, LIST),
        Scenario(
            "province_deep",
            f"Province, page {DEEP_PAGES + 1} (followed cursors)",
            fx.officer,
            deep["province"],
        ),
        Scenario(
            "province_end",
            "Province, a page near the end",
            fx.officer,
            f"{LIST}?after={fx.province_end_cursor}",
        ),
        Scenario(
            "country_deep",
            f"Country, page {DEEP_PAGES + 1} (followed cursors)",
            fx.admin,
            deep["country"],
        ),
        Scenario(
            "country_end",
            "Country, a page near the end",
            fx.admin,
            f"{LIST}?after={fx.country_end_cursor}",
        ),
        Scenario(
            "province_more",
            "Province, next page of rows (htmx 'Xem tiếp')",
            fx.officer,
            deep["province_page2"],
            {**HX, "HX-Target": "mediator-rows-more"},
        ),
        Scenario(
            "province_q_full",
            "Province search “nguyen van duc”",
            fx.officer,
            search("nguyen van duc"),
        ),
        Scenario("province_q_given", "Province search “duc”", fx.officer, search("duc")),
        Scenario(
            "province_q_rare",
            f"Province search, a rare name “{fx.rare_name}”",
            fx.officer,
            search(fx.rare_name),
        ),
        Scenario(
            "province_q_htmx",
            "Province search “duc” (htmx fragment)",
            fx.officer,
            search("duc"),
            {**HX, "HX-Target": "mediator-rows"},
        ),
        Scenario(
            "country_q_full", "Country search “nguyen van duc”", fx.admin, search("nguyen van duc")
        ),
        Scenario("country_q_given", "Country search “duc”", fx.admin, search("duc")),
        Scenario(
            "country_q_rare",
            f"Country search, a rare name “{fx.rare_name}”",
            fx.admin,
            search(fx.rare_name),
        ),
        Scenario(
            "save",
            "Save a mediator's record (POST, commune staff)",
            fx.staff,
            save=fx.save_ids,
            expect=303,
        ),
    ]
    return s + logbook_scenarios(fx, deep)


def logbook_scenarios(fx: Fixture, deep: dict[str, str]) -> list[Scenario]:
    """The logbook's list (P1, P2) and the success-rates page for a province and the whole
    country, this year and over every year of the data (P5), and the busiest team's book."""
    lb = fx.logbook
    years = f"{lb['first_year']}–{lb['last_year']}"
    span = (
        RATES
        + "?"
        + urlencode(
            {
                "period": "custom",
                "start": f"01/01/{lb['first_year']}",
                "end": f"31/12/{lb['last_year']}",
            }
        )
    )
    province = fx.province["name"]
    return [
        Scenario(
            "lb_commune_list", f"Logbook, one commune ({fx.commune['name']})", fx.staff, LOGBOOK
        ),
        Scenario("lb_province_list", f"Logbook, one province ({province})", fx.officer, LOGBOOK),
        Scenario("lb_country_list", "Logbook, whole country", fx.admin, LOGBOOK),
        Scenario(
            "lb_province_deep",
            f"Logbook, province, page {DEEP_PAGES + 1} (followed cursors)",
            fx.officer,
            deep["lb_province"],
        ),
        Scenario(
            "lb_province_end",
            "Logbook, province, a page near the end",
            fx.officer,
            f"{LOGBOOK}?after={lb['province_end_cursor']}",
        ),
        Scenario(
            "lb_country_deep",
            f"Logbook, country, page {DEEP_PAGES + 1} (followed cursors)",
            fx.admin,
            deep["lb_country"],
        ),
        Scenario(
            "lb_country_end",
            "Logbook, country, a page near the end",
            fx.admin,
            f"{LOGBOOK}?after={lb['country_end_cursor']}",
        ),
        Scenario(
            "lb_province_more",
            "Logbook, province, next page of rows (htmx 'Xem tiếp')",
            fx.officer,
            deep["lb_province_page2"],
            {**HX, "HX-Target": "entry-rows-more"},
        ),
        Scenario(
            "lb_team_book",
            f"Logbook, the busiest team's book ({lb['team']['cases']} cases of "
            f"{lb['team']['year']})",
            fx.officer,
            f"{LOGBOOK}teams/{lb['team']['id']}",
        ),
        Scenario("rates_province_year", f"Success rates, {province}, this year", fx.officer, RATES),
        Scenario("rates_province_span", f"Success rates, {province}, {years}", fx.officer, span),
        Scenario("rates_country_year", "Success rates, whole country, this year", fx.admin, RATES),
        Scenario("rates_country_span", f"Success rates, whole country, {years}", fx.admin, span),
    ]


# --- The server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1, started and stopped by this process (by its own pid)."""

    def __init__(self, database: str, workers: int = 2):
        self.port = free_port()
        env = {
            **os.environ,
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SESSION_COOKIE_SECURE": "false",
            "DATABASE_URL": database,
        }
        self.log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "120",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited: see bench/out/gunicorn.log")
            try:
                if Client("127.0.0.1", self.port).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- Measuring -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


class Saver:
    """Edits two mediators in turn: read the form (not timed), change the note, post it."""

    def __init__(self, client: Client, ids: tuple[int, int]):
        self.client, self.ids, self.turn = client, ids, 0

    def __call__(self):
        mediator_id = self.ids[self.turn % len(self.ids)]
        self.turn += 1
        path = f"/registry/mediators/{mediator_id}/edit"
        page = self.client.get(path)
        if page.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {page.status}")
        form = find_form(page.text, lambda f: any(name == "full_name" for name, _ in f.fields))
        data = [(k, v) for k, v in form.fields if k != "note"]
        data.append(("note", f"Ghi chú benchmark {self.turn} — {time.time():.3f}"))
        return self.client.post(form.action or path, data)


def run_scenario(
    scenario: Scenario, client: Client, requests: int, warmup: int, budget: float, clients: int
) -> dict:
    saver = Saver(client, scenario.save) if scenario.save else None

    def once():
        if saver:
            return saver()
        return client.get(scenario.path, headers=scenario.headers)

    errors: list[str] = []
    for _ in range(warmup):
        answer = once()
        if answer.status != scenario.expect:
            raise RuntimeError(
                f"{scenario.key}: HTTP {answer.status} (expected {scenario.expect}) "
                f"for {scenario.path or 'save'}: {answer.text[:300]}"
            )
    times: list[float] = []
    sizes: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + budget
    remaining = [requests]

    def worker(own: Client):
        local_saver = Saver(own, scenario.save) if scenario.save and own is not client else saver
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            answer = (
                local_saver() if local_saver else own.get(scenario.path, headers=scenario.headers)
            )
            with lock:
                if answer.status != scenario.expect:
                    errors.append(f"HTTP {answer.status}")
                times.append(answer.seconds)
                sizes.append(len(answer.body))

    started = time.perf_counter()
    if clients == 1:
        worker(client)
    else:
        threads = []
        for i in range(clients):
            own = client if i == 0 else Client(client.host, client.port, dict(client.cookies))
            threads.append(threading.Thread(target=worker, args=(own,)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    wall = time.perf_counter() - started
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 50) * 1000, 2),
        "p95_ms": round(percentile(times, 95) * 1000, 2),
        "mean_ms": round(statistics.fmean(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "bytes": int(statistics.median(sizes)),
        "errors": len(errors),
        "truncated": len(times) < requests,
        "wall_s": round(wall, 1),
    }


def follow(client: Client, start: str, pages: int) -> list[str]:
    """The URLs of the next pages, following the "Xem tiếp" links of the full page."""
    urls = []
    path = start
    for _ in range(pages):
        page = client.get(path)
        link = more_link(page.text)
        if not link:
            break
        urls.append(link)
        path = link
    return urls


def wait_for_quiet(threshold: float, at_most: float) -> None:
    """The machine is shared: wait (a bounded time) for other work to calm down."""
    deadline = time.monotonic() + at_most
    while os.getloadavg()[0] > threshold and time.monotonic() < deadline:
        time.sleep(5)


def logged_in(port: int, users: set[str]) -> dict[str | None, Client]:
    clients: dict[str | None, Client] = {None: Client("127.0.0.1", port)}
    for username in users:
        client = Client("127.0.0.1", port)
        client.login(username, PASSWORD)
        clients[username] = client
    return clients


# --- In-process: SQL statements per request, page weight --------------------------------------


def count_queries(database: str, scenario_list: list[Scenario], repeat: int = 20) -> dict:
    """In-process (Flask test client): SQL statements of one request of each scenario, and
    the median CPU and wall time of ``repeat`` requests. CPU time in this process is what the
    app itself costs (with SQLite, the database too; with PostgreSQL, not the server's work),
    and it hardly moves when other programs load the machine."""
    from sqlalchemy import event
    from werkzeug.datastructures import MultiDict

    from app import create_app
    from app.extensions import db

    app = create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": secrets.token_hex(32),
            "SESSION_COOKIE_SECURE": False,
            "SQLALCHEMY_DATABASE_URI": database,
            "DATABASE_URL": None,
        }
    )
    counter = {"n": 0}
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "before_cursor_execute")
        def _count(*_args):
            counter["n"] += 1

    test_clients = {}
    results = {}
    for scenario in scenario_list:
        if scenario.user not in test_clients:
            tc = app.test_client()
            if scenario.user:
                page = tc.get("/login").get_data(as_text=True)
                form = find_form(page, lambda f: "login" in (f.action or ""))
                fields = dict(form.fields)
                fields.update(username=scenario.user, password=PASSWORD)
                tc.post("/login", data=fields)
            test_clients[scenario.user] = tc
        tc = test_clients[scenario.user]
        if scenario.save:

            def once(i, tc=tc, ids=scenario.save):
                path = f"/registry/mediators/{ids[i % len(ids)]}/edit"
                page = tc.get(path).get_data(as_text=True)
                form = find_form(page, lambda f: any(k == "full_name" for k, _ in f.fields))
                data = [(k, v) for k, v in form.fields if k != "note"]
                data.append(("note", f"Benchmark (in-process) {i} {time.time():.3f}"))
                counter["n"] = 0
                started = (time.process_time(), time.perf_counter())
                status = tc.post(path, data=MultiDict(data)).status_code
                return status, started
        else:

            def once(i, tc=tc, scenario=scenario):
                counter["n"] = 0
                started = (time.process_time(), time.perf_counter())
                return tc.get(scenario.path, headers=scenario.headers).status_code, started

        once(0)  # warm
        cpu, wall = [], []
        for i in range(1, repeat + 1):
            status, (cpu0, wall0) = once(i)
            cpu.append((time.process_time() - cpu0) * 1000)
            wall.append((time.perf_counter() - wall0) * 1000)
        if status != scenario.expect:
            log(f"  in-process {scenario.key}: HTTP {status} (expected {scenario.expect})")
        results[scenario.key] = {
            "queries": counter["n"],
            "status": status,
            "cpu_ms": round(statistics.median(cpu), 2),
            "wall_ms": round(statistics.median(wall), 2),
        }
    return results


def page_weight(client: Client, path: str = LIST) -> dict:
    """A page (the province list) and every static asset it loads on a first visit."""
    page = client.get(path)
    assets = {}
    for path in asset_paths(page.text):
        assets[path.split("?")[0]] = len(client.get(path).body)
    return {
        "page": len(page.body),
        "assets": assets,
        "total": len(page.body) + sum(assets.values()),
    }


# --- Putting it together -----------------------------------------------------------------------


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    import sqlite3
    from importlib.metadata import version

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "app", "templates", "static"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.count("\n")
        code = (commit or "?") + (
            f" + {dirty} uncommitted files in app/templates/static" if dirty else ""
        )
    except OSError:
        code = "?"
    return {
        "code": code,
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "gunicorn": version("gunicorn"),
        "sqlalchemy": version("SQLAlchemy"),
        "flask": version("Flask"),
    }


def server_version(url: str) -> str:
    engine = create_engine(engine_url(url))
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            found = conn.execute(text("SHOW server_version")).scalar()
            return f"PostgreSQL {found}"
        return f"SQLite {conn.execute(text('select sqlite_version()')).scalar()}"


TARGETS = [
    # (target, scenario, reference, limit): p95(scenario) <= limit × p95(reference)
    ("P1", "commune_list", "trivial", 12),
    ("P1", "province_list", "trivial", 12),
    ("P1", "country_list", "trivial", 12),
    ("P2", "province_deep", "province_list", 1.5),
    ("P2", "province_end", "province_list", 1.5),
    ("P2", "country_deep", "country_list", 1.5),
    ("P2", "country_end", "country_list", 1.5),
    ("P4", "province_q_full", "province_list", 2),
    ("P4", "province_q_given", "province_list", 2),
    ("P4", "province_q_rare", "province_list", 2),
    ("P4", "province_q_htmx", "province_list", 2),
    ("P4", "country_q_full", "country_list", 2),
    ("P4", "country_q_given", "country_list", 2),
    ("P4", "country_q_rare", "country_list", 2),
    ("P6", "save", "commune_list", 1),
    ("P1", "lb_commune_list", "trivial", 12),
    ("P1", "lb_province_list", "trivial", 12),
    ("P1", "lb_country_list", "trivial", 12),
    ("P1", "lb_team_book", "trivial", 12),
    ("P2", "lb_province_deep", "lb_province_list", 1.5),
    ("P2", "lb_province_end", "lb_province_list", 1.5),
    ("P2", "lb_country_deep", "lb_country_list", 1.5),
    ("P2", "lb_country_end", "lb_country_list", 1.5),
    # P5 against the logbook list of the same user (the list the report is drawn from); the
    # registry's list of the same scope is in the report too.
    ("P5", "rates_province_year", "lb_province_list", 3),
    ("P5", "rates_province_span", "lb_province_list", 3),
    ("P5", "rates_country_year", "lb_country_list", 3),
    ("P5", "rates_country_span", "lb_country_list", 3),
    ("P5", "rates_province_year", "province_list", 3),
    ("P5", "rates_province_span", "province_list", 3),
    ("P5", "rates_country_year", "country_list", 3),
    ("P5", "rates_country_span", "country_list", 3),
]


def summarise(rounds: list[dict]) -> dict:
    """Median over the rounds of each scenario's p50/p95 and of each ratio."""
    keys = rounds[0].keys()
    median = {}
    for key in keys:
        median[key] = {
            "p50_ms": round(statistics.median(r[key]["p50_ms"] for r in rounds), 2),
            "p95_ms": round(statistics.median(r[key]["p95_ms"] for r in rounds), 2),
            "x_trivial": round(
                statistics.median(r[key]["p95_ms"] / r["trivial"]["p95_ms"] for r in rounds), 2
            ),
            "bytes": rounds[-1][key]["bytes"],
            "n": [r[key]["n"] for r in rounds],
            "errors": sum(r[key]["errors"] for r in rounds),
        }
    checks = []
    for target, key, reference, limit in TARGETS:
        if key not in keys or reference not in keys:
            continue
        ratio = statistics.median(r[key]["p95_ms"] / r[reference]["p95_ms"] for r in rounds)
        checks.append(
            {
                "target": target,
                "scenario": key,
                "reference": reference,
                "limit": limit,
                "ratio": round(ratio, 2),
                "pass": ratio <= limit,
            }
        )
    return {"median": median, "checks": checks}


def inprocess_only(url: str, path: Path) -> int:
    results = json.loads(path.read_text())
    chosen = [
        Scenario(
            key,
            s["label"],
            s["user"],
            "" if s.get("save") else s["path"],
            s.get("headers") or {},
            tuple(s["save"]) if s.get("save") else None,
            s.get("expect", 200),
        )
        for key, s in results["scenarios"].items()
    ]
    log(f"In-process measures of {len(chosen)} scenarios")
    results["queries"] = count_queries(url, chosen)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    log(f"Results: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_SQLITE)
    parser.add_argument("--requests", type=int, default=200, help="per scenario and round")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients")
    parser.add_argument("--budget", type=float, default=90, help="seconds per scenario, at most")
    parser.add_argument("--only", help="comma-separated scenario keys (trivial always runs)")
    parser.add_argument("--output", help="results file (default bench/out/results-<db>.json)")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=1.0,
        help="before each round, wait until the 1-minute load average is below",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=0,
        help="seconds to wait at most for that (0: do not wait)",
    )
    parser.add_argument(
        "--inprocess-only",
        action="store_true",
        help="only redo the in-process part (SQL statements, CPU time) into the results file",
    )
    args = parser.parse_args(argv)

    url = engine_url(args.database)
    backend = make_url(url).get_backend_name()
    path = Path(args.output) if args.output else OUT / f"results-{backend}.json"
    if args.inprocess_only:
        return inprocess_only(url, path)
    log(f"Benchmark of {make_url(url).render_as_string(hide_password=True)}")
    fx = read_fixture(url)
    log(
        f"  {fx.counts['mediators']:,} mediators; province {fx.province['name']} "
        f"({fx.province['mediators']:,}), commune {fx.commune['name']} "
        f"({fx.commune['mediators']:,}), rare name “{fx.rare_name}”"
    )
    server = Server(url)
    log(f"  gunicorn: 2 sync workers on 127.0.0.1:{server.port}")
    started = datetime.now()
    try:
        clients = logged_in(server.port, {fx.admin, fx.officer, fx.staff})
        province_pages = follow(clients[fx.officer], LIST, DEEP_PAGES)
        country_pages = follow(clients[fx.admin], LIST, DEEP_PAGES)
        lb_province_pages = follow(clients[fx.officer], LOGBOOK, DEEP_PAGES)
        lb_country_pages = follow(clients[fx.admin], LOGBOOK, DEEP_PAGES)
        deep = {
            "province": province_pages[-1],
            "country": country_pages[-1],
            "province_page2": province_pages[0],
            "lb_province": lb_province_pages[-1],
            "lb_country": lb_country_pages[-1],
            "lb_province_page2": lb_province_pages[0],
        }
        chosen = scenarios(fx, deep)
        if args.only:
            wanted = {"trivial", *args.only.split(",")}
            chosen = [s for s in chosen if s.key in wanted]
        rounds = []
        for number in range(1, args.rounds + 1):
            wait_for_quiet(args.quiet_load, args.quiet_wait)
            clients = logged_in(server.port, {fx.admin, fx.officer, fx.staff})
            load = os.getloadavg()[0]
            log(f"  round {number}/{args.rounds} (load average {load:.2f})")
            results = {}
            for scenario in chosen:
                result = run_scenario(
                    scenario,
                    clients[scenario.user],
                    args.requests,
                    args.warmup,
                    args.budget,
                    args.clients,
                )
                results[scenario.key] = result
                ratio = result["p95_ms"] / results["trivial"]["p95_ms"]
                errors = f"  ERRORS {result['errors']}" if result["errors"] else ""
                log(
                    f"    {scenario.key:18s} p50 {result['p50_ms']:8.2f} ms  p95 "
                    f"{result['p95_ms']:8.2f} ms  ×{ratio:6.2f}  {result['bytes']:>7,} B"
                    f"  n={result['n']}{errors}"
                )
            results["_load"] = load
            rounds.append(results)
        officer = logged_in(server.port, {fx.officer})[fx.officer]
        weight = page_weight(officer)
        weights = {path: page_weight(officer, path) for path in (LOGBOOK, RATES)}
    finally:
        server.stop()
    loads = [r.pop("_load") for r in rounds]
    log("  counting SQL statements per request (in-process)")
    queries = count_queries(url, chosen)
    summary = summarise(rounds)
    for check in summary["checks"]:
        log(
            f"  {check['target']} {check['scenario']:18s} {check['ratio']:6.2f} ≤ "
            f"{check['limit']} × {check['reference']}: {'pass' if check['pass'] else 'FAIL'}"
        )
    out = {
        "backend": backend,
        "database": make_url(url).render_as_string(hide_password=True),
        "server": server_version(url),
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "requests": args.requests,
            "warmup": args.warmup,
            "rounds": args.rounds,
            "clients": args.clients,
            "budget_s": args.budget,
            "workers": 2,
            "load_average": loads,
        },
        "fixture": {
            "province": fx.province,
            "commune": fx.commune,
            "rare_name": fx.rare_name,
            "counts": fx.counts,
            "logbook": fx.logbook,
        },
        "scenarios": {
            s.key: {
                "label": s.label,
                "user": s.user,
                "path": s.path or "POST edit",
                "headers": s.headers,
                "save": s.save,
                "expect": s.expect,
            }
            for s in chosen
        },
        "rounds": rounds,
        **summary,
        "queries": queries,
        "page_weight": weight,
        "page_weights": weights,
    }
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    log(f"Results: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
