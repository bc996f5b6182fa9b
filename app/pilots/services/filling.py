"""Filling in a checklist (the commune's staff): each item's progress and value, read and
checked by its type (a percentage within 0-100, a date within the pilot's period, a text of
at most 2,000 characters); sending the checklist for review once every required item is in."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from app.clock import utcnow
from app.concurrency import StaleEdit, check_version
from app.extensions import db
from app.forms import parse_vn_date
from app.pilots import permissions, rules
from app.pilots.models import Checklist, ChecklistItem, TemplateItem
from app.pilots.services import PilotError, add_event, user_id
from app.pilots.services.view import ItemRow, checklist_view
from app.text import format_decimal

TEXT_MAX = 2000
COMPUTED_MESSAGE = (
    "Mục này được tính tự động từ số liệu tổ hòa giải, hòa giải viên và sổ theo dõi; "
    "không nhập tay."
)


@dataclass(frozen=True)
class Value:
    """An item's value as stored: the column of its type, the others None."""

    flag: bool | None = None
    number: Decimal | None = None
    day: date | None = None
    text: str | None = None


class Incomplete(PilotError):
    """Submitting refused: the required items not filled in (``rows``)."""

    def __init__(self, rows: list[ItemRow]):
        super().__init__(
            f"Còn {len(rows)} mục bắt buộc chưa nhập kết quả; nhập đủ rồi gửi duyệt.", "missing"
        )
        self.rows = rows


def read_value(item_type: str, raw: str | None, period: rules.Period) -> Value:
    """What a person typed for an item of this type, checked; PilotError on the "value" field
    with the reason in Vietnamese."""
    text = (raw or "").strip()
    if item_type == rules.CHECK:
        if text not in ("", "1", "0"):
            raise PilotError("Chọn “Đã hoàn thành” hoặc “Chưa hoàn thành”.", "value")
        return Value(flag=None if not text else text == "1")
    if item_type in rules.VALUE_TYPES:
        try:
            return Value(number=rules.parse_number(text, item_type))
        except rules.ValueProblem as problem:
            raise PilotError(str(problem), "value") from None
    if item_type == rules.DATE:
        day = parse_vn_date(text)
        if text and day is None:
            raise PilotError(
                "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/07/2025.", "value"
            )
        if problem := rules.date_problem(day, period):
            raise PilotError(problem, "value")
        return Value(day=day)
    if item_type == rules.TEXT:
        if len(text) > TEXT_MAX:
            raise PilotError("Nội dung tối đa 2.000 ký tự.", "value")
        return Value(text=text or None)
    return Value()  # evidence: its files are its value


def stored_value(item: ChecklistItem) -> Value:
    return Value(item.value_bool, item.value_number, item.value_date, item.value_text)


def lock_checklist(checklist: Checklist, may, *rows) -> None:
    """Serialise the writers of one checklist (its items, its evidence, its submission) and
    read it (and ``rows``) again: what was sent for review or changed meanwhile is not
    changed any more (StaleEdit when ``may(checklist)`` no longer holds). SQLite writes are
    serial already."""
    db.session.execute(
        select(Checklist)
        .where(Checklist.id == checklist.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for row in rows:
        db.session.refresh(row)
    if not may(checklist):
        raise StaleEdit()


def typed_value(item: ChecklistItem, item_type: str) -> str:
    """An item's stored value as a person would type it again ("87,5", "01/07/2025", "1")."""
    if item_type == rules.CHECK:
        return "" if item.value_bool is None else ("1" if item.value_bool else "0")
    if item_type in rules.VALUE_TYPES:
        return format_decimal(item.value_number)
    if item_type == rules.DATE:
        return f"{item.value_date:%d/%m/%Y}" if item.value_date else ""
    if item_type == rules.TEXT:
        return item.value_text or ""
    return ""


def edit_refusal(checklist: Checklist, item: ChecklistItem | None = None) -> str:
    """Why the commune's staff may not change this checklist (or item) now."""
    if checklist.status == rules.SUBMITTED:
        return "Bảng kiểm đã gửi duyệt, đang chờ cơ quan chỉ đạo xem xét: không sửa được."
    if checklist.status == rules.SIGNED_OFF:
        return (
            "Bảng kiểm đã ký duyệt, số liệu đã chốt: không sửa được. Cần sửa thì đề nghị "
            "cơ quan chỉ đạo mở lại."
        )
    if checklist.status == rules.RETURNED and item is not None:
        return "Bảng kiểm được trả lại để bổ sung: chỉ sửa được các mục bị trả lại."
    return "Chỉ công chức Tư pháp - Hộ tịch của xã được nhập kết quả bảng kiểm."


def is_computed(item: ChecklistItem) -> bool:
    """An item whose value the app reads from live data (nobody types it)."""
    return bool(
        db.session.scalar(
            select(TemplateItem.formula).where(TemplateItem.id == item.template_item_id)
        )
    )


def save_item(
    checklist: Checklist, item: ChecklistItem, progress: str, raw_value, version, user
) -> bool:
    """Store an item's progress and value; the commune's staff while they may edit it (the
    route checks who). False when nothing changed (then the version is not asked: nothing
    can be lost). PilotError for bad input, StaleEdit when someone saved it meanwhile."""
    spec = db.session.get(TemplateItem, item.template_item_id)
    if spec.formula:
        raise PilotError(COMPUTED_MESSAGE)
    if progress not in rules.PROGRESS_LABELS:
        raise PilotError("Chọn tiến độ thực hiện.", "progress")
    value = read_value(spec.item_type, raw_value, checklist.period)
    lock_checklist(checklist, lambda c: permissions.can_edit_item(user, c, item), item)
    if progress == item.progress and value == stored_value(item):
        return False
    check_version(item, version)
    item.progress = progress
    item.value_bool, item.value_number = value.flag, value.number
    item.value_date, item.value_text = value.day, value.text
    item.updated_by_id = user_id(user)
    db.session.flush()
    return True


def submit_checklist(checklist: Checklist, version, user, today: date) -> str:
    """Send a checklist for review (the commune's staff): open → submitted; after a return,
    the returned items go back to the reviewers ("resubmitted"). Incomplete while required
    items are empty; StaleEdit when it changed since the page was read. The action kept."""
    lock_checklist(checklist, lambda c: permissions.can_fill(user, c))
    check_version(checklist, version)
    if missing := checklist_view(checklist, today).missing:
        raise Incomplete(missing)
    action = "submitted"
    if checklist.status == rules.RETURNED:
        action = "resubmitted"
        for item in db.session.scalars(
            select(ChecklistItem).where(
                ChecklistItem.checklist_id == checklist.id,
                ChecklistItem.review_status == "returned",
            )
        ):
            item.review_status = "pending"
    checklist.status = rules.SUBMITTED
    checklist.submitted_at = utcnow()
    add_event(checklist, action, user)
    db.session.flush()
    return action
