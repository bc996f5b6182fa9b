"""Checking and storing uploads: the type comes from the content, never from the name."""

import hashlib
import re
import unicodedata
import zipfile
from io import BytesIO

from flask import Response, current_app
from flask_login import current_user

from app.extensions import db
from app.files.models import StoredFile

PDF, JPEG, PNG, XLSX, DOCX = "pdf", "jpeg", "png", "xlsx", "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "Excel (.xlsx)", DOCX: "Word (.docx)"}
SCANS = (PDF, JPEG, PNG)


class UploadError(ValueError):
    """A message for the person uploading."""


def sniff(data: bytes) -> str | None:
    """The file's real type from its first bytes (and, for Office files, its zip parts)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "xl/workbook.xml" in names:
            return XLSX
        if "word/document.xml" in names:
            return DOCX
    return None


def check_upload(data: bytes, allowed: tuple[str, ...]) -> str:
    """The kind of an acceptable upload, or UploadError with a Vietnamese message."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if not data:
        raise UploadError("Tệp rỗng.")
    if len(data) > limit:
        raise UploadError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
    kind = sniff(data)
    if kind not in allowed:
        names = ", ".join(LABELS[k] for k in allowed)
        raise UploadError(f"Chỉ nhận tệp {names}; tệp này không đúng định dạng.")
    return kind


def safe_filename(name: str, kind: str) -> str:
    """A display name without paths or control characters, ending in the real extension."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "", name).strip(" .") or "tep"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    extension = "jpg" if kind == JPEG else kind
    return f"{stem[:200]}.{extension}"


def store_file(data: bytes, filename: str, allowed: tuple[str, ...] = SCANS) -> StoredFile:
    """Check and keep an upload; flushes, the caller commits."""
    kind = check_upload(data, allowed)
    stored = StoredFile(
        filename=safe_filename(filename, kind),
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by_id=current_user.id if current_user and current_user.is_authenticated else None,
    )
    db.session.add(stored)
    db.session.flush()
    return stored


def send_stored(stored: StoredFile) -> Response:
    """Serve a stored file as a download, never rendered inline (S10)."""
    from urllib.parse import quote

    response = Response(stored.content, mimetype=stored.content_type)
    ascii_name = stored.filename.encode("ascii", "ignore").decode() or "tep"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(stored.filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
