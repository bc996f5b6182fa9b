"""Optimistic locking: the version an edit form was loaded with travels back with the save."""

from werkzeug.exceptions import Conflict

STALE_MESSAGE = (
    "Dữ liệu này vừa được người khác sửa và lưu. Thay đổi của bạn chưa được lưu; "
    "hãy tải lại trang để xem bản mới nhất rồi sửa lại."
)


class StaleEdit(Conflict):
    """The record changed since the form was loaded (HTTP 409)."""

    description = STALE_MESSAGE


def check_version(obj, submitted: int | str | None) -> None:
    """Refuse the save when the form's version is not the record's current one."""
    try:
        submitted_version = int(submitted)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if submitted_version != obj.version:
        raise StaleEdit()
