"""Demo data of the contests: the Mường Nhé district contest of this year with its 11 commune
teams and 5 judges (see docs/demo.md). The preliminary is fully scored, with a tie at the
advancement cut decided by the board, and published; the final is being scored, the demo judge
``giamkhao`` (head of the panel) not having scored yet.

The contest is built as an interchange file (a dict in the format of docs/contest-format.md)
and loaded by the same ``import_contest`` as ``flask contests import``. Deterministic: seeded
random; the dates follow the clock's today.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from app.clock import today
from app.contests.interchange import FORMAT_NAME, FORMAT_VERSION, import_contest
from app.contests.interchange.shape import iso_datetime
from app.contests.models import ContestEntry, ContestRound
from app.contests.services import ContestError
from app.contests.services.results import compute_round, publish_round
from app.extensions import db
from app.registry.demo import ETHNIC_MIX, PEOPLE
from app.registry.models import Mediator
from app.text import fold, format_date

SEED = 505
PROVINCE, DISTRICT = "Tỉnh Điện Biên", "Huyện Mường Nhé"
# The communes from the strongest team to the weakest; the two named in TIED end the
# preliminary on exactly the same marks, at the advancement cut.
STRENGTH = (
    "Xã Mường Nhé",
    "Xã Chung Chải",
    "Xã Mường Toong",
    "Xã Quảng Lâm",
    "Xã Huổi Lếnh",
    "Xã Pá Mỳ",
    "Xã Nậm Vì",
    "Xã Sen Thượng",
    "Xã Leng Su Sìn",
    "Xã Nậm Kè",
    "Xã Sín Thầu",
)
TIED = ("Xã Pá Mỳ", "Xã Nậm Vì")  # the board's decision puts them in this order
ADVANCE = 6
# (username or None, full name, title, unit key, head of the panel)
JUDGES = (
    ("giamkhao", None, "Phó Trưởng phòng Tư pháp huyện", "district", True),
    (None, "Vàng A Dính", "Phó Chủ tịch Ủy ban MTTQ Việt Nam huyện", "district", False),
    (None, "Đỗ Thị Nga", "Thẩm phán Tòa án nhân dân khu vực", "district", False),
    (None, "Pờ Văn Sừ", "Luật sư, Đoàn Luật sư tỉnh Điện Biên", "province", False),
    (None, "Lường Thị Ón", "Phó Chủ tịch Hội Liên hiệp Phụ nữ huyện", "district", False),
)
STEP = Decimal("0.25")
INTRO = {"kind": "intro", "max_points": "20", "time_limit_seconds": 180}
INTRO |= {"penalty_kind": "tiered", "penalty_tiers": "1:0.25;60:0.5"}
QUIZ_GUIDANCE = "20 câu hỏi trắc nghiệm, mỗi câu đúng 1,5 điểm; thư ký chấm."
PRELIMINARY_PARTS = (
    {"key": "SK.GT", "name": "Giới thiệu, chào hỏi", **INTRO},
    {
        "key": "SK.KT",
        "name": "Kiến thức pháp luật (trắc nghiệm)",
        "kind": "knowledge",
        "max_points": "30",
        "scored_by": "secretary",
        "guidance": QUIZ_GUIDANCE,
    },
    {
        "key": "SK.TH",
        "name": "Xử lý tình huống",
        "kind": "situation",
        "max_points": "50",
        "time_limit_seconds": 300,
        "penalty_kind": "cutoff",
        "guidance": "Tối đa 5 phút; phần trình bày sau 5 phút không được chấm.",
        "criteria": [
            {"key": "SK.TH.1", "name": "Vận dụng pháp luật", "max_points": "20"},
            {"key": "SK.TH.2", "name": "Kỹ năng hòa giải, thuyết phục", "max_points": "20"},
            {"key": "SK.TH.3", "name": "Ngôn ngữ, phong cách", "max_points": "10"},
        ],
    },
)
FINAL_PARTS = (
    {"key": "CK.GT", "name": "Giới thiệu, chào hỏi", **INTRO},
    {
        "key": "CK.KT",
        "name": "Kiến thức pháp luật (trắc nghiệm)",
        "kind": "knowledge",
        "max_points": "30",
        "scored_by": "secretary",
        "guidance": QUIZ_GUIDANCE,
    },
    {
        "key": "CK.TP",
        "name": "Tiểu phẩm hòa giải",
        "kind": "skit",
        "max_points": "50",
        "time_limit_seconds": 600,
        "penalty_kind": "per_minute",
        "penalty_points": "1",
        "guidance": "Tối đa 10 phút; mỗi phút tròn vượt quá trừ 1 điểm.",
        "criteria": [
            {"key": "CK.TP.1", "name": "Nội dung, kịch bản", "max_points": "20"},
            {"key": "CK.TP.2", "name": "Kỹ năng hòa giải", "max_points": "20"},
            {"key": "CK.TP.3", "name": "Diễn xuất, phong cách", "max_points": "10"},
        ],
    },
)
# Overruns recorded by the secretary in the preliminary: commune → seconds of the introduction.
PRELIMINARY_OVERRUNS = {"Xã Huổi Lếnh": 220, "Xã Sen Thượng": 255}


def load_contests(demo) -> None:
    """The district contest: 11 teams, 5 judges, a published preliminary, a final in progress."""
    final_day = today()
    preliminary_day = final_day - timedelta(days=21)
    builder = _Builder(demo, preliminary_day, final_day)
    summary = import_contest(builder.file())
    contest = summary.contest
    preliminary, final = db.session.scalars(
        select(ContestRound)
        .where(ContestRound.contest_id == contest.id)
        .order_by(ContestRound.position)
    )
    publish_round(preliminary, user=None, reason=None)
    names = dict(
        db.session.execute(
            select(ContestEntry.id, ContestEntry.name).where(ContestEntry.contest_id == contest.id)
        ).all()
    )
    advancing = {names[i] for i in compute_round(preliminary).advancing}
    if advancing != {_team(name) for name in STRENGTH[:ADVANCE]}:
        # The marks are drawn around each team's level: they must keep the designed order.
        raise ContestError("Dữ liệu mẫu hội thi: đội vào chung khảo không khớp kết quả sơ khảo.")
    demo.report += [
        f"Hội thi: “{contest.name}”, 11 đội xã ({summary.counts['members']} thành viên), "
        "5 giám khảo (giamkhao là Trưởng Ban Giám khảo).",
        f"  {preliminary.name} {format_date(preliminary_day)}: đã chấm đủ và công bố; "
        f"{' và '.join(TIED)} bằng điểm ở vị trí thứ {ADVANCE}, Ban Tổ chức đã quyết định; "
        f"{ADVANCE} đội vào chung khảo.",
        f"  {final.name} {format_date(final_day)}: đang chấm, đã bốc thăm thứ tự thi; 3 đội "
        "đã thi, giamkhao chưa chấm.",
    ]


class _Builder:
    """The demo contest as an interchange file."""

    def __init__(self, demo, preliminary_day: date, final_day: date):
        # Two streams: the marks and draws do not change when the registry demo does.
        self.demo, self.rng, self.draw = demo, random.Random(SEED), random.Random(SEED + 1)
        self.preliminary_day, self.final_day = preliminary_day, final_day
        self.finalists: list[str] = []  # keys of the top teams by design

    def file(self) -> dict:
        """The whole contest in the interchange format."""
        communes = [self.demo.units[name] for name in STRENGTH]
        units = [
            {"key": "province", "code": "11", "name": PROVINCE},
            {"key": "district", "path": f"{PROVINCE}/{DISTRICT}"},
        ] + [{"key": _key(c.name), "path": f"{PROVINCE}/{DISTRICT}/{c.name}"} for c in communes]
        year = self.final_day.year
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "units": units,
            "contest": {
                "name": f"Hội thi Hòa giải viên giỏi huyện Mường Nhé năm {year}",
                "level": "district",
                "year": year,
                "organiser": "district",
                "rule_document": "45/TL-BTC",
                "status": "judging",
                "note": "Dữ liệu mẫu: hội thi minh họa, không phải hội thi thật.",
                "frozen_at": iso_datetime(self._at(self.preliminary_day, 7)),
            },
            "prizes": [
                {"name": "Giải Nhất", "count": 1},
                {"name": "Giải Nhì", "count": 1},
                {"name": "Giải Ba", "count": 1},
                {"name": "Giải Khuyến khích", "count": 2},
                {"name": "Tiểu phẩm hay nhất", "kind": "side"},
                {"name": "Hòa giải viên khéo léo nhất", "kind": "side"},
            ],
            "entries": [self._entry(commune) for commune in sorted(communes, key=_by_name)],
            "rounds": [self._preliminary(), self._final()],
        }

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A Vietnamese wall-clock time of a day, as stored (UTC)."""
        return datetime.combine(day, time(hour)) + timedelta(minutes=minute - 7 * 60)

    def _entry(self, commune) -> dict:
        """Đội xã …: 3 official mediators (one captain) and a reserve of the commune, picked
        in the registry, and one or two supporting actors."""
        unit = _key(commune.name)
        mediators = _unique_mediators(commune.id)
        chosen = self.rng.sample(mediators, 4)
        members = [
            {
                "role": role,
                "full_name": m.full_name,
                "birth_year": m.birth_year,
                "sex": m.sex,
                "unit": unit,
                "registry": {"unit": unit},
            }
            for role, m in zip(("captain", "official", "official", "reserve"), chosen, strict=True)
        ]
        for _ in range(self.rng.choice((1, 2))):
            members.append({"role": "actor", **self._actor()})
        return {
            "key": _entry_key(commune.name),
            "name": _team(commune.name),
            "unit": unit,
            "members": members,
        }

    def _actor(self) -> dict:
        sex = self.rng.choice("MF")
        families, male_middles, female_middles, males, females = PEOPLE[self.rng.choice(ETHNIC_MIX)]
        middle = self.rng.choice(female_middles if sex == "F" else male_middles)
        given = self.rng.choice(females if sex == "F" else males)
        return {"full_name": f"{self.rng.choice(families)} {middle} {given}", "sex": sex}

    def _judges(self, prefix: str, declared: bool) -> list[dict]:
        judges = []
        for n, (username, name, title, unit, head) in enumerate(JUDGES, start=1):
            user = self.demo.users[username] if username else None
            judge = {
                "key": f"{prefix}.J{n}",
                "full_name": user.full_name if user else name,
                "title": title,
                "unit": unit,
                "is_head": head,
                "username": username,
            }
            if declared or not username:
                day = self.preliminary_day if prefix == "SK" else self.final_day
                judge["declared_at"] = iso_datetime(self._at(day, 7, 30))
            judges.append(judge)
        return judges

    def _preliminary(self) -> dict:
        """Every judge has scored every team; the two TIED teams have the same marks."""
        judges = self._judges("SK", declared=True)
        order = list(STRENGTH)
        self.draw.shuffle(order)
        marks = {name: self._marks(PRELIMINARY_PARTS, STRENGTH.index(name)) for name in order}
        quiz = {name: self._quiz(STRENGTH.index(name)) for name in order}
        first, second = TIED
        # The same marks, given by other judges: equal on every tie-break of the rules.
        marks[second] = {part: values[1:] + values[:1] for part, values in marks[first].items()}
        quiz[second] = quiz[first]
        self.finalists = [_entry_key(name) for name in STRENGTH[:ADVANCE]]
        done = self._at(self.preliminary_day, 11, 45)
        return {
            "key": "SK",
            "name": "Vòng sơ khảo",
            "kind": "preliminary",
            "held_on": self.preliminary_day.isoformat(),
            "venue": "Hội trường UBND huyện Mường Nhé",
            "advance_count": ADVANCE,
            "status": "judging",
            "parts": list(PRELIMINARY_PARTS),
            "entries": self._order([_entry_key(name) for name in order], self.preliminary_day),
            "judges": judges,
            "sheets": [
                _sheet(judge["key"], _entry_key(name), part, values[n], "submitted", done)
                for name in order
                for part, values in marks[name].items()
                for n, judge in enumerate(judges)
            ],
            "secretary_marks": [_quiz_mark(_entry_key(n), "SK.KT", quiz[n]) for n in order],
            "penalties": [
                _overrun(_entry_key(name), "SK.GT", seconds)
                for name, seconds in PRELIMINARY_OVERRUNS.items()
            ],
            "tie_decisions": [
                {
                    "entries": [_entry_key(name) for name in TIED],
                    "reason": (
                        f"{_team(first)} và {_team(second)} bằng điểm ở mọi tiêu chí phụ của "
                        "Thể lệ (điểm từng phần thi, tổng điểm chưa bỏ, điểm trừ). Ban Tổ chức "
                        f"tổ chức bốc thăm công khai trước hai đội trưởng; {_team(first)} bốc "
                        "được thăm vào vòng chung khảo."
                    ),
                    "at": iso_datetime(self._at(self.preliminary_day, 14)),
                }
            ],
        }

    def _final(self) -> dict:
        """The finalists in the order drawn; three have performed and four judges (not
        giamkhao) have scored them, the last one still on a draft; one mark is far off."""
        judges = self._judges("CK", declared=False)
        order = list(self.finalists)
        self.draw.shuffle(order)
        sheets, quiz = [], []
        for position, key in enumerate(order[:3]):
            strength = [_entry_key(name) for name in STRENGTH].index(key)
            marks = self._marks(FINAL_PARTS, strength)
            at = self._at(self.final_day, 8, 30 + 20 * position)
            for part, values in marks.items():
                for n, judge in enumerate(judges[1:], start=1):
                    status = "draft" if position == 2 and part == "CK.TP" else "submitted"
                    sheet_marks = values[n]
                    if status == "draft":
                        sheet_marks = sheet_marks[:2]
                    if position == 0 and part == "CK.GT" and n == 3:
                        sheet_marks = [(None, _far_below(values[1:]))]  # for the head judge
                    sheets.append(_sheet(judge["key"], key, part, sheet_marks, status, at))
            quiz.append(_quiz_mark(key, "CK.KT", self._quiz(strength)))
        return {
            "key": "CK",
            "name": "Vòng chung khảo",
            "kind": "final",
            "held_on": self.final_day.isoformat(),
            "venue": "Nhà văn hóa huyện Mường Nhé",
            "status": "judging",
            "parts": list(FINAL_PARTS),
            "entries": self._order(order, self.final_day),
            "judges": judges,
            "sheets": sheets,
            "secretary_marks": quiz,
            "penalties": [_overrun(order[1], "CK.TP", 680)],
        }

    def _order(self, keys: list[str], day: date) -> list[dict]:
        """The running order drawn by lot on the morning of the round."""
        drawn = iso_datetime(self._at(day, 7, 45))
        return [{"entry": key, "order": n, "drawn_at": drawn} for n, key in enumerate(keys, 1)]

    def _marks(self, parts, strength: int) -> dict[str, list[list[tuple]]]:
        """Per judged part, per judge, (criterion key or None, mark) around the team's level."""
        level = Decimal("0.90") - Decimal("0.035") * strength
        out = {}
        for part in parts:
            if part.get("scored_by") == "secretary":
                continue
            criteria = part.get("criteria") or [{"key": None, "max_points": part["max_points"]}]
            out[part["key"]] = [
                [(c["key"], self._mark(Decimal(c["max_points"]), level)) for c in criteria]
                for _ in JUDGES
            ]
        return out

    def _mark(self, maximum: Decimal, level: Decimal) -> Decimal:
        noise = STEP * self.draw.randint(-3, 3)
        value = (maximum * level / STEP).quantize(Decimal(1), rounding=ROUND_HALF_UP) * STEP
        return min(max(value + noise, Decimal(0)), maximum)

    def _quiz(self, strength: int) -> int:
        """Right answers out of 20: the stronger teams know more."""
        return 19 - strength * 2 // 3


def _far_below(marks: list[list[tuple]]) -> Decimal:
    """A whole-part mark 5 points under the panel's lowest: flagged as far from the median
    (more than 20% of the part's 20 points)."""
    return max(min(values[0][1] for values in marks) - 5, Decimal(0))


def _sheet(judge: str, entry: str, part: str, marks, status: str, at: datetime) -> dict:
    sheet = {
        "judge": judge,
        "entry": entry,
        "part": part,
        "status": status,
        "marks": [{"criterion": criterion, "value": f"{value:.2f}"} for criterion, value in marks],
    }
    if status == "submitted":
        sheet["submitted_at"] = iso_datetime(at)
    return sheet


def _quiz_mark(entry: str, part: str, right: int) -> dict:
    value = Decimal("1.5") * right
    return {
        "entry": entry,
        "part": part,
        "value": f"{value:.2f}",
        "correct_answers": right,
        "question_count": 20,
    }


def _overrun(entry: str, part: str, seconds: int) -> dict:
    minutes, rest = divmod(seconds, 60)
    return {
        "entry": entry,
        "part": part,
        "kind": "time",
        "used_seconds": seconds,
        "reason": f"Thời gian thực hiện {minutes} phút {rest} giây.",
    }


def _unique_mediators(commune_id: int) -> list[Mediator]:
    """Active recognised mediators of a commune whose name and birth year are unique in it
    (so that the import finds each of them again in the registry)."""
    mediators = list(
        db.session.scalars(
            select(Mediator)
            .where(Mediator.commune_id == commune_id, Mediator.status == "active")
            .order_by(Mediator.id)
        )
    )
    seen = Counter((fold(m.full_name), m.birth_year) for m in mediators)
    return [
        m
        for m in mediators
        if m.recognised_on is not None and seen[(fold(m.full_name), m.birth_year)] == 1
    ]


def _key(commune_name: str) -> str:
    """A commune's key in the file: "Xã Mường Nhé" → "xa-muong-nhe"."""
    return fold(commune_name).replace(" ", "-")


def _entry_key(commune_name: str) -> str:
    """A team's key in the file: "Xã Mường Nhé" → "doi-xa-muong-nhe"."""
    return "doi-" + _key(commune_name)


def _team(commune_name: str) -> str:
    """ "Xã Pá Mỳ" → "Đội xã Pá Mỳ"."""
    return commune_name.replace("Xã ", "Đội xã ", 1)


def _by_name(unit) -> str:
    return fold(unit.name)
