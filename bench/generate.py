"""National-scale data for the benchmark, written straight into a database.

    .venv/bin/python -m bench.generate --database sqlite:///bench/out/national.sqlite3
    .venv/bin/python -m bench.generate --database postgresql://postgres@127.0.0.1/hoagiai_bench
    .venv/bin/python -m bench.generate --scale 0.05      # a quick run, 5% of the communes

DOMAIN.md §10: the 34 provinces and 3,321 communes of the official list (vietnam-provinces),
~19 villages per commune (~63,600), ~1.37 teams per village (~87,400), ~6.3 mediators per team
(~550,000), a few thousand trainings that ~60% of the mediators attended, ~1,000 trainers, some
legal supporters, and the users the benchmark logs in as (admin, an officer per province,
staff of a few communes; all with the same password, hashed once with the production scrypt
parameters). The mediation logbook (DOMAIN.md §4, §10: ~96,000 cases a year): ~100,000 cases a
year from 2022 to today, ~2 parties and 1-2 mediators each, a pay rate per province and the
payments of most ended cases older than 6 months.

Not the ORM services (they would take hours): Core ``executemany`` in big batches on the same
tables, with the same invariants the services keep: closure rows for every unit; Placed
columns (unit_id/commune_id/district_id/province_id) on everything placed; folded names through
app.text; team compliance columns from app.registry.rules.issues_from_counts over the team's
active mediators; ``trained_on`` = first framework training attended; ``training_due`` =
recognition + 6 months; a recognition event and a membership per mediator (and the events and
memberships of leaders and dismissed mediators); logbook cases placed where their team is,
numbered 1, 2, ... per team and year in the order received, paid at the province's rate in
force on the day each ended. No audit rows: bulk data is not a person's edit.

The logbook draws from its own random generator (seed + 1), so that the registry data is the
same with or without it.

Re-runnable: the schema is dropped and made again with ``db.create_all`` (the migration does
not contain the registry tables yet). Secondary indexes are dropped before the load and built
after it; PostgreSQL sequences are moved past the generated ids and the tables analysed.
"""

import argparse
import importlib
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

from bench import names

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_SQLITE = f"sqlite:///{OUT / 'national.sqlite3'}"
PASSWORD = "benchmark-hoagiai-2025"  # noqa: S105 - the benchmark users' known password
BATCH = 20_000
DEFAULT_SEED = 2025

# Inserted in this order: a table's parents come before it, so flushing a table first flushes
# everything before it (foreign keys hold at every point).
ORDER = [
    "units",
    "unit_closure",
    "users",
    "teams",
    "supporters",
    "team_supports",
    "trainers",
    "trainings",
    "mediators",
    "mediator_events",
    "team_memberships",
    "training_attendances",
    "pay_rates",
    "remuneration_payments",
    "logbook_entries",
    "logbook_parties",
    "logbook_mediators",
]

TEAM_SIZES = names.Pool("2:2,3:5,4:8,5:17,6:22,7:20,8:14,9:7,10:5")  # mean 6.3
VILLAGES_PER_COMMUNE = (8, 30)  # uniform: mean 19 (DOMAIN.md §10: ~63,600 for 3,321)
SECOND_TEAM = 0.374  # 87,400 teams / 63,600 villages
DISMISSED = 0.05
WOMAN_FIRST = 0.85  # teams that made sure to elect a woman (often the Women's Union's)
WOMEN_OTHERS = 0.22  # the other seats: ~30% women overall
HAS_LEADER = 0.96
ATTENDS = 0.66  # of those with a training after their recognition: ~60% attend one
SECOND_TRAINING = 0.10
FRAMEWORK = 0.85
TRAINERS = 1000  # nationally, shared by province in proportion to its communes
MINORITY_AREA = 0.25  # a commune with this share of minorities or more is flagged

# The logbook (DOMAIN.md §10: ~96,000 cases a year for ~87,400 teams, 82,000 successful).
LOGBOOK_FIRST_YEAR = 2022
CASES_PER_TEAM_YEAR = 1.25
# Gamma-distributed activity per team (mean 1): most teams have 0-3 cases a year, a few many.
ACTIVITY_SHAPE = 0.8
SUCCESS_MEAN, SUCCESS_SPREAD = 0.86, 0.035  # per province; communes vary around it
OPEN_RECENT_DAYS = 60  # cases received this recently are often still open
OPEN_RECENT, OPEN_STALE = 0.6, 0.025
STOPPED = 0.2  # of the failed cases: a party asked to stop
PARTIES = names.Pool("1:3,2:85,3:10,4:2")
CASE_MEDIATORS = names.Pool("1:45,2:45,3:10")
SCOPES = {"civil": 0.5, "family": 0.3, "other": 0.2}
PAID_AFTER_DAYS = 120  # half-years that ended this long ago are paid ...
PAID = 0.92  # ... by most teams


def log(message: str) -> None:
    print(message, flush=True)


# --- Database set-up -----------------------------------------------------------------------


def engine_url(url: str) -> str:
    """postgresql:// means psycopg 3 here, as in the app; a relative SQLite path is made
    absolute (Flask-SQLAlchemy would read it relative to the instance folder)."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.is_absolute():
            return f"sqlite:///{(Path.cwd() / path).resolve()}"
    return url


def metadata():
    """Every table of the app (create_app imports every model), without touching a database."""
    os.environ.setdefault("APP_ENV", "testing")
    from app import create_app
    from app.extensions import db

    create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return db.metadata


def reset_database(url: str):
    """An empty database at url: a new SQLite file, or a new public schema on PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # Generated data: no journal while loading, WAL (as the app sets) at the end.
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.close()

        return engine
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


def create_schema(engine, meta) -> list:
    """db.create_all, then the secondary indexes dropped (built again after the load)."""
    meta.create_all(engine)
    indexes = [index for table in meta.sorted_tables for index in table.indexes]
    with engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    return indexes


def loading_connection(engine):
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn.execute(text("SET synchronous_commit = off"))
        # Foreign keys are checked by construction (ORDER) and by check_integrity() below;
        # without the per-row triggers the load is several times faster.
        try:
            conn.execute(text("SET session_replication_role = replica"))
        except Exception:  # not a superuser: load with the triggers
            conn.rollback()
    conn.commit()
    return conn


class Writer:
    """Buffers rows per table; a full buffer is written with one executemany after the
    buffers of the tables it may refer to."""

    def __init__(self, conn, meta, batch: int = BATCH):
        self.conn, self.batch = conn, batch
        self.tables = {name: meta.tables[name] for name in ORDER}
        self.buffers: dict[str, list[dict]] = {name: [] for name in ORDER}
        self.counts = dict.fromkeys(ORDER, 0)
        self.seconds = dict.fromkeys(ORDER, 0.0)

    def add(self, table: str, row: dict) -> None:
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= self.batch:
            self.flush(until=table)

    def flush(self, until: str | None = None) -> None:
        for name in ORDER:
            rows = self.buffers[name]
            if rows:
                started = time.perf_counter()
                self.conn.execute(insert(self.tables[name]), rows)
                self.seconds[name] += time.perf_counter() - started
                self.counts[name] += len(rows)
                self.buffers[name] = []
            if name == until:
                break


# --- What to generate ------------------------------------------------------------------------


@dataclass
class Ids:
    """The next id of each table (ids are chosen here, so no RETURNING is needed)."""

    next: dict = field(default_factory=lambda: dict.fromkeys(ORDER, 0))

    def __call__(self, table: str) -> int:
        self.next[table] += 1
        return self.next[table]


@dataclass
class Province:
    id: int
    code: int
    name: str
    kind: str
    share: float  # of ethnic minorities
    groups: names.Pool | None
    region: str
    communes: list = field(default_factory=list)
    trainings: list = field(default_factory=list)  # (id, starts_on, is_framework)
    mediators: int = 0
    success: float = SUCCESS_MEAN
    rates: list = field(default_factory=list)  # (effective_from, amount), oldest first
    cases: int = 0


@dataclass
class Commune:
    id: int
    code: str
    name: str
    kind: str
    province: Province
    share: float
    dominant: str | None
    minority_area: bool
    trainings: list = field(default_factory=list)
    mediators: int = 0
    success: float = SUCCESS_MEAN
    cases: int = 0


class Generator:
    def __init__(self, writer: Writer, scale: float, seed: int, today: date):
        self.w, self.scale, self.rng, self.today = writer, scale, random.Random(seed), today
        self.lrng = random.Random(seed + 1)  # the logbook's: the registry is the same without it
        self.kinds = self.case_kinds()
        self.ids = Ids()
        self.now = datetime.now().replace(microsecond=0)
        self.provinces: list[Province] = []
        self._fold_cache: dict[str, tuple[str, str]] = {}
        from app.registry.rules import issues_from_counts, training_due
        from app.text import fold, given_name_first, normalize

        self.fold, self.given_first, self.normalize = fold, given_name_first, normalize
        self.issues_from_counts, self.training_due = issues_from_counts, training_due

    # helpers
    def stamp(self) -> dict:
        return {"created_at": self.now, "updated_at": self.now, "version": 1}

    def day(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))

    def folded(self, full_name: str) -> tuple[str, str]:
        found = self._fold_cache.get(full_name)
        if found is None:
            key = self.fold(full_name)
            found = self._fold_cache[full_name] = (key, self.given_first(key))
        return found

    def unit(
        self,
        parent_path: list[int],
        level: int,
        kind: str,
        name: str,
        code=None,
        minority_area=False,
        valid_from=None,
    ) -> int:
        uid = self.ids("units")
        self.w.add(
            "units",
            {
                "id": uid,
                "parent_id": parent_path[-1] if parent_path else None,
                "level": level,
                "kind": kind,
                "name": name,
                "name_folded": self.fold(name),
                "code": code,
                "valid_from": valid_from,
                "valid_to": None,
                "is_ethnic_minority_area": minority_area,
                "pilot_level": None,
                "pilot_start_year": None,
                "pilot_end_year": None,
                "note": None,
                **self.stamp(),
            },
        )
        path = [*parent_path, uid]
        for depth, ancestor in enumerate(reversed(path)):
            self.w.add(
                "unit_closure", {"ancestor_id": ancestor, "descendant_id": uid, "depth": depth}
            )
        return uid

    # the tree
    def official_units(self) -> None:
        from vietnam_provinces import Province as OfficialProvince
        from vietnam_provinces import Ward

        from app.units.importing.official import official_commune, official_province

        wards: dict[int, list] = {}
        for ward in Ward.iter_all():
            wards.setdefault(ward.province_code, []).append(ward)
        for official in OfficialProvince.iter_all():
            new = official_province(official)
            share, mix = names.PROVINCE_ETHNICITY.get(official.code, (0.01, "04:1"))
            province = Province(
                id=self.unit([], 1, new.kind, new.name, new.code),
                code=official.code,
                name=new.name,
                kind=new.kind,
                share=share,
                groups=names.Pool(mix),
                region=names.region_of(official.code),
            )
            self.provinces.append(province)
            chosen = wards.get(official.code, [])
            if self.scale < 1:
                count = max(1, round(len(chosen) * self.scale))
                chosen = sorted(self.rng.sample(chosen, count), key=lambda w: w.code)
            for ward in chosen:
                new_commune = official_commune(ward)
                commune_share = self.commune_share(share, new_commune.kind)
                minority_area = commune_share >= MINORITY_AREA
                commune = Commune(
                    id=self.unit(
                        [province.id],
                        3,
                        new_commune.kind,
                        new_commune.name,
                        new_commune.code,
                        minority_area=minority_area,
                        valid_from=new_commune.valid_from,
                    ),
                    code=new_commune.code,
                    name=new_commune.name,
                    kind=new_commune.kind,
                    province=province,
                    share=commune_share,
                    dominant=province.groups.pick(self.rng),
                    minority_area=minority_area,
                )
                province.communes.append(commune)

    def commune_share(self, province_share: float, kind: str) -> float:
        """Minorities cluster: some communes are almost all minority, most of the rest none."""
        if province_share <= 0.0:
            return 0.0
        mean = province_share * (0.5 if kind == "phuong" else 1.0)
        k = 1.2  # low concentration: a wide spread around the mean
        return self.rng.betavariate(max(mean * k, 0.01), max((1 - mean) * k, 0.01))

    # trainings and trainers, before the people who attend them
    def trainings_of(self, province: Province) -> None:
        count = max(3, round(len(province.communes) * 0.5))
        for _ in range(count):
            province.trainings.append(self.training(province, None, "province"))
        for commune in province.communes:
            if self.rng.random() < 0.9:
                commune.trainings.append(self.training(province, commune, "commune"))

    def training(self, province: Province, commune: Commune | None, level: str) -> tuple:
        tid = self.ids("trainings")
        starts = self.day(date(2015, 3, 1), self.today - timedelta(days=20))
        framework = self.rng.random() < FRAMEWORK
        where = commune.name if commune else province.name
        if framework:
            title = (
                "Tập huấn theo Chương trình khung tập huấn, bồi dưỡng hòa giải viên "
                f"năm {starts.year} — {where}"
            )
        else:
            topic = self.rng.choice(
                [
                    "Kỹ năng hòa giải tranh chấp đất đai",
                    "Phổ biến Luật Hôn nhân và gia đình",
                    "Phòng, chống bạo lực gia đình",
                    "Kỹ năng giao tiếp và thuyết phục",
                    "Hướng dẫn ghi sổ theo dõi hoạt động hòa giải",
                ]
            )
            title = f"{topic} năm {starts.year} — {where}"
        self.w.add(
            "trainings",
            {
                "id": tid,
                "title": title,
                "title_folded": self.fold(title),
                "starts_on": starts,
                "ends_on": starts + timedelta(days=self.rng.choice([0, 1, 1, 2])),
                "level": level,
                "is_framework": framework,
                "location": f"Hội trường {where}",
                "materials": "Tài liệu bồi dưỡng kiến thức pháp luật và kỹ năng hòa giải ở cơ sở"
                if framework
                else None,
                "note": None,
                "unit_id": commune.id if commune else province.id,
                "commune_id": commune.id if commune else None,
                "district_id": None,
                "province_id": province.id,
                **self.stamp(),
            },
        )
        return (tid, starts, framework)

    def trainers_of(self, province: Province, total_communes: int) -> None:
        from app.registry.rules import TRAINER_BACKGROUNDS

        count = max(
            3, round(TRAINERS * self.scale * len(province.communes) / max(total_communes, 1))
        )
        backgrounds = list(TRAINER_BACKGROUNDS)
        for _ in range(count):
            sex = "F" if self.rng.random() < 0.35 else "M"
            full_name = names.person_name(self.rng, "01", sex)
            trainer_id = self.ids("trainers")
            trained_on = None
            if province.trainings and self.rng.random() < 0.7:
                tid, starts, framework = self.rng.choice(province.trainings)
                self.w.add(
                    "training_attendances",
                    {
                        "id": self.ids("training_attendances"),
                        "training_id": tid,
                        "mediator_id": None,
                        "trainer_id": trainer_id,
                    },
                )
                trained_on = starts if framework else None
            self.w.add(
                "trainers",
                {
                    "id": trainer_id,
                    "full_name": full_name,
                    "name_folded": self.fold(full_name),
                    "sex": sex,
                    "birth_year": self.rng.randint(1960, 1995),
                    "background": self.rng.choice(backgrounds),
                    "position": self.rng.choice(
                        [
                            "Chuyên viên Sở Tư pháp",
                            "Thẩm phán",
                            "Luật sư",
                            "Kiểm sát viên",
                            "Cán bộ Công an tỉnh",
                            "Giảng viên",
                            None,
                        ]
                    ),
                    "phone": self.phone(),
                    "materials_received": self.rng.random() < 0.8,
                    "active": self.rng.random() < 0.95,
                    "trained_on": trained_on,
                    "note": None,
                    "unit_id": province.id,
                    "commune_id": None,
                    "district_id": None,
                    "province_id": province.id,
                    **self.stamp(),
                },
            )

    def phone(self) -> str | None:
        if self.rng.random() < 0.25:
            return None
        prefix = self.rng.choice(["09", "03", "08", "07", "05"])
        rest = f"{self.rng.randrange(10**8):08d}"
        number = prefix + rest
        if self.rng.random() < 0.4:
            return f"{number[:4]} {number[4:7]} {number[7:]}"
        return number

    # villages, teams, mediators
    def commune_content(self, commune: Commune) -> None:
        province, rng = commune.province, self.rng
        kind, village_name = names.village_plan(
            rng, province.region, commune.kind, commune.minority_area
        )
        count = rng.randint(*VILLAGES_PER_COMMUNE)
        used: set[str] = set()
        teams = []
        for i in range(1, count + 1):
            name = village_name(i)
            while name in used:
                name = f"{name} {rng.choice(['Trên', 'Dưới', 'Mới', 'Trong', 'Ngoài'])}"
            used.add(name)
            village_id = self.unit(
                [province.id, commune.id],
                4,
                kind,
                name,
                minority_area=False,
            )
            teams.append(self.team_plan(commune, village_id, name, 1))
            if rng.random() < SECOND_TEAM:
                teams.append(self.team_plan(commune, village_id, name, 2))
        supported = self.supporters_of(commune, [team["id"] for team in teams])
        for team in teams:
            self.team_members(commune, team)
            self.emit_team(team, team["id"] in supported, commune.minority_area)
        commune.success = min(0.99, max(0.5, self.lrng.gauss(commune.province.success, 0.04)))
        for team in teams:
            self.logbook_of(commune, team)

    def team_plan(self, commune: Commune, village_id: int, village: str, number: int) -> dict:
        name = f"Tổ hòa giải {village}" if number == 1 else f"Tổ hòa giải số {number} {village}"
        return {
            "id": self.ids("teams"),
            "name": name,
            "village_id": village_id,
            "village": village,
            "commune": commune,
            "founded": self.day(date(2014, 1, 1), date(2024, 6, 30)),
        }

    def supporters_of(self, commune: Commune, team_ids: list[int]) -> set[int]:
        """0-3 legal professionals of the commune, each supporting 1-4 of its teams."""
        rng, supported = self.rng, set()
        organisations = {
            "police": f"Công an {commune.name}",
            "lawyer": f"Đoàn Luật sư {commune.province.name}",
            "jurist": f"Hội Luật gia {commune.province.name}",
            "assessor": "Tòa án nhân dân khu vực",
            "legal_official": f"Ủy ban nhân dân {commune.name}",
            "army": f"Ban Chỉ huy quân sự {commune.name}",
        }
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            background = rng.choice(list(organisations))
            sex = "F" if rng.random() < 0.3 else "M"
            full_name = names.person_name(rng, "01", sex)
            supporter_id = self.ids("supporters")
            self.w.add(
                "supporters",
                {
                    "id": supporter_id,
                    "full_name": full_name,
                    "name_folded": self.fold(full_name),
                    "background": background,
                    "organisation": organisations[background],
                    "phone": self.phone(),
                    "note": None,
                    "unit_id": commune.id,
                    "commune_id": commune.id,
                    "district_id": None,
                    "province_id": commune.province.id,
                    **self.stamp(),
                },
            )
            for team_id in rng.sample(team_ids, min(len(team_ids), rng.randint(1, 4))):
                supported.add(team_id)
                self.w.add(
                    "team_supports",
                    {
                        "id": self.ids("team_supports"),
                        "team_id": team_id,
                        "supporter_id": supporter_id,
                        "start_date": self.day(date(2018, 1, 1), self.today),
                        "end_date": None,
                        "created_at": self.now,
                        "updated_at": self.now,
                    },
                )
        return supported

    def ethnicity(self, commune: Commune) -> str:
        if commune.share and self.rng.random() < commune.share:
            if commune.dominant and self.rng.random() < 0.7:
                return commune.dominant
            return commune.province.groups.pick(self.rng)
        return "01"

    def team_members(self, commune: Commune, team: dict) -> None:
        rng = self.rng
        size = int(TEAM_SIZES.pick(rng))
        woman_first = rng.random() < WOMAN_FIRST
        leader_seat = 0 if rng.random() < HAS_LEADER else None
        members, serving = [], []
        trainings = commune.trainings + commune.province.trainings
        for seat in range(size):
            sex = "F" if (seat == 0 and woman_first) or rng.random() < WOMEN_OTHERS else "M"
            ethnicity = self.ethnicity(commune)
            full_name = names.person_name(rng, ethnicity, sex)
            name_folded, given_folded = self.folded(full_name)
            birth_year = min(int(rng.triangular(1945, 2003, 1968)), self.today.year - 20)
            recognised = self.day(max(team["founded"], date(birth_year + 20, 1, 1)), self.today)
            if rng.random() < 0.08:  # recent elections: the ones that may be overdue
                recognised = self.day(self.today - timedelta(days=400), self.today)
            dismissed = rng.random() < DISMISSED and recognised < self.today - timedelta(days=60)
            leader = seat == leader_seat and not dismissed
            if seat == 0 and woman_first:
                background = "womens_union"
            else:
                background = names.BACKGROUNDS.pick(rng)
            phone = self.phone()
            mediator_id = self.ids("mediators")
            trained_on = self.attend(mediator_id, recognised, trainings)
            dismissed_on = self.day(recognised, self.today) if dismissed else None
            members.append((sex, ethnicity, leader, dismissed, background))
            serving.append((mediator_id, recognised, dismissed_on))
            self.w.add(
                "mediators",
                {
                    "id": mediator_id,
                    "full_name": full_name,
                    "name_folded": name_folded,
                    "given_name_folded": given_folded,
                    "sex": sex,
                    "birth_year": birth_year,
                    "ethnicity_code": ethnicity,
                    "phone": phone,
                    "phone_digits": "".join(ch for ch in phone if ch.isdigit()) if phone else None,
                    "occupation": names.OCCUPATIONS.pick(rng),
                    "background": background,
                    "education": names.EDUCATION.pick(rng) if rng.random() < 0.9 else None,
                    "address": f"{team['village']}, {commune.name}" if rng.random() < 0.6 else None,
                    "note": None,
                    "team_id": team["id"],
                    "role": "leader" if leader else "member",
                    "status": "dismissed" if dismissed else "active",
                    "recognised_on": recognised,
                    "recognition_number": f"{rng.randint(1, 350)}/QĐ-UBND",
                    "dismissed_on": dismissed_on,
                    "dismissal_number": f"{rng.randint(1, 350)}/QĐ-UBND" if dismissed else None,
                    "dismissal_ground": rng.choice(
                        ["own_wish", "own_wish", "no_longer_eligible", "violation"]
                    )
                    if dismissed
                    else None,
                    "training_due": self.training_due(recognised),
                    "trained_on": trained_on,
                    "unit_id": team["village_id"],
                    "commune_id": commune.id,
                    "district_id": None,
                    "province_id": commune.province.id,
                    **self.stamp(),
                },
            )
            self.history(mediator_id, team["id"], recognised, leader, dismissed_on)
        commune.mediators += size
        commune.province.mediators += size
        team["members"] = members
        team["serving"] = serving

    def attend(self, mediator_id: int, recognised: date, trainings: list) -> date | None:
        """Attendance rows; returns the first framework session attended (trained_on)."""
        candidates = [t for t in trainings if t[1] >= recognised]
        if not candidates or self.rng.random() >= ATTENDS:
            return None
        chosen = [self.rng.choice(candidates)]
        if len(candidates) > 1 and self.rng.random() < SECOND_TRAINING:
            other = self.rng.choice(candidates)
            if other[0] != chosen[0][0]:
                chosen.append(other)
        for tid, _starts, _framework in chosen:
            self.w.add(
                "training_attendances",
                {
                    "id": self.ids("training_attendances"),
                    "training_id": tid,
                    "mediator_id": mediator_id,
                    "trainer_id": None,
                },
            )
        framework_days = [starts for _tid, starts, framework in chosen if framework]
        return min(framework_days) if framework_days else None

    def history(self, mediator_id, team_id, recognised, leader, dismissed_on) -> None:
        """The recognition (and leader, dismissal) decisions and the membership periods."""
        rng = self.rng
        event_id = self.ids("mediator_events")
        self.w.add(
            "mediator_events", self.event(event_id, mediator_id, "recognise", team_id, recognised)
        )
        member_end = dismissed_on
        leader_event = leader_since = None
        if leader:
            leader_since = self.day(recognised, self.today)
            member_end = leader_since
            leader_event = self.ids("mediator_events")
            self.w.add(
                "mediator_events",
                self.event(leader_event, mediator_id, "make_leader", team_id, leader_since),
            )
        self.w.add(
            "team_memberships",
            {
                "id": self.ids("team_memberships"),
                "mediator_id": mediator_id,
                "team_id": team_id,
                "role": "member",
                "start_date": recognised,
                "end_date": member_end,
                "event_id": event_id,
            },
        )
        if leader:
            self.w.add(
                "team_memberships",
                {
                    "id": self.ids("team_memberships"),
                    "mediator_id": mediator_id,
                    "team_id": team_id,
                    "role": "leader",
                    "start_date": leader_since,
                    "end_date": None,
                    "event_id": leader_event,
                },
            )
        if dismissed_on:
            dismiss = self.event(
                self.ids("mediator_events"), mediator_id, "dismiss", team_id, dismissed_on
            )
            dismiss["ground"] = rng.choice(["own_wish", "no_longer_eligible", "violation"])
            self.w.add("mediator_events", dismiss)

    def event(self, event_id, mediator_id, kind, team_id, day) -> dict:
        return {
            "id": event_id,
            "mediator_id": mediator_id,
            "kind": kind,
            "decision_number": f"{self.rng.randint(1, 350)}/QĐ-UBND",
            "decision_date": day,
            "signer": "Chủ tịch Ủy ban nhân dân xã",
            "ground": None,
            "team_id": team_id,
            "from_team_id": None,
            "note": None,
            "file_id": None,
            "recorded_by_id": None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def emit_team(self, team: dict, supported: bool, ethnic_area: bool) -> None:
        """The team row with its compliance, by the rule of app.registry.rules."""
        from app.registry.rules import KINH, LEGAL_PROFESSIONAL

        active = [m for m in team["members"] if not m[3]]
        women = sum(1 for m in active if m[0] == "F")
        minority = sum(1 for m in active if m[1] != KINH)
        has_leader = any(m[2] for m in active)
        legal = any(m[4] in LEGAL_PROFESSIONAL for m in active)
        issues = self.issues_from_counts(len(active), women, minority, has_leader, ethnic_area)
        self.w.add(
            "teams",
            {
                "id": team["id"],
                "name": team["name"],
                "name_folded": self.fold(team["name"]),
                "decision_number": f"{self.rng.randint(1, 350)}/QĐ-UBND",
                "decision_date": team["founded"],
                "dissolved_on": None,
                "note": None,
                "active_count": len(active),
                "women_count": women,
                "minority_count": minority,
                "has_leader": has_leader,
                "ethnic_area": ethnic_area,
                "issues": issues,
                "is_compliant": issues == 0,
                "is_supported": legal or supported,
                "unit_id": team["village_id"],
                "commune_id": team["commune"].id,
                "district_id": None,
                "province_id": team["commune"].province.id,
                **self.stamp(),
            },
        )

    # the logbook
    def case_kinds(self) -> list[tuple]:
        """(scope, content, agreement, demands, weight) from the demo's kinds of cases, a few
        amounts each, weighted so that the scopes come out as SCOPES."""
        from app.logbook.demo import KINDS

        per_scope = {scope: sum(k.scope == scope for k in KINDS) for scope in SCOPES}
        kinds = []
        for kind in KINDS:
            for m2, kg, money, hens in ((200, 80, "800.000", 3), (500, 200, "2.500.000", 6)):
                fill = {"m2": m2, "kg": kg, "money": money, "hens": hens}
                kinds.append(
                    (
                        kind.scope,
                        kind.content.format(**fill),
                        kind.agreement.format(**fill),
                        kind.demands.format(**fill),
                        SCOPES[kind.scope] / per_scope[kind.scope],
                    )
                )
        return kinds

    def pay_rates_of(self, province: Province) -> None:
        """A rate from 2019; in most provinces a higher one from 2024 or 2025."""
        rng = self.lrng
        province.success = min(0.95, max(0.72, rng.gauss(SUCCESS_MEAN, SUCCESS_SPREAD)))
        province.rates = [(date(2019, 1, 1), rng.choice([150_000, 200_000, 200_000]))]
        if rng.random() < 0.7:
            since = rng.choice([date(2024, 1, 1), date(2024, 7, 1), date(2025, 1, 1)])
            province.rates.append((since, rng.choice([250_000, 300_000, 300_000, 400_000])))
        for effective_from, amount in province.rates:
            self.w.add(
                "pay_rates",
                {
                    "id": self.ids("pay_rates"),
                    "province_id": province.id,
                    "effective_from": effective_from,
                    "amount": amount,
                    "basis": f"Nghị quyết {rng.randint(1, 60)}/{effective_from.year}/NQ-HĐND "
                    f"của HĐND {province.name}",
                    "note": None,
                    **self.stamp(),
                },
            )

    def poisson(self, mean: float) -> int:
        """Knuth's method: fine for the small means of a team's cases."""
        limit, k, p = math.exp(-mean), 0, self.lrng.random()
        while p > limit:
            k += 1
            p *= self.lrng.random()
        return k

    def logbook_of(self, commune: Commune, team: dict) -> None:
        """A team's cases since LOGBOOK_FIRST_YEAR, numbered per year in the order received,
        and the payments of its older half-years (written before the cases that point to
        them)."""
        rng = self.lrng
        activity = rng.gammavariate(ACTIVITY_SHAPE, 1 / ACTIVITY_SHAPE) * CASES_PER_TEAM_YEAR
        cases, page = [], 0
        for year in range(LOGBOOK_FIRST_YEAR, self.today.year + 1):
            first = max(date(year, 1, 1), team["founded"])
            last = min(date(year, 12, 31), self.today)
            if last < first:
                continue
            count = self.poisson(activity * ((last - first).days + 1) / 365)
            for number, received in enumerate(
                sorted(self.logbook_day(first, last) for _ in range(count)), 1
            ):
                page += rng.choice((1, 1, 2))
                cases.append(self.case(commune, team, year, number, page, received))
        if not cases:
            return
        self.pay(commune, team, cases)
        for case in cases:
            parties, mediators = case.pop("_parties"), case.pop("_mediators")
            self.w.add("logbook_entries", case)
            for position, (full_name, age, address) in enumerate(parties, 1):
                self.w.add(
                    "logbook_parties",
                    {
                        "id": self.ids("logbook_parties"),
                        "entry_id": case["id"],
                        "position": position,
                        "full_name": full_name,
                        "age": age,
                        "address": address,
                        "created_at": self.now,
                        "updated_at": self.now,
                    },
                )
            for mediator_id in mediators:
                self.w.add(
                    "logbook_mediators",
                    {
                        "id": self.ids("logbook_mediators"),
                        "entry_id": case["id"],
                        "mediator_id": mediator_id,
                    },
                )
        commune.cases += len(cases)
        commune.province.cases += len(cases)

    def logbook_day(self, first: date, last: date) -> date:
        return date.fromordinal(self.lrng.randint(first.toordinal(), last.toordinal()))

    def case(self, commune, team, year, number, page, received) -> dict:
        rng = self.lrng
        scope, content, agreement, demands, _w = rng.choices(
            self.kinds, [k[4] for k in self.kinds]
        )[0]
        started = received + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        ended = started + timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 10, 15, 20)))
        recent = (self.today - received).days < OPEN_RECENT_DAYS
        result, stop = "successful", False
        if rng.random() < (OPEN_RECENT if recent else OPEN_STALE) or ended > self.today:
            result, ended = "in_progress", None
            if started > self.today or rng.random() < 0.35:
                result, started = "pending", None
        elif rng.random() >= commune.success:
            result, stop = "failed", rng.random() < STOPPED
        serving = [
            m
            for m, recognised, dismissed_on in team["serving"]
            if recognised <= received and (dismissed_on is None or received <= dismissed_on)
        ] or [m for m, _r, dismissed_on in team["serving"] if dismissed_on is None]
        mediators = rng.sample(serving, min(len(serving), int(CASE_MEDIATORS.pick(rng))))
        address = f"{team['village']}, {commune.name}"
        parties = [
            (
                names.person_name(rng, self.party_ethnicity(commune), rng.choice("MF")),
                rng.randint(18, 85),
                address,
            )
            for _ in range(int(PARTIES.pick(rng)))
        ]
        return {
            "id": self.ids("logbook_entries"),
            "team_id": team["id"],
            "year": year,
            "number": number,
            "page_number": page,
            "received_on": received,
            "started_on": started,
            "ended_on": ended,
            "invited_persons": "Trưởng thôn, bản" if rng.random() < 0.3 else None,
            "content": content,
            "scope": scope,
            "result": result,
            "stop_requested": stop,
            "agreement": agreement
            if result == "successful"
            else (demands if result == "failed" else None),
            "written_settlement": result == "successful" and rng.random() < 0.25,
            "note": None,
            "party_count": len(parties),
            "payment_id": None,
            "paid_amount": None,
            "unit_id": team["village_id"],
            "commune_id": commune.id,
            "district_id": None,
            "province_id": commune.province.id,
            **self.stamp(),
            "_parties": parties,
            "_mediators": mediators,
        }

    def party_ethnicity(self, commune: Commune) -> str:
        if commune.share and self.lrng.random() < commune.share:
            if commune.dominant and self.lrng.random() < 0.7:
                return commune.dominant
            return commune.province.groups.pick(self.lrng)
        return "01"

    def pay(self, commune: Commune, team: dict, cases: list[dict]) -> None:
        """One payment per half-year that ended PAID_AFTER_DAYS ago, for most teams, of its
        ended cases at the rate in force on the day each ended."""
        rng = self.lrng
        halves: dict[date, list[dict]] = {}
        for case in cases:
            ended = case["ended_on"]
            if ended is None:
                continue
            half_end = date(ended.year, 6, 30) if ended.month <= 6 else date(ended.year, 12, 31)
            if (self.today - half_end).days >= PAID_AFTER_DAYS:
                halves.setdefault(half_end, []).append(case)
        for half_end, paid in halves.items():
            if rng.random() >= PAID:
                continue
            payment_id = self.ids("remuneration_payments")
            for case in paid:
                case["payment_id"] = payment_id
                case["paid_amount"] = next(
                    amount
                    for since, amount in reversed(commune.province.rates)
                    if since <= case["ended_on"]
                )
            paid_on = min(self.today, half_end + timedelta(days=rng.randint(10, 60)))
            self.w.add(
                "remuneration_payments",
                {
                    "id": payment_id,
                    "team_id": team["id"],
                    "paid_on": paid_on,
                    "case_count": len(paid),
                    "total_amount": sum(case["paid_amount"] for case in paid),
                    "voucher": f"PC-{rng.randint(1, 300)}/{paid_on.year}",
                    "note": None,
                    "unit_id": team["village_id"],
                    "commune_id": commune.id,
                    "district_id": None,
                    "province_id": commune.province.id,
                    "created_at": self.now,
                    "updated_at": self.now,
                },
            )

    # users
    def users(self, password_hash: str) -> dict:
        """admin; canbo_<province code> for every province; congchuc_<commune code> for the
        biggest and a middle-sized commune of the biggest province and a few others."""
        rng = self.rng
        accounts = {}

        def add(username, role, unit_id, full_name):
            self.w.add(
                "users",
                {
                    "id": self.ids("users"),
                    "username": username,
                    "full_name": full_name,
                    "full_name_folded": self.fold(full_name),
                    "role": role,
                    "unit_id": unit_id,
                    "password_hash": password_hash,
                    "active": True,
                    "session_version": 1,
                    "must_change_password": False,
                    "last_login_at": None,
                    "password_changed_at": None,
                    **self.stamp(),
                },
            )
            accounts[username] = {"role": role, "unit_id": unit_id}

        add("admin", "admin", self.provinces[0].id, "Quản trị hệ thống")
        for province in self.provinces:
            add(
                f"canbo_{province.code:02d}",
                "officer",
                province.id,
                names.person_name(rng, "01", rng.choice("MF")),
            )
        biggest = max(self.provinces, key=lambda p: p.mediators)
        by_size = sorted(biggest.communes, key=lambda c: c.mediators)
        staffed = [by_size[-1], by_size[len(by_size) // 2]]
        for province in self.provinces:
            if province is not biggest and province.communes and province.code in (1, 11, 66):
                staffed.append(max(province.communes, key=lambda c: c.mediators))
        for commune in staffed:
            add(
                f"congchuc_{commune.code}",
                "commune_staff",
                commune.id,
                names.person_name(rng, "01", rng.choice("MF")),
            )
        return {
            "password": PASSWORD,
            "admin": "admin",
            "province": {
                "id": biggest.id,
                "code": biggest.code,
                "name": biggest.name,
                "mediators": biggest.mediators,
                "officer": f"canbo_{biggest.code:02d}",
            },
            "communes": [
                {
                    "id": c.id,
                    "code": c.code,
                    "name": c.name,
                    "mediators": c.mediators,
                    "staff": f"congchuc_{c.code}",
                    "province": c.province.name,
                }
                for c in staffed
            ],
        }


# --- After the load --------------------------------------------------------------------------


def build_indexes(engine, indexes) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET maintenance_work_mem = '512MB'"))
        for index in indexes:
            index.create(conn)


def fill_derived(url: str, meta) -> dict[str, int]:
    """Tables the app derives from the generated rows, rebuilt by the app's own function: the
    logbook's counts per unit and month (docs/PERFORMANCE.md, P5), once the app has them."""
    if "logbook_counts" not in meta.tables:
        return {}
    from app import create_app
    from app.extensions import db

    # A proposal (docs/PERFORMANCE.md) until the app has it: imported by name.
    recount_cases = importlib.import_module("app.logbook.counts").recount_cases
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        recount_cases()
        db.session.commit()
        rows = db.session.scalar(text("SELECT COUNT(*) FROM logbook_counts"))
        db.session.remove()
        db.engine.dispose()
    return {"logbook_counts": rows}


def finish(engine, analyze: bool) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for name in ORDER:
                if name == "unit_closure":
                    continue
                # Table names from ORDER, not from input.
                sql = (
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
                conn.execute(text(sql))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as conn:
            if analyze:
                conn.execute(text("ANALYZE"))
            conn.execute(text("PRAGMA journal_mode=WAL"))
            conn.commit()


def check_integrity(engine) -> list[str]:
    """A few invariants, checked with queries (the load skipped the foreign-key triggers)."""
    checks = {
        "every unit has its closure rows": """
            SELECT COUNT(*) FROM units u WHERE (SELECT COUNT(*) FROM unit_closure c
            WHERE c.descendant_id = u.id) <> u.level - CASE WHEN u.level >= 3 THEN 1 ELSE 0 END
        """,
        "mediators placed where their team is": """
            SELECT COUNT(*) FROM mediators m JOIN teams t ON t.id = m.team_id
            WHERE m.unit_id <> t.unit_id OR m.commune_id <> t.commune_id
               OR m.province_id <> t.province_id
        """,
        "team counts match their active mediators": """
            SELECT COUNT(*) FROM teams t WHERE t.active_count <> (SELECT COUNT(*) FROM mediators m
            WHERE m.team_id = t.id AND m.status = 'active')
        """,
        "trained_on is the first framework training attended": """
            SELECT COUNT(*) FROM mediators m WHERE COALESCE(m.trained_on, DATE '1900-01-01') <>
            COALESCE((SELECT MIN(g.starts_on) FROM training_attendances a
                      JOIN trainings g ON g.id = a.training_id
                      WHERE a.mediator_id = m.id AND g.is_framework), DATE '1900-01-01')
        """,
        "logbook cases placed where their team is": """
            SELECT COUNT(*) FROM logbook_entries e JOIN teams t ON t.id = e.team_id
            WHERE e.unit_id <> t.unit_id OR e.commune_id <> t.commune_id
               OR e.province_id <> t.province_id
        """,
        "payments add up to their cases, of their team, ended before": """
            SELECT COUNT(*) FROM remuneration_payments p WHERE p.case_count <> (SELECT COUNT(*)
            FROM logbook_entries e WHERE e.payment_id = p.id AND e.team_id = p.team_id
            AND e.result IN ('successful', 'failed') AND e.ended_on <= p.paid_on)
            OR p.total_amount <> (SELECT SUM(e.paid_amount) FROM logbook_entries e
            WHERE e.payment_id = p.id)
        """,
        "party counts of the cases": """
            SELECT COUNT(*) FROM logbook_entries e WHERE e.party_count <> (SELECT COUNT(*)
            FROM logbook_parties p WHERE p.entry_id = e.id)
        """,
        "foreign keys of attendances": """
            SELECT COUNT(*) FROM training_attendances a LEFT JOIN trainings g
            ON g.id = a.training_id WHERE g.id IS NULL
        """,
    }
    problems = []
    with engine.connect() as conn:
        for label, sql in checks.items():
            if engine.dialect.name == "sqlite":
                sql = sql.replace("DATE '1900-01-01'", "'1900-01-01'")
            bad = conn.scalar(text(sql))
            if bad:
                problems.append(f"{label}: {bad} rows")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_SQLITE, help="SQLAlchemy URL")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the communes")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per executemany")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE on SQLite too (PostgreSQL is always analysed)",
    )
    parser.add_argument("--check", action="store_true", help="check invariants at the end")
    args = parser.parse_args(argv)

    url = engine_url(args.database)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(label: str, since: float) -> float:
        now = time.perf_counter()
        timings[label] = round(now - since, 1)
        log(f"  {label}: {now - since:.1f} s")
        return now

    log(
        f"Generating into {make_url(url).render_as_string(hide_password=True)} "
        f"(scale {args.scale}, seed {args.seed})"
    )
    meta = metadata()
    from werkzeug.security import generate_password_hash

    from app.clock import today
    from app.config import Config

    t = time.perf_counter()
    engine = reset_database(url)
    indexes = create_schema(engine, meta)
    t = lap("schema (drop, create_all, drop secondary indexes)", t)

    conn = loading_connection(engine)
    writer = Writer(conn, meta, args.batch)
    gen = Generator(writer, args.scale, args.seed, today())
    gen.official_units()
    total_communes = sum(len(p.communes) for p in gen.provinces)
    for number, province in enumerate(gen.provinces, 1):
        gen.pay_rates_of(province)
        gen.trainings_of(province)
        gen.trainers_of(province, total_communes)
        for commune in province.communes:
            gen.commune_content(commune)
        conn.commit()
        log(
            f"  [{number:2d}/{len(gen.provinces)}] {province.name}: {len(province.communes)} "
            f"communes, {province.mediators:,} mediators, {province.cases:,} cases "
            f"({time.perf_counter() - started:.0f} s)"
        )
    password_hash = generate_password_hash(PASSWORD, method=Config.PASSWORD_HASH_METHOD)
    accounts = gen.users(password_hash)
    writer.flush()
    conn.commit()
    conn.close()
    t = lap("generate and insert rows", t)
    for name in ORDER:
        seconds = writer.seconds[name]
        rate = writer.counts[name] / seconds if seconds else 0
        log(
            f"    {name:22s} {writer.counts[name]:>9,} rows  {seconds:6.1f} s in executemany"
            f"  ({rate:,.0f} rows/s)"
        )

    build_indexes(engine, indexes)
    t = lap(f"build {len(indexes)} secondary indexes", t)
    derived = fill_derived(url, meta)
    if derived:
        t = lap("derived tables (" + ", ".join(derived) + ")", t)
    finish(engine, args.analyze)
    t = lap("finish (sequences, VACUUM ANALYZE / WAL)", t)
    problems = []
    if args.check:
        problems = check_integrity(engine)
        t = lap("check invariants", t)
        for problem in problems:
            log(f"  PROBLEM: {problem}")
    total = time.perf_counter() - started
    log(f"Done in {total:.0f} s.")
    engine.dispose()

    summary = {
        "database": make_url(url).render_as_string(hide_password=True),
        "backend": make_url(url).get_backend_name(),
        "scale": args.scale,
        "seed": args.seed,
        "generated_at": datetime.now().isoformat(timespec="seconds"),
        "rows": {**writer.counts, **derived},
        "villages": gen.ids.next["units"] - len(gen.provinces) - total_communes,
        "communes": total_communes,
        "timings_s": {**timings, "total": round(total, 1)},
        "insert_s": {name: round(s, 1) for name, s in writer.seconds.items()},
        "analyzed": make_url(url).get_backend_name() == "postgresql" or args.analyze,
        "accounts": accounts,
        "problems": problems,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    # The report reads the national summaries; a quick run at another scale gets its own file.
    suffix = "" if args.scale == 1 else f"-scale{args.scale:g}"
    path = OUT / f"generate-{summary['backend']}{suffix}.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str))
    log(f"Summary: {path.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
