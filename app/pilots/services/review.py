"""Review of a commune's checklist by the office that designated it (DOMAIN.md §7): accept or
return each item (with a reason), sign off (every value, computed ones included, frozen in a
snapshot with its date), reopen with a reason; and what a snapshot's page and the printed
report of the commune show, read in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import defer

from app.clock import utcnow
from app.documents import date_line, issuer_lines, short_name
from app.extensions import db
from app.pilots import permissions
from app.pilots.models import Checklist, ChecklistItem, ChecklistSnapshot
from app.pilots.rules import OPEN, RETURNED, SIGNED_OFF
from app.pilots.services import PilotError, add_event, user_id
from app.pilots.services.view import (
    ChecklistView,
    checklist_view,
    from_snapshot,
    snapshot_data,
    window,
)
from app.security.scope import is_within, sees_everything
from app.units.models import Unit
from app.units.services import units_by_id
from app.users.models import User

REASON_MAX = 1000
REASON_NEEDED = {
    "return": "Nhập lý do trả lại để xã biết cần bổ sung gì.",
    "reopen": "Nhập lý do mở lại bảng kiểm đã ký duyệt.",
}
REASON_TOO_LONG = "Lý do tối đa 1.000 ký tự."
TITLES = {
    "pilot": "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ ĐẠO ĐIỂM VỀ HÒA GIẢI Ở CƠ SỞ",
    "model": "BÁO CÁO KẾT QUẢ THỰC HIỆN TIÊU CHÍ CẤP XÃ ĐIỂN HÌNH VỀ HÒA GIẢI Ở CƠ SỞ",
}


def _office_refusal(user, checklist: Checklist) -> str | None:
    """Why this user is not one of the checklist's reviewers (None: they are)."""
    if user.role not in permissions.OFFICES:
        return "Chỉ cán bộ của cơ quan đã chỉ định xã (hoặc cấp trên) mới duyệt bảng kiểm."
    if sees_everything(user) or is_within(checklist.office_unit_id, user.unit_id):
        return None
    office = db.session.get(Unit, checklist.office_unit_id)
    return (
        f"Bảng kiểm này do {office.name} chỉ định: chỉ cán bộ của cơ quan đó hoặc cấp trên "
        f"mới duyệt, ký duyệt hay mở lại."
    )


def review_refusal(user, checklist: Checklist) -> str | None:
    """Why this user may not accept, return or sign off now (None: they may)."""
    if permissions.can_review(user, checklist):
        return None
    if problem := _office_refusal(user, checklist):
        return problem
    if checklist.status == RETURNED:
        return "Bảng kiểm đã được trả lại cho xã: chờ xã bổ sung và gửi duyệt lại."
    return (
        f"Bảng kiểm đang ở trạng thái “{checklist.status_label}”: chỉ duyệt được "
        f"khi xã đã gửi duyệt."
    )


def reopen_refusal(user, checklist: Checklist) -> str | None:
    """Why this user may not reopen the checklist (None: they may)."""
    if permissions.can_reopen(user, checklist):
        return None
    return _office_refusal(user, checklist) or "Chỉ mở lại được bảng kiểm đã ký duyệt."


def clean_reason(reason: str | None, action: str) -> str:
    """The reason typed, trimmed; required and at most REASON_MAX characters."""
    reason = (reason or "").strip()
    if not reason:
        raise PilotError(REASON_NEEDED[action], "reason")
    if len(reason) > REASON_MAX:
        raise PilotError(REASON_TOO_LONG, "reason")
    return reason


def _reviewed(item: ChecklistItem, status: str, user, reason: str | None = None) -> None:
    item.review_status = status
    item.return_reason = reason
    item.reviewed_by_id = user_id(user)
    item.reviewed_at = utcnow()


def accept_item(checklist: Checklist, item: ChecklistItem, user) -> ChecklistItem:
    """Accept one item of a submitted checklist (an accepted one stays as it is); reviewers."""
    if item.review_status != "accepted":
        _reviewed(item, "accepted", user)
        add_event(checklist, "accepted", user, item=item)
        db.session.flush()
    return item


def return_item(checklist: Checklist, item: ChecklistItem, user, reason: str | None):
    """Return one item with a reason; the checklist goes back to the commune at once (status
    "returned": its staff fix the returned items and submit again); reviewers."""
    reason = clean_reason(reason, "return")
    _reviewed(item, "returned", user, reason)
    checklist.status = RETURNED
    add_event(checklist, "returned", user, item=item, reason=reason)
    db.session.flush()
    return item


def items_of(checklist: Checklist) -> list[ChecklistItem]:
    return list(
        db.session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.checklist_id == checklist.id)
            .order_by(ChecklistItem.id)
        )
    )


def sign_off_checklist(checklist: Checklist, user, today: date) -> ChecklistSnapshot:
    """Sign off a submitted checklist: refused while an item is returned; every other item not
    yet accepted is accepted, and every value (computed ones read now) is frozen in a snapshot
    dated today; reviewers."""
    items = items_of(checklist)
    returned = sum(1 for item in items if item.review_status == "returned")
    if returned:
        raise PilotError(
            f"Còn {returned} mục bị trả lại chưa được xã bổ sung: chưa ký duyệt được.", "items"
        )
    for item in items:
        if item.review_status != "accepted":
            _reviewed(item, "accepted", user)
    checklist.status = SIGNED_OFF
    checklist.signed_off_at = utcnow()
    checklist.signed_off_by_id = user_id(user)
    db.session.flush()
    # Read after the status changed: a signed-off item is never shown overdue.
    view = checklist_view(checklist, today, live=True)
    snapshot = ChecklistSnapshot(
        checklist_id=checklist.id, as_of=today, taken_by_id=user_id(user), data=snapshot_data(view)
    )
    db.session.add(snapshot)
    add_event(checklist, "signed_off", user)
    db.session.flush()
    return snapshot


def reopen_checklist(checklist: Checklist, user, reason: str | None) -> Checklist:
    """Reopen a signed-off checklist with a reason: open again, every item back to "pending"
    (earlier reasons stay in the trail), the snapshot kept as history; reviewers."""
    reason = clean_reason(reason, "reopen")
    for item in items_of(checklist):
        item.review_status = "pending"
        item.return_reason = None
        item.reviewed_by_id = None
        item.reviewed_at = None
    checklist.status = OPEN
    checklist.signed_off_at = None
    checklist.signed_off_by_id = None
    add_event(checklist, "reopened", user, reason=reason)
    db.session.flush()
    return checklist


def snapshots_of(checklist: Checklist) -> list[ChecklistSnapshot]:
    """The checklist's snapshots, newest first (each sign-off made one), without their data."""
    return list(
        db.session.scalars(
            select(ChecklistSnapshot)
            .options(defer(ChecklistSnapshot.data))
            .where(ChecklistSnapshot.checklist_id == checklist.id)
            .order_by(ChecklistSnapshot.id.desc())
        )
    )


@dataclass
class SnapshotPage:
    """A past snapshot as its page shows it: the frozen view, who signed, the commune."""

    view: ChecklistView
    snapshot: ChecklistSnapshot
    commune: Unit
    office: Unit
    signer: User | None
    latest: bool  # the snapshot the checklist shows now (it is still signed off)

    @property
    def counted_to(self) -> date:
        return window(self.view.checklist, self.view.as_of)[1]


def snapshot_page(checklist: Checklist, snapshot: ChecklistSnapshot) -> SnapshotPage:
    """Everything a snapshot's page shows, in a fixed number of queries."""
    units = units_by_id([checklist.unit_id, checklist.office_unit_id])
    latest_id = db.session.scalar(
        select(ChecklistSnapshot.id)
        .where(ChecklistSnapshot.checklist_id == checklist.id)
        .order_by(ChecklistSnapshot.id.desc())
        .limit(1)
    )
    signer = db.session.get(User, snapshot.taken_by_id) if snapshot.taken_by_id else None
    return SnapshotPage(
        view=from_snapshot(checklist, snapshot),
        snapshot=snapshot,
        commune=units[checklist.unit_id],
        office=units[checklist.office_unit_id],
        signer=signer,
        latest=checklist.status == SIGNED_OFF and latest_id == snapshot.id,
    )


@dataclass
class Report:
    """The printed report of a commune's checklist (Decree 30/2020 layout): the frozen values
    when signed off, else the values as of today."""

    view: ChecklistView
    commune: Unit
    office: Unit
    title: str
    issuer: tuple[str, str]
    place_date: str
    signer: User | None

    @property
    def checklist(self) -> Checklist:
        return self.view.checklist

    @property
    def signed(self) -> bool:
        return self.view.frozen

    @property
    def counted_to(self) -> date:
        """The last day the values count: the frozen date (or today), or the pilot's end."""
        return window(self.checklist, self.view.as_of)[1]


def checklist_report(checklist: Checklist, today: date) -> Report:
    """What the printed report shows, in a fixed number of queries whatever the items."""
    view = checklist_view(checklist, today)
    units = units_by_id([checklist.unit_id, checklist.office_unit_id])
    office = units[checklist.office_unit_id]
    signer_id = view.snapshot.taken_by_id if view.frozen and view.snapshot else None
    return Report(
        view=view,
        commune=units[checklist.unit_id],
        office=office,
        title=TITLES.get(checklist.kind, TITLES["pilot"]),
        issuer=issuer_lines(office),
        place_date=date_line(short_name(office), view.as_of),
        signer=db.session.get(User, signer_id) if signer_id else None,
    )
