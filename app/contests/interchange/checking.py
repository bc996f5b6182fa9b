"""Checking a whole interchange file before anything is written: every value, every reference
and every rule the screens would enforce; all problems are reported at once. The records of
each round are checked in checking_rounds.py."""

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.contests import rules
from app.contests.interchange import specs
from app.contests.interchange.checking_rounds import check_round
from app.contests.interchange.fields import Checker
from app.contests.interchange.shape import FORMAT_NAME, FORMAT_VERSION
from app.contests.interchange.units import describe, resolve_unit
from app.contests.models import MEDIATOR_ROLES, Contest
from app.contests.services import ContestError
from app.extensions import db
from app.registry.models import Mediator
from app.security.scope import placed_under
from app.text import fold


class ImportRefused(ContestError):
    """A file that cannot be imported; ``problems`` lists every reason, in Vietnamese."""

    SHOWN = 20  # a message names this many; the command prints them all up to PRINTED

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = [("", problem) for problem in self.problems[: self.SHOWN]]
        if len(self.problems) > self.SHOWN:
            shown.append(("", f"và {len(self.problems) - self.SHOWN} lỗi khác"))
        super().__init__(shown)


def _no_constant(name: str):
    raise ValueError(f"giá trị {name} không được dùng trong tệp")


def parse_json(raw: bytes | str) -> Any:
    """The file's JSON (decimals kept exact); ImportRefused naming the line and column."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportRefused(
                [f"Tệp không phải văn bản UTF-8 (byte lỗi ở vị trí {error.start})."]
            ) from error
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                f"Tệp không phải JSON hợp lệ: lỗi ở dòng {error.lineno}, cột {error.colno} "
                f"({error.msg})."
            ]
        ) from error
    except ValueError as error:
        raise ImportRefused([f"Tệp không phải JSON hợp lệ: {error}."]) from error


def check_file(data: Any) -> dict:
    """Every problem of a parsed file, or the plan of what to write (reads the database only
    to find units, accounts, registry mediators and an earlier import of the same contest)."""
    _check_format(data)
    c = Checker()
    top = c.fields(data, "Tệp", specs.TOP)
    for item in top["units"]:
        _unit(c, item)
    contest = _contest(c, top["contest"])
    plan = {
        "contest": contest,
        "amendments": _items(c, top["amendments"], "Sửa đổi thể lệ", specs.AMENDMENT),
        "prizes": [_prize(c, item, n) for n, item in enumerate(top["prizes"], start=1)],
        "entries": [_entry(c, item, n) for n, item in enumerate(top["entries"], start=1)],
    }
    plan["prizes"] = [p for p in plan["prizes"] if p]
    plan["entries"] = [e for e in plan["entries"] if e]
    _unique_names(c, plan["entries"])
    step = contest["step"] if contest and contest["step"] else Decimal("0.01")
    plan["rounds"] = [
        r for n, item in enumerate(top["rounds"], start=1) if (r := check_round(c, item, n, step))
    ]
    plan["awards"] = _awards(c, top["awards"])
    plan["certificates"] = _certificates(c, top["certificates"])
    if contest:
        _not_imported_yet(c, contest)
    if c.problems:
        raise ImportRefused(c.problems)
    return plan


def _check_format(data: Any) -> None:
    """Refuse at once what is not a contest file of this version (nothing else is read)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportRefused(
            [f"Tệp không phải tệp hội thi: thiếu “format”: “{FORMAT_NAME}” ở đầu tệp."]
        )
    if data.get("version") != FORMAT_VERSION:
        raise ImportRefused(
            [
                f"Phiên bản định dạng {data.get('version')!r} không được hỗ trợ: phần mềm này "
                f"đọc phiên bản {FORMAT_VERSION}."
            ]
        )


def _items(c: Checker, items: list, label: str, spec: dict) -> list[dict]:
    """Plain records without references: their fields only."""
    read = [c.fields(item, f"{label} thứ {n}", spec) for n, item in enumerate(items, start=1)]
    return [r for r in read if r]


def _unit(c: Checker, item: Any) -> None:
    where = "Danh sách đơn vị (units)"
    unit = c.fields(item, where, specs.UNIT)
    if not unit or not unit["key"]:
        return
    where = f"Đơn vị {unit['key']}"
    if bool(unit["code"]) == bool(unit["path"]):
        c.problem(where, "ghi mã (code, kèm tên) hoặc đường dẫn tên (path), một trong hai")
        c.define(unit["key"], "unit", {"unit": None}, where)
        return
    found, reason = resolve_unit(unit)
    if found is None:
        c.problem(where, f"không tìm thấy đơn vị {describe(unit)} trong hệ thống: {reason}")
    c.define(unit["key"], "unit", {"unit": found}, where)


def _contest(c: Checker, item: Any) -> dict | None:
    contest = c.fields(item, "Hội thi", specs.CONTEST)
    if not contest:
        return None
    contest["unit"] = c.unit(contest["organiser"], "Hội thi, đơn vị tổ chức")
    low, high = contest["reserve_min"], contest["reserve_max"]
    if low is not None and high is not None and low > high:
        c.problem("Hội thi", "số dự bị tối thiểu lớn hơn số dự bị tối đa")
    ties = contest["tie_break"] or []
    known = isinstance(ties, list | tuple) and all(isinstance(t, str) for t in ties)
    if not known or any(t not in rules.TIE_BREAKS for t in ties) or len(set(ties)) != len(ties):
        c.problem(
            "Hội thi, “tie_break”",
            f"phải là danh sách các tiêu chí phụ khác nhau trong: {', '.join(rules.TIE_BREAKS)}",
        )
        contest["tie_break"] = []
    return contest


def _prize(c: Checker, item: Any, n: int) -> dict | None:
    where = f"Giải thưởng thứ {n}"
    prize = c.fields(item, where, specs.PRIZE)
    if prize:
        c.define(prize["key"], "prize", prize, where)
    return prize


def _entry(c: Checker, item: Any, n: int) -> dict | None:
    entry = c.fields(item, f"Đội/cá nhân thứ {n}", specs.ENTRY)
    if not entry:
        return None
    where = f"Đội/cá nhân {entry['key'] or n}"
    c.define(entry["key"], "entry", entry, where)
    entry["unit"] = c.unit(entry["unit"], where)
    entry["represents"] = [c.unit(key, f"{where}, đơn vị đại diện") for key in entry["represents"]]
    members = []
    for m, raw in enumerate(entry["members"], start=1):
        member = c.fields(raw, f"{where}, thành viên thứ {m}", specs.MEMBER)
        if member:
            member["entry"] = entry
            c.define(member["key"], "member", member, f"{where}, thành viên thứ {m}")
            member["unit"] = c.unit(member["unit"], f"{where}, thành viên thứ {m}")
            member["mediator_id"] = _registry_match(c, member, f"{where}, thành viên thứ {m}")
            members.append(member)
    entry["members"] = members
    return entry


def _registry_match(c: Checker, member: dict, where: str) -> int | None:
    """The registry mediator with the member's name and birth year under the referenced
    unit, when exactly one; else None (the member is kept by name)."""
    if member["registry"] is None:
        return None
    reference = c.fields(member["registry"], f"{where}, “registry”", specs.REGISTRY)
    unit = c.unit(reference and reference["unit"], f"{where}, “registry”")
    if unit is None or member["role"] not in MEDIATOR_ROLES or member["birth_year"] is None:
        return None
    found = list(
        db.session.scalars(
            select(Mediator.id)
            .where(
                placed_under(Mediator, unit),
                Mediator.name_folded == fold(member["full_name"]),
                Mediator.birth_year == member["birth_year"],
            )
            .limit(2)
        )
    )
    return found[0] if len(found) == 1 else None


def _unique_names(c: Checker, entries: list[dict]) -> None:
    seen = set()
    for entry in entries:
        if entry["name"] and entry["name"] in seen:
            c.problem(f"Đội/cá nhân {entry['key']}", f"tên “{entry['name']}” bị trùng")
        seen.add(entry["name"])


def _awards(c: Checker, items: list) -> list[dict]:
    out = []
    for i, raw in enumerate(items, start=1):
        where = f"Giải phụ đã trao thứ {i}"
        award = c.fields(raw, where, specs.AWARD)
        if not award:
            continue
        award["prize"] = c.find(award["prize"], "prize", "giải thưởng", where)
        award["entry"] = c.find(award["entry"], "entry", "đội/cá nhân", where)
        member = award["member"] = c.find(award["member"], "member", "thành viên", where)
        if member is not None and member["entry"] is not award["entry"]:
            c.problem(where, "thành viên không thuộc đội được trao giải")
        out.append(award)
    return out


def _certificates(c: Checker, items: list) -> list[dict]:
    out, serials = [], set()
    for i, raw in enumerate(items, start=1):
        where = f"Giấy chứng nhận thứ {i}"
        certificate = c.fields(raw, where, specs.CERTIFICATE)
        if not certificate:
            continue
        if certificate["serial"] in serials:
            c.problem(where, f"số hiệu {certificate['serial']} bị trùng")
        serials.add(certificate["serial"])
        certificate["entry"] = c.find(certificate["entry"], "entry", "đội/cá nhân", where)
        certificate["snapshot"] = c.find(
            certificate["snapshot"], "snapshot", "kết quả công bố", where
        )
        out.append(certificate)
    return out


def _not_imported_yet(c: Checker, contest: dict) -> None:
    """One contest per name, year and organiser: a second import of a file is refused."""
    if contest["unit"] is None or not contest["name"] or contest["year"] is None:
        return
    existing = db.session.scalar(
        select(Contest.id).where(
            Contest.name == contest["name"],
            Contest.year == contest["year"],
            Contest.unit_id == contest["unit"].id,
        )
    )
    if existing is not None:
        c.problem(
            "Hội thi",
            f"Hội thi này đã có trong hệ thống (#{existing}): cùng tên, năm và đơn vị tổ "
            "chức. Không nhập lại.",
        )
