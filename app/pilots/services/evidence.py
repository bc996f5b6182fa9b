"""Evidence files of a checklist's items: uploaded (PDF, JPEG, PNG, Excel, Word; the type read
from the content), one file attached to several items of the same checklist, removed; a file
that no item and no sign-off snapshot holds any more is deleted with its content."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.files.models import StoredFile
from app.files.services import DOCX, JPEG, PDF, PNG, XLSX, UploadError, store_file
from app.pilots import permissions
from app.pilots.models import Checklist, ChecklistEvidence, ChecklistItem, ChecklistSnapshot
from app.pilots.services import PilotError, user_id
from app.pilots.services.filling import COMPUTED_MESSAGE, is_computed, lock_checklist

KINDS = (PDF, JPEG, PNG, XLSX, DOCX)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"


def _writable(checklist: Checklist, item: ChecklistItem, user) -> None:
    """Evidence changes like the item's value: only while the item may be edited, never for
    an item the app computes."""
    if is_computed(item):
        raise PilotError(COMPUTED_MESSAGE, "file")
    lock_checklist(checklist, lambda c: permissions.can_edit_item(user, c, item), item)


def upload_evidence(checklist: Checklist, item: ChecklistItem, data: bytes, filename: str, user):
    """Keep an uploaded file and attach it to the item (the commune's staff). PilotError on
    the "file" field for an empty, oversized or unaccepted file."""
    _writable(checklist, item, user)
    try:
        stored = store_file(data, filename, KINDS)
    except UploadError as error:
        raise PilotError(str(error), "file") from None
    db.session.add(
        ChecklistEvidence(
            checklist_id=checklist.id,
            item_id=item.id,
            file_id=stored.id,
            attached_by_id=user_id(user),
        )
    )
    db.session.flush()
    return stored


def attach_evidence(checklist: Checklist, item: ChecklistItem, file_id: int | None, user) -> bool:
    """Attach a file already in this checklist to one more item; False when it is there
    already. PilotError when the file is not one of this checklist's."""
    if file_id is None or not _in_checklist(checklist.id, file_id):
        raise PilotError("Chọn một tệp đã có trong bảng kiểm này.", "file_id")
    _writable(checklist, item, user)
    if _link(item.id, file_id) is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                ChecklistEvidence(
                    checklist_id=checklist.id,
                    item_id=item.id,
                    file_id=file_id,
                    attached_by_id=user_id(user),
                )
            )
    except IntegrityError:  # attached by someone else at the same moment: the same result
        return False
    return True


def remove_evidence(checklist: Checklist, item: ChecklistItem, file_id: int, user) -> str | None:
    """Take a file off an item (its name, None when it was not on it); the file itself goes
    when nothing holds it any more."""
    _writable(checklist, item, user)
    link = _link(item.id, file_id)
    if link is None:
        return None
    stored = db.session.get(StoredFile, file_id)
    name = stored.filename if stored is not None else ""
    db.session.delete(link)
    db.session.flush()
    if (
        stored is not None
        and not _attached_anywhere(file_id)
        and not _signed(checklist.id, file_id)
    ):
        db.session.delete(stored)
        db.session.flush()
    return name


def checklist_files(checklist_id: int) -> list[tuple[int, str]]:
    """(id, name) of every file attached to the checklist's items, each once, by name."""
    rows = db.session.execute(
        select(StoredFile.id, StoredFile.filename)
        .where(
            StoredFile.id.in_(
                select(ChecklistEvidence.file_id).where(
                    ChecklistEvidence.checklist_id == checklist_id
                )
            )
        )
        .order_by(StoredFile.filename, StoredFile.id)
    ).all()
    return [(row.id, row.filename) for row in rows]


def checklist_file(checklist_id: int, file_id: int) -> StoredFile | None:
    """A file of the checklist: attached to one of its items, or listed in one of its
    sign-off snapshots (history keeps what was signed)."""
    if not _held(checklist_id, file_id):
        return None
    return db.session.get(StoredFile, file_id)


def _link(item_id: int, file_id: int) -> ChecklistEvidence | None:
    return db.session.scalar(
        select(ChecklistEvidence).where(
            ChecklistEvidence.item_id == item_id, ChecklistEvidence.file_id == file_id
        )
    )


def _in_checklist(checklist_id: int, file_id: int) -> bool:
    return (
        db.session.scalar(
            select(ChecklistEvidence.id)
            .where(
                ChecklistEvidence.checklist_id == checklist_id,
                ChecklistEvidence.file_id == file_id,
            )
            .limit(1)
        )
        is not None
    )


def _held(checklist_id: int, file_id: int) -> bool:
    """Attached to an item of the checklist, or named in one of its snapshots."""
    return _in_checklist(checklist_id, file_id) or _signed(checklist_id, file_id)


def _attached_anywhere(file_id: int) -> bool:
    return (
        db.session.scalar(
            select(ChecklistEvidence.id).where(ChecklistEvidence.file_id == file_id).limit(1)
        )
        is not None
    )


def _signed(checklist_id: int, file_id: int) -> bool:
    """Named among the evidence of one of the checklist's sign-off snapshots."""
    for data in db.session.scalars(
        select(ChecklistSnapshot.data).where(ChecklistSnapshot.checklist_id == checklist_id)
    ):
        for section in data.get("sections", []):
            for row in section.get("items", []):
                if any(f.get("id") == file_id for f in row.get("evidence") or []):
                    return True
    return False
