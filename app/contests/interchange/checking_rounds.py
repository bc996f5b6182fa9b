"""Checking the records of one round: its parts and criteria, running order, panel, score
sheets and marks, the secretary's records, the board's decisions and published snapshots. A
record refers only to the parts, judges, entries and sheets of its own round."""

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.contests import rules
from app.contests.interchange import fields as f
from app.contests.interchange import specs
from app.contests.interchange.fields import Checker
from app.contests.interchange.shape import remap_snapshot
from app.contests.services.results import parse_tiers
from app.extensions import db
from app.users.models import Role, User


class _Round:
    """The references a round's records may use: its own parts, judges, entries, sheets."""

    def __init__(self, c: Checker, plan: dict, where: str, step: Decimal):
        self.c, self.plan, self.where, self.step = c, plan, where, step
        self.label = where[0].lower() + where[1:]  # "vòng R1" inside a sentence
        self.parts: dict[str, dict] = {}
        self.judges: dict[str, dict] = {}
        self.entries: dict[str, dict] = {}
        self.sheets: dict[str, dict] = {}

    def part(self, key, where):
        if key is not None and key not in self.parts:
            self.c.problem(where, f"phần thi “{key}” không có trong {self.label}")
        return self.parts.get(key)

    def judge(self, key, where):
        if key is not None and key not in self.judges:
            self.c.problem(
                where, f"giám khảo “{key}” không có trong Ban Giám khảo của {self.label}"
            )
        return self.judges.get(key)

    def entry(self, key, where):
        if key is not None and key not in self.entries:
            known = self.c.find(key, "entry", "đội/cá nhân", where)
            if known is not None:
                self.c.problem(where, f"đội/cá nhân “{key}” không thi ở {self.label}")
        return self.entries.get(key)

    def sheet(self, key, where):
        if key is not None and key not in self.sheets:
            self.c.problem(where, f"phiếu chấm “{key}” không có trong {self.label}")
        return self.sheets.get(key)

    def mark(self, value: Decimal | None, maximum: Decimal | None, where: str) -> None:
        if value is not None and maximum is not None:
            problem = rules.mark_error(value, maximum, self.step)
            if problem:
                self.c.problem(where, f"{problem.rstrip('.')} (điểm ghi {value})")


def check_round(c: Checker, item: Any, n: int, step: Decimal) -> dict | None:
    """A round's plan, every problem of it recorded on the checker."""
    round_ = c.fields(item, f"Vòng thi thứ {n}", specs.ROUND)
    if not round_:
        return None
    where = f"Vòng {round_['key'] or n}"
    c.define(round_["key"], "round", round_, where)
    scope = _Round(c, round_, where, step)
    round_["parts"] = [p for i, raw in enumerate(round_["parts"], 1) if (p := _part(scope, raw, i))]
    round_["entries"] = _round_entries(scope, round_["entries"])
    round_["judges"] = [
        j for i, raw in enumerate(round_["judges"], 1) if (j := _judge(scope, raw, i))
    ]
    round_["sheets"] = [
        s for i, raw in enumerate(round_["sheets"], 1) if (s := _sheet(scope, raw, i))
    ]
    _unique(c, where, "phiếu chấm", round_["sheets"], ("judge", "entry", "part"))
    round_["secretary_marks"] = _secretary_marks(scope, round_["secretary_marks"])
    round_["penalties"] = _penalties(scope, round_["penalties"])
    round_["tie_decisions"] = _tie_decisions(scope, round_["tie_decisions"])
    round_["reopenings"] = _reopenings(scope, round_["reopenings"])
    round_["outlier_reviews"] = _reviews(scope, round_["outlier_reviews"])
    round_["snapshots"] = _snapshots(scope, round_["snapshots"])
    return round_


_NAMES = {"judge": "giám khảo", "entry": "đội/cá nhân", "part": "phần thi"}


def _unique(c: Checker, where: str, label: str, plans: list[dict], names: tuple) -> None:
    """Two records of a round for the same thing (same judge, entry and part...)."""
    seen = set()
    for plan in plans:
        ident = tuple(id(plan[n]) for n in names)
        if all(plan[n] is not None for n in names) and ident in seen:
            described = ", ".join(f"{_NAMES[n]} “{plan[n]['key']}”" for n in names)
            c.problem(where, f"hai {label} cho cùng {described}")
        seen.add(ident)


def _part(scope: _Round, raw: Any, i: int) -> dict | None:
    c = scope.c
    part = c.fields(raw, f"{scope.where}, phần thi thứ {i}", specs.PART)
    if not part:
        return None
    where = f"{scope.where}, phần thi {part['key'] or i}"
    c.define(part["key"], "part", part, where)
    if part["key"]:
        scope.parts[part["key"]] = part
    criteria = []
    for k, item in enumerate(part["criteria"], start=1):
        criterion = c.fields(item, f"{where}, tiêu chí thứ {k}", specs.CRITERION)
        if criterion:
            c.define(criterion["key"], "criterion", criterion, f"{where}, tiêu chí thứ {k}")
            criteria.append(criterion)
    part["criteria"] = criteria
    maxima = [x["max_points"] for x in criteria]
    known = criteria and None not in maxima and part["max_points"] is not None
    if known and sum(maxima) != part["max_points"]:
        c.problem(
            where,
            f"tổng điểm tối đa các tiêu chí ({sum(maxima)}) phải bằng điểm tối đa của phần "
            f"thi ({part['max_points']})",
        )
    if criteria and part["scored_by"] == "secretary":
        c.problem(where, "phần thi do thư ký chấm (trắc nghiệm) không có tiêu chí")
    _penalty_rule(c, part, where)
    return part


def _penalty_rule(c: Checker, part: dict, where: str) -> None:
    kind = part["penalty_kind"]
    if kind != "none" and part["time_limit_seconds"] is None:
        c.problem(where, "quy định trừ điểm theo thời gian cần thời gian tối đa")
    if kind == "per_minute" and part["penalty_points"] is None:
        c.problem(where, "trừ điểm theo phút cần số điểm trừ mỗi phút (penalty_points)")
    if kind == "tiered":
        try:
            tiers = parse_tiers(part["penalty_tiers"])
        except ValueError:
            tiers = ()
        if not tiers:
            c.problem(where, 'mức trừ điểm (penalty_tiers) phải có dạng "1:0.25;60:0.5"')
    part["rule"] = None
    if part["max_points"] is not None and (kind != "tiered" or part["penalty_tiers"]):
        try:
            part["rule"] = rules.PartRule(
                id=0,
                kind=part["kind"] or "other",
                max_points=part["max_points"],
                scored_by=part["scored_by"] or "judges",
                time_limit_seconds=part["time_limit_seconds"],
                penalty_kind=kind or "none",
                penalty_points=part["penalty_points"],
                penalty_tiers=parse_tiers(part["penalty_tiers"]),
            )
        except ValueError:
            part["rule"] = None


def _round_entries(scope: _Round, items: list) -> list[dict]:
    c, out, orders = scope.c, [], set()
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, thứ tự thi thứ {i}"
        item = c.fields(raw, where, specs.ROUND_ENTRY)
        if not item:
            continue
        entry = c.find(item["entry"], "entry", "đội/cá nhân", where)
        if entry is None:
            continue
        if item["entry"] in scope.entries:
            c.problem(where, f"đội/cá nhân “{item['entry']}” được ghi hai lần trong vòng")
            continue
        if item["order"] is not None and item["order"] in orders:
            c.problem(where, f"số thứ tự thi {item['order']} bị trùng")
        orders.add(item["order"])
        scope.entries[item["entry"]] = entry
        item["entry"] = entry
        out.append(item)
    return out


def _judge(scope: _Round, raw: Any, i: int) -> dict | None:
    c = scope.c
    judge = c.fields(raw, f"{scope.where}, giám khảo thứ {i}", specs.JUDGE)
    if not judge:
        return None
    where = f"{scope.where}, giám khảo {judge['key'] or i}"
    c.define(judge["key"], "judge", judge, where)
    if judge["key"]:
        scope.judges[judge["key"]] = judge
    judge["unit"] = c.unit(judge["unit"], where)
    judge["user_id"] = None
    if judge["username"]:
        user = db.session.scalar(select(User).where(User.username == judge["username"]))
        if user is not None and user.role == Role.JUDGE:
            judge["user_id"] = user.id
        others = [j for j in scope.judges.values() if j is not judge]
        if any(j["username"] == judge["username"] for j in others):
            c.problem(where, f"tài khoản “{judge['username']}” đã có ở giám khảo khác của vòng")
    return judge


def _sheet(scope: _Round, raw: Any, i: int) -> dict | None:
    """A judge's sheet: its judge, entry and part of this round, marks, total when complete."""
    c = scope.c
    where = f"{scope.where}, phiếu chấm thứ {i}"
    sheet = c.fields(raw, where, specs.SHEET)
    if not sheet:
        return None
    if sheet["key"]:
        where = f"{scope.where}, phiếu chấm {sheet['key']}"
        c.define(sheet["key"], "sheet", sheet, where)
        scope.sheets[sheet["key"]] = sheet
    sheet["judge"] = scope.judge(sheet["judge"], where)
    sheet["entry"] = scope.entry(sheet["entry"], where)
    part = sheet["part"] = scope.part(sheet["part"], where)
    sheet["marks"] = _marks(scope, sheet, where)
    if part is None or part["scored_by"] == "secretary":
        if part is not None:
            c.problem(where, f"phần thi “{part['key']}” do thư ký chấm, không có phiếu giám khảo")
        return None if part is None else sheet
    # Marks per criterion, or one mark for the whole part; never both on one sheet.
    whole = [value for criterion, value in sheet["marks"] if criterion is None]
    if whole and len(whole) != len(sheet["marks"]):
        c.problem(where, "ghi điểm từng tiêu chí hoặc một điểm cho cả phần thi, không cả hai")
    expected = 1 if whole else len(part["criteria"]) or 1
    values = [value for _, value in sheet["marks"]]
    complete = len(values) == expected and None not in values
    sheet["total"] = sum(values, Decimal(0)) if complete else None
    if sheet["status"] == "submitted" and not complete:
        c.problem(where, "phiếu đã nộp phải có đủ điểm mọi tiêu chí")
    return sheet


def _marks(scope: _Round, sheet: dict, where: str) -> list[tuple[dict | None, Decimal | None]]:
    """(criterion or None for the whole part, value) of a sheet, each checked on its maximum."""
    c, part, out, seen = scope.c, sheet["part"], [], set()
    for k, raw in enumerate(sheet["marks"], start=1):
        here = f"{where}, điểm thứ {k}"
        mark = c.fields(raw, here, specs.MARK)
        if not mark or part is None:
            continue
        criteria = {x["key"]: x for x in part["criteria"]}
        criterion = None
        if mark["criterion"] is not None:
            criterion = criteria.get(mark["criterion"])
            if criterion is None:
                c.problem(
                    here, f"tiêu chí “{mark['criterion']}” không thuộc phần thi “{part['key']}”"
                )
                continue
        if mark["criterion"] in seen:
            c.problem(here, "hai điểm cho cùng một tiêu chí")
            continue
        seen.add(mark["criterion"])
        maximum = criterion["max_points"] if criterion else part["max_points"]
        scope.mark(mark["value"], maximum, here)
        out.append((criterion, mark["value"]))
    return out


def _secretary_marks(scope: _Round, items: list) -> list[dict]:
    c, out = scope.c, []
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, điểm trắc nghiệm thứ {i}"
        mark = c.fields(raw, where, specs.SECRETARY_MARK)
        if not mark:
            continue
        mark["entry"] = scope.entry(mark["entry"], where)
        part = mark["part"] = scope.part(mark["part"], where)
        if part is not None and part["scored_by"] != "secretary":
            c.problem(where, f"phần thi “{part['key']}” do giám khảo chấm, không do thư ký")
            continue
        scope.mark(mark["value"], part and part["max_points"], where)
        right, asked = mark["correct_answers"], mark["question_count"]
        if right is not None and asked is not None and right > asked:
            c.problem(where, "số câu đúng lớn hơn số câu hỏi")
        out.append(mark)
    _unique(c, scope.where, "điểm trắc nghiệm", out, ("entry", "part"))
    return out


def _penalties(scope: _Round, items: list) -> list[dict]:
    """Penalties; a time penalty without points gets them from its part's rule."""
    c, out = scope.c, []
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, điểm trừ thứ {i}"
        penalty = c.fields(raw, where, specs.PENALTY)
        if not penalty:
            continue
        penalty["entry"] = scope.entry(penalty["entry"], where)
        part = penalty["part"] = scope.part(penalty["part"], where)
        if penalty["kind"] == "time":
            if penalty["used_seconds"] is None or penalty["part"] is None:
                c.problem(where, "điểm trừ quá thời gian cần phần thi và số giây đã dùng")
            elif penalty["points"] is None and part["rule"] is not None:
                penalty["points"] = rules.time_penalty(part["rule"], penalty["used_seconds"])
        if penalty["points"] is None and penalty["kind"] == "rule":
            c.problem(where, "điểm trừ do vi phạm thể lệ cần số điểm trừ (points)")
        out.append(penalty)
    return out


def _tie_decisions(scope: _Round, items: list) -> list[dict]:
    c, out = scope.c, []
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, quyết định đồng điểm thứ {i}"
        decision = c.fields(raw, where, specs.TIE_DECISION)
        if not decision or decision["entries"] is None:
            continue
        keys = decision["entries"]
        if not 2 <= len(keys) <= 50 or len(set(map(str, keys))) != len(keys):
            c.problem(where, "cần từ 2 đến 50 đội/cá nhân khác nhau, theo thứ tự đã quyết định")
        decision["entries"] = [scope.entry(k if isinstance(k, str) else None, where) for k in keys]
        if not all(isinstance(k, str) for k in keys):
            c.problem(where, "“entries” là danh sách khóa đội/cá nhân")
        out.append(decision)
    return out


def _reopenings(scope: _Round, items: list) -> list[dict]:
    c, out = scope.c, []
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, lần mở lại phiếu thứ {i}"
        reopening = c.fields(raw, where, specs.REOPENING)
        if not reopening:
            continue
        sheet = reopening["sheet"] = scope.sheet(reopening["sheet"], where)
        part = sheet and sheet["part"]
        for name in ("marks_before", "marks_after"):
            marks = reopening[name]
            if marks is None or part is None:
                continue
            names = {x["key"] for x in part["criteria"]} or {"part"}
            for key in marks:
                if key not in names:
                    c.problem(where, f"“{name}”: “{key}” không phải tiêu chí của phần thi")
            reopening[name] = {
                key: c.value(value, f"{where}, “{name}”", f.decimal(low=None))
                for key, value in marks.items()
            }
        out.append(reopening)
    return out


def _reviews(scope: _Round, items: list) -> list[dict]:
    out = []
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, xem xét điểm chênh lệch thứ {i}"
        review = scope.c.fields(raw, where, specs.REVIEW)
        if review:
            review["sheet"] = scope.sheet(review["sheet"], where)
            out.append(review)
    return out


def _snapshots(scope: _Round, items: list) -> list[dict]:
    """Published snapshots: their data may refer only to this round's parts and entries."""
    c, out, numbers = scope.c, [], set()
    for i, raw in enumerate(items, start=1):
        where = f"{scope.where}, kết quả công bố thứ {i}"
        snapshot = c.fields(raw, where, specs.SNAPSHOT)
        if not snapshot:
            continue
        c.define(snapshot["key"], "snapshot", snapshot, where)
        if snapshot["number"] in numbers:
            c.problem(where, f"lần công bố số {snapshot['number']} bị trùng")
        numbers.add(snapshot["number"])
        if snapshot["data"] is not None:
            parts = {k: k for k in scope.parts}
            entries = {k: k for k in scope.entries}
            _, missing = remap_snapshot(snapshot["data"], None, None, parts, entries)
            for key in dict.fromkeys(map(str, missing)):
                c.problem(where, f"“data” nhắc đến “{key}”, không có trong vòng")
        snapshot["round"] = scope.plan
        out.append(snapshot)
    return out
