"""Generic error pages in Vietnamese; no stack traces (QUALITY.md S11)."""

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.htmx import is_htmx

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Yêu cầu không hợp lệ",
        "Yêu cầu gửi lên không hợp lệ. Vui lòng tải lại trang và thử lại.",
    ),
    401: ("Chưa đăng nhập", "Vui lòng đăng nhập để tiếp tục."),
    403: ("Không có quyền truy cập", "Tài khoản của bạn không có quyền thực hiện thao tác này."),
    404: (
        "Không tìm thấy",
        "Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc bạn không có quyền xem.",
    ),
    405: ("Thao tác không được hỗ trợ", "Thao tác này không được hỗ trợ trên trang này."),
    409: (
        "Dữ liệu đã bị thay đổi",
        "Người khác vừa lưu thay đổi trên cùng dữ liệu. "
        "Vui lòng tải lại trang để xem bản mới nhất.",
    ),
    413: ("Tệp quá lớn", "Tệp tải lên vượt quá dung lượng cho phép (10 MB)."),
    429: ("Quá nhiều yêu cầu", "Bạn thao tác quá nhiều lần. Vui lòng thử lại sau ít phút."),
    500: (
        "Lỗi hệ thống",
        "Đã có lỗi xảy ra. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo quản trị hệ thống.",
    ),
}
CSRF_MESSAGE = "Phiên biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại."


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(StaleDataError, _stale_data)
    app.register_error_handler(Exception, _unexpected_error)


def render_error(status: int, message: str | None = None):
    title, default = MESSAGES.get(status, MESSAGES[500])
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    response = render_template(template, status=status, title=title, message=message or default)
    return response, status


def _csrf_error(error: CSRFError):
    db.session.rollback()
    return render_error(400, CSRF_MESSAGE)


def _stale_data(error: StaleDataError):
    """Two people saved the same record at once: the first save stands (QUALITY.md R3)."""
    db.session.rollback()
    return render_error(409)


def _http_error(error: HTTPException):
    db.session.rollback()
    if error.code == 403 or getattr(error, "out_of_scope", False):
        _record_refusal(error.code)
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code, _reason(error))


def _reason(error: HTTPException) -> str | None:
    """The app's own reason, in Vietnamese (``abort(403, "…")``, StaleEdit), when it gave one;
    werkzeug's default English description never reaches the page."""
    default = type(error).description
    return error.description if error.description != default else None


def _record_refusal(status: int) -> None:
    """Log a refused access in the audit log, in its own small transaction."""
    from flask import request

    from app.audit.services import record_event

    try:
        record_event("forbidden", f"{status} {request.method} {request.path}"[:300])
        db.session.commit()
    except Exception:  # the refusal itself must still be answered
        db.session.rollback()
        log.exception("could not record a refused access")


def _unexpected_error(error: Exception):
    log.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return render_error(500)
