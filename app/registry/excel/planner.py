"""The dry run: every row of an uploaded file checked, matched with the commune's mediators,
and given an action (create, update, unchanged) or its reasons for being refused.

Reads only. The commune's teams and mediators are loaded once (two queries), whatever the
number of rows; the rules are those of the mediator form (services.mediators).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy import select

from app.extensions import db
from app.forms import parse_id
from app.registry.excel.cells import (
    BACKGROUND_WORDS,
    EDUCATION_WORDS,
    FIELD_HEADERS,
    MAX_LENGTHS,
    SEX_WORDS,
    date_of,
    decision_message,
    ethnic_words,
    fold_once,
    note_text,
    phone_text,
    same_value,
    squash,
    team_keys,
    year_of,
)
from app.registry.excel.columns import as_text
from app.registry.excel.reader import SheetRows, read_sheet
from app.registry.models import Mediator, Team
from app.registry.rules import BACKGROUND_LABELS, EDUCATION_LABELS, SEX_LABELS, ethnic_groups
from app.registry.services import RegistryError
from app.registry.services.mediators import PERSONAL_FIELDS, check_decision, person_problems
from app.text import fold, format_date, format_number
from app.units.models import Unit


@dataclass(eq=False)
class PlannedRow:
    """One data row: what it says, whom it is, and what importing it would do."""

    line: int
    cells: tuple
    values: dict = field(default_factory=dict)
    team: Team | None = None
    team_text: str = ""
    decision_number: str | None = None
    decision_date: date | None = None
    code: int | None = None
    mediator: Mediator | None = None
    changes: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)
    action: str = "create"

    @property
    def name(self) -> str:
        return self.values.get("full_name") or ""

    @property
    def birth_year(self) -> int | None:
        return self.values.get("birth_year")

    @cached_property
    def key(self) -> tuple[str, int | None]:
        """Folded name and year: how a row without a code finds its mediator."""
        return fold(self.name), self.birth_year

    @property
    def sex_label(self) -> str:
        return SEX_LABELS.get(self.values.get("sex") or "", "")

    @property
    def ethnicity(self) -> str:
        return ethnic_groups().get(self.values.get("ethnicity_code") or "", "")

    @property
    def team_name(self) -> str:
        return self.team.name if self.team else self.team_text

    @property
    def decision_text(self) -> str:
        parts = [self.decision_number or "", format_date(self.decision_date)]
        return " ngày ".join(p for p in parts if p)

    def change_list(self) -> list[str]:
        """The changes in words: Điện thoại: (trống) → “0912345678”."""
        return [
            f"{FIELD_HEADERS[key]}: {_show(key, before)} → {_show(key, after)}"
            for key, (before, after) in self.changes.items()
        ]

    @property
    def reason(self) -> str:
        return " ".join(self.errors)


def _show(key: str, value) -> str:
    if value in (None, ""):
        return "(trống)"
    labels = {
        "sex": SEX_LABELS,
        "ethnicity_code": ethnic_groups(),
        "background": BACKGROUND_LABELS,
        "education": EDUCATION_LABELS,
    }.get(key)
    if labels:
        return labels.get(value, str(value))
    return str(value) if key == "birth_year" else f"“{value}”"


@dataclass
class Plan:
    """What importing a file into a commune would do."""

    commune: Unit
    sheet: SheetRows
    rows: list[PlannedRow]

    def _with(self, action: str) -> list[PlannedRow]:
        return [row for row in self.rows if row.action == action]

    @property
    def creates(self) -> list[PlannedRow]:
        return self._with("create")

    @property
    def updates(self) -> list[PlannedRow]:
        return self._with("update")

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self._with("unchanged")

    @property
    def bad(self) -> list[PlannedRow]:
        return self._with("bad")

    @property
    def has_changes(self) -> bool:
        return any(row.action in ("create", "update") for row in self.rows)

    def fingerprint(self) -> str:
        """A short digest of every planned action: apply refuses a plan that moved since the
        person read it (the data changed in between)."""
        items = [
            [row.line, row.action, row.mediator.id if row.mediator else None, repr(row.changes)]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:20]

    def summary(self, done: bool = False) -> str:
        """One line: "Thêm 12, cập nhật 3, 40 không đổi"."""
        verbs = ("Đã thêm", "đã cập nhật") if done else ("Thêm", "cập nhật")
        return (
            f"{verbs[0]} {format_number(len(self.creates))} hòa giải viên, {verbs[1]} "
            f"{format_number(len(self.updates))}, {format_number(len(self.unchanged))} không đổi"
        )


class _Planner:
    """The commune's teams and mediators, loaded once, and the rules applied to each row."""

    def __init__(self, commune: Unit):
        self.commune = commune
        self.teams = list(db.session.scalars(select(Team).where(Team.commune_id == commune.id)))
        self.mediators = {
            m.id: m
            for m in db.session.scalars(select(Mediator).where(Mediator.commune_id == commune.id))
        }
        self.by_key: dict[tuple[str, int], list[Mediator]] = {}
        for m in self.mediators.values():
            self.by_key.setdefault((m.name_folded, m.birth_year), []).append(m)
        self.team_index: dict[str, list[Team]] = {}
        for team in self.teams:
            for key in team_keys(team.name):
                self.team_index.setdefault(key, []).append(team)
        self.team_names = {t.id: t.name for t in self.teams}
        self.ethnic_words = ethnic_words()

    def plan(self, line: int, cells: tuple, raw: dict) -> PlannedRow:
        row = PlannedRow(line, cells)
        self._read_person(row, raw)
        self._read_team(row, as_text(raw["team"]))
        self._read_decision(row, raw["decision_number"], raw["decision_date"])
        self._read_code(row, as_text(raw["id"]))
        if not row.errors:
            self._match(row)
        if row.errors:
            row.action = "bad"
        return row

    def _read_person(self, row: PlannedRow, raw: dict) -> None:
        values, flagged = row.values, row.flagged
        for key in ("full_name", "phone", "occupation", "address", "note"):
            text = as_text(raw[key]) if key != "note" else note_text(raw[key])
            if key == "phone":
                text = phone_text(raw[key], text)
            if len(text) > MAX_LENGTHS[key]:
                row.errors.append(f"{FIELD_HEADERS[key]} dài quá {MAX_LENGTHS[key]} ký tự.")
                flagged.add(key)
            values[key] = text or None
        for key, words, what in (
            ("sex", SEX_WORDS, "ghi Nam hoặc Nữ"),
            ("background", BACKGROUND_WORDS, "chọn trong danh sách"),
            ("education", EDUCATION_WORDS, "chọn trong danh sách"),
        ):
            text = as_text(raw[key])
            values[key] = words.get(fold_once(text)) if text else None
            if text and values[key] is None:
                row.errors.append(f"{FIELD_HEADERS[key]} “{text}” không có trong danh mục; {what}.")
                flagged.add(key)
        text = as_text(raw["ethnicity"])
        values["ethnicity_code"] = self.ethnic_words.get(squash(text)) if text else None
        if text and values["ethnicity_code"] is None:
            row.errors.append(f"Dân tộc “{text}” không có trong danh mục 54 dân tộc.")
            flagged.add("ethnicity_code")
        values["birth_year"] = year_of(raw["birth_year"])
        text = as_text(raw["birth_year"])
        if text and values["birth_year"] is None:
            row.errors.append(f"Năm sinh “{text}” không phải một năm (ghi 4 chữ số, ví dụ 1980).")
            flagged.add("birth_year")
        for key in ("full_name", "sex", "birth_year", "ethnicity_code"):
            if values.get(key) is None and key not in flagged:
                row.errors.append(f"Chưa ghi {FIELD_HEADERS[key]}.")
                flagged.add(key)
        for key, message in person_problems(values).items():
            if key not in flagged:
                row.errors.append(message)
                flagged.add(key)

    def _read_team(self, row: PlannedRow, text: str) -> None:
        row.team_text = text
        if not text:
            row.errors.append("Chưa ghi Tổ hòa giải.")
            return
        found = {t.id: t for key in team_keys(text) for t in self.team_index.get(key, [])}
        if not found:
            row.errors.append(
                f"Tổ hòa giải “{text}” không phải một tổ của {self.commune.name} (chọn tổ trong "
                "danh sách của mẫu)."
            )
        elif len(found) > 1:
            row.errors.append(
                f"{self.commune.name} có nhiều tổ mang tên “{text}”; đặt tên các tổ khác nhau "
                "trước khi nhập."
            )
        else:
            row.team = next(iter(found.values()))

    def _read_decision(self, row: PlannedRow, number, when) -> None:
        row.decision_number = as_text(number) or None
        if row.decision_number and len(row.decision_number) > MAX_LENGTHS["decision_number"]:
            row.errors.append("Số QĐ công nhận dài quá 50 ký tự.")
        text = as_text(when)
        row.decision_date = date_of(when)
        if text and row.decision_date is None:
            row.errors.append(
                f"Ngày QĐ công nhận “{text}” không đúng dạng ngày/tháng/năm (ví dụ 01/03/2024)."
            )
            return
        # A wrong year of birth is reported once, not again as "decision before birth".
        birth_year = None if "birth_year" in row.flagged else row.birth_year
        try:
            check_decision(birth_year, row.decision_date)
        except RegistryError as error:
            row.errors.append(decision_message(str(error)))

    def _read_code(self, row: PlannedRow, text: str) -> None:
        if not text:
            return
        row.code = parse_id(text)
        mediator = self.mediators.get(row.code) if row.code else None
        if mediator is None:
            row.errors.append(
                f"Mã HGV “{text}” không phải mã một hòa giải viên của {self.commune.name}; "
                "để trống nếu là người mới."
            )
        row.mediator = mediator

    def _match(self, row: PlannedRow) -> None:
        """Find the mediator the row describes (by its code, else name and year), then diff."""
        if row.mediator is None:
            candidates = self.by_key.get(row.key, [])
            if len(candidates) > 1:
                candidates = [m for m in candidates if m.team_id == row.team.id] or candidates
            if len(candidates) > 1:
                candidates = [m for m in candidates if m.is_active] or candidates
            if len(candidates) > 1:
                codes = ", ".join(str(m.id) for m in candidates)
                row.errors.append(
                    f"Có nhiều hòa giải viên cùng họ tên và năm sinh trong xã (Mã HGV {codes}); "
                    "ghi Mã HGV để chọn đúng người."
                )
                return
            row.mediator = candidates[0] if candidates else None
        if row.mediator is None:
            if not row.team.is_active:
                row.errors.append(f"Tổ hòa giải “{row.team.name}” đã giải thể.")
            else:
                row.action = "create"
            return
        self._diff(row)

    def _diff(self, row: PlannedRow) -> None:
        mediator = row.mediator
        if row.team.id != mediator.team_id:
            current = self.team_names.get(mediator.team_id, "")
            who = "" if row.code else f"Trùng họ tên và năm sinh với Mã HGV {mediator.id}. "
            row.errors.append(
                f"{who}Hòa giải viên này đang ở “{current}”: đổi tổ phải làm bằng quyết định "
                "chuyển tổ trên trang hòa giải viên (nếu là người khác, thêm trên trang đó)."
            )
            return
        if (row.decision_number and row.decision_number != mediator.recognition_number) or (
            row.decision_date and row.decision_date != mediator.recognised_on
        ):
            recorded = " ngày ".join(
                p for p in (mediator.recognition_number, format_date(mediator.recognised_on)) if p
            )
            row.errors.append(
                f"Quyết định công nhận khác với quyết định đã ghi ({recorded or 'chưa ghi'}): "
                "quyết định của người đã có sửa trên trang hòa giải viên, không sửa bằng tệp."
            )
            return
        for key in PERSONAL_FIELDS:
            before, after = getattr(mediator, key), row.values.get(key)
            if not same_value(key, before, after):
                row.changes[key] = (before, after)
        row.action = "update" if row.changes else "unchanged"


def plan_rows(sheet: SheetRows, commune: Unit) -> Plan:
    """Check and match every row; rows that describe the same person are all refused."""
    planner = _Planner(commune)
    rows = [planner.plan(line, cells, sheet.values(cells)) for line, cells in sheet.rows]
    _refuse_duplicates(rows)
    return Plan(commune, sheet, rows)


def plan_import(data: bytes, commune: Unit) -> Plan:
    """The dry run of a file for a commune (FileProblem when the file itself is wrong)."""
    return plan_rows(read_sheet(data), commune)


def _refuse_duplicates(rows: list[PlannedRow]) -> None:
    """Two rows of the same mediator (or the same new person in the same team)."""
    groups: dict[tuple, list[PlannedRow]] = {}
    for row in rows:
        if row.mediator is not None:
            key = ("id", row.mediator.id)
        elif row.action == "create":
            key = ("new", *row.key, row.team.id)
        else:
            continue
        groups.setdefault(key, []).append(row)
    for group in groups.values():
        if len(group) < 2:
            continue
        for row in group:
            others = ", ".join(str(o.line) for o in group if o is not row)
            row.errors.append(f"Trùng với dòng {others} (cùng một người).")
            row.action = "bad"
