"""An uploaded import file, kept as a StoredFile and tied to the commune it was uploaded for.

The tie is the stored name ("nhap-hgv-<commune id>-<name>.xlsx"): a file uploaded for another
purpose, or for another commune, is never found here. Only files uploaded by someone who may
manage the commune are; the routes also check that the current user may.
"""

import re

from sqlalchemy import select

from app.extensions import db
from app.files.models import StoredFile
from app.files.services import CONTENT_TYPES, XLSX, safe_filename, store_file
from app.registry.permissions import EDITORS
from app.security.scope import in_scope
from app.units.models import Unit
from app.users.models import User

PREFIX = "nhap-hgv-{commune}-"
PATTERN = re.compile(r"^nhap-hgv-(\d+)-")


def store_import(data: bytes, filename: str, commune: Unit) -> StoredFile:
    """Check (a real .xlsx of at most 10 MB) and keep an upload for a commune; flushes."""
    name = PREFIX.format(commune=commune.id) + safe_filename(filename, XLSX)
    return store_file(data, name, allowed=(XLSX,))


def find_import(file_id: int, commune: Unit) -> StoredFile | None:
    """The upload for this commune, if its uploader may manage the commune."""
    stored = db.session.scalar(
        select(StoredFile).where(
            StoredFile.id == file_id, StoredFile.content_type == CONTENT_TYPES[XLSX]
        )
    )
    if stored is None:
        return None
    match = PATTERN.match(stored.filename)
    if match is None or int(match.group(1)) != commune.id:
        return None
    uploader = db.session.get(User, stored.uploaded_by_id) if stored.uploaded_by_id else None
    if uploader is None or uploader.role not in EDITORS or not in_scope(uploader, commune.id):
        return None
    return stored


def display_name(stored: StoredFile) -> str:
    """The name the person gave the file."""
    return PATTERN.sub("", stored.filename)


def commune_of_upload(stored: StoredFile) -> int | None:
    match = PATTERN.match(stored.filename)
    return int(match.group(1)) if match else None
