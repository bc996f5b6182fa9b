"""Demo data of the pilot communes (see docs/demo.md): Xã Mường Nhé designated by Huyện Mường
Nhé as its pilot commune for 2024-2026 with the default pilot checklist, half of its typed
items done, two evidence files (a PDF serving two items and a photo), sent for review and one
item returned by the district's officer with a reason; and another commune assessed against
the model-commune criteria this year (open, its one typed criterion filled, the others computed
from the registry and the logbook). Designation and the return go through the services; the
commune's values, files and submission are written as its screens would write them.
Deterministic; the submission and the return are dated from the day the command runs."""

import struct
import zlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.clock import VIETNAM_OFFSET, today, utcnow
from app.extensions import db
from app.files.services import store_file
from app.pilots.defaults import MODEL_CODE, PILOT_CODE, install_defaults
from app.pilots.models import (
    ChecklistEvent,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistTemplate,
    TemplateItem,
)
from app.pilots.services import add_event
from app.pilots.services.designation import designate
from app.pilots.services.review import return_item
from app.users.models import User

PILOT_COMMUNE, MODEL_COMMUNE, DISTRICT = "Xã Mường Nhé", "Xã Mường Toong", "Huyện Mường Nhé"
PILOT_PERIOD = (date(2024, 1, 1), date(2026, 12, 31))
PILOT_NOTE = (
    "Theo Kế hoạch số 1399/KH-UBND năm 2024 của UBND huyện Mường Nhé về thực hiện Đề án "
    "“Nâng cao năng lực đội ngũ hòa giải viên ở cơ sở” (Quyết định 315/QĐ-TTg)."
)
MODEL_NOTE = "Tự đánh giá theo tiêu chí cấp xã điển hình năm {year}."
# The pilot's typed items, by their text's start: (progress, value, files). Half are done; the
# rest carry what the commune has so far (every required item has a value: it was submitted).
SURVEY_PDF, REVIEW_PNG = "bao-cao-khao-sat-thuc-trang.pdf", "anh-hoi-nghi-so-ket.png"
PILOT_VALUES = {
    "Khảo sát, đánh giá": ("done", None, (SURVEY_PDF,)),
    "Bầu, bầu bổ sung": ("done", True, (SURVEY_PDF,)),
    "Bồi dưỡng công chức": ("done", date(2024, 5, 16), ()),
    "Hỗ trợ pháp lý": ("done", Decimal(2), ()),
    "Huy động nguồn lực": (
        "in_progress",
        "Đã vận động được 30.000.000 đồng từ ngân sách xã và Hội Liên hiệp Phụ nữ huyện cho "
        "tập huấn, in tài liệu; đang đề nghị hỗ trợ tủ sách pháp luật cho 13 bản.",
        (),
    ),
    "Xây dựng mô hình": ("in_progress", False, ()),
    "Sơ kết, đánh giá": ("in_progress", None, (REVIEW_PNG,)),
    "Khen thưởng": ("not_started", False, ()),
}
RETURNED_ITEM = "Hỗ trợ pháp lý"
RETURN_REASON = (
    "Đề nghị ghi rõ 02 vụ việc đã hỗ trợ (tên vụ việc, số và ngày quyết định công nhận hòa "
    "giải thành của Tòa án) và đính kèm bản chụp quyết định làm minh chứng."
)
FIVE_GOOD = "Tỷ lệ tổ đạt tiêu chí"  # the model criteria's one typed item
FIVE_GOOD_SHARE = Decimal(64)


def load_pilots(demo) -> None:
    """The district's pilot commune (submitted, one item returned) and one commune assessed
    against the model-commune criteria."""
    install_defaults(db.session.connection(), utcnow())
    officer, staff = demo.users["canbo"], demo.users["congchuc"]
    district = demo.units[DISTRICT]
    pilot = designate(
        demo.units[PILOT_COMMUNE],
        _published(PILOT_CODE),
        district,
        "district",
        *PILOT_PERIOD,
        user=officer,
        note=PILOT_NOTE,
    )
    files = _fill_pilot(pilot, staff)
    year = today().year
    model = designate(
        demo.units[MODEL_COMMUNE],
        _published(MODEL_CODE),
        district,
        "district",
        date(year, 1, 1),
        date(year, 12, 31),
        user=officer,
        note=MODEL_NOTE.format(year=year),
    )
    five_good = _typed_items(model)[FIVE_GOOD]
    five_good.value_number, five_good.progress = FIVE_GOOD_SHARE, "done"
    five_good.updated_by_id = staff.id
    db.session.flush()
    demo.report += [
        f"Chỉ đạo điểm: {PILOT_COMMUNE} (cấp huyện, 01/01/2024–31/12/2026): "
        f"{sum(v[0] == 'done' for v in PILOT_VALUES.values())}/{len(PILOT_VALUES)} mục nhập "
        f"đã xong, {files} tệp minh chứng; đã gửi duyệt, 1 mục bị trả lại chờ xã bổ sung.",
        f"  Đánh giá xã điển hình năm {year}: {MODEL_COMMUNE} (đang thực hiện; các tiêu chí "
        "tính từ sổ hòa giải và danh sách tổ, hòa giải viên).",
    ]


def _published(code: str) -> ChecklistTemplate:
    return db.session.scalar(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.code == code, ChecklistTemplate.status == "published")
        .order_by(ChecklistTemplate.revision.desc())
        .limit(1)
    )


def _typed_items(checklist) -> dict[str, ChecklistItem]:
    """The checklist's typed items (no formula), by the start of their text."""
    rows = db.session.execute(
        select(ChecklistItem, TemplateItem.text)
        .join(TemplateItem, TemplateItem.id == ChecklistItem.template_item_id)
        .where(ChecklistItem.checklist_id == checklist.id, TemplateItem.formula.is_(None))
    ).all()
    found = {}
    for item, text in rows:
        key = next((k for k in (*PILOT_VALUES, FIVE_GOOD) if text.startswith(k)), text)
        found[key] = item
    return found


def _fill_pilot(checklist, staff) -> int:
    """The commune's values and files, its submission and the district's return; the number
    of files."""
    items = _typed_items(checklist)
    stored = {
        SURVEY_PDF: store_file(survey_pdf(), SURVEY_PDF),
        REVIEW_PNG: store_file(review_png(), REVIEW_PNG),
    }
    for stored_file in stored.values():
        stored_file.uploaded_by_id = staff.id
    for key, (progress, value, names) in PILOT_VALUES.items():
        item = items[key]
        item.progress, item.updated_by_id = progress, staff.id
        if isinstance(value, bool):
            item.value_bool = value
        elif isinstance(value, Decimal):
            item.value_number = value
        elif isinstance(value, date):
            item.value_date = value
        elif isinstance(value, str):
            item.value_text = value
        for name in names:
            db.session.add(
                ChecklistEvidence(
                    checklist_id=checklist.id,
                    item_id=item.id,
                    file_id=stored[name].id,
                    attached_by_id=staff.id,
                )
            )
    checklist.status, checklist.submitted_at = "submitted", _at(today() - timedelta(days=6))
    add_event(checklist, "submitted", staff)
    db.session.flush()
    officer = db.session.get(User, checklist.designated_by_id)
    return_item(checklist, items[RETURNED_ITEM], officer, RETURN_REASON)
    _date_events(checklist)
    return len(stored)


def _date_events(checklist) -> None:
    """The trail dated as it happened: designated on the pilot's first working day, sent six
    days ago, returned two days ago (09:00 in Vietnam)."""
    days = {
        "designated": date(2024, 1, 2),
        "submitted": today() - timedelta(days=6),
        "returned": today() - timedelta(days=2),
    }
    for event in db.session.scalars(
        select(ChecklistEvent).where(ChecklistEvent.checklist_id == checklist.id)
    ):
        event.at = _at(days[event.action])
    db.session.flush()


def _at(day: date) -> datetime:
    """09:00 in Vietnam on that day, as stored (UTC)."""
    return datetime.combine(day, time(9)) - VIETNAM_OFFSET


def survey_pdf() -> bytes:
    """A small valid one-page PDF (the survey report), made here: no file to ship."""
    lines = (
        "UBND XA MUONG NHE",
        "BAO CAO KHAO SAT THUC TRANG TO HOA GIAI VA HOA GIAI VIEN",
        "13 to hoa giai, 13 ban; ket qua bau bo sung hoa giai vien nam 2024.",
        "(Du lieu mau cua ung dung - khong phai van ban that.)",
    )
    text = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("ascii")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def review_png(width: int = 160, height: int = 100) -> bytes:
    """A small valid PNG (a stand-in for the photo of the review meeting): three bands."""
    bands = ((218, 37, 29), (255, 205, 0), (58, 106, 168))
    rows = b"".join(b"\x00" + bytes(bands[min(2, 3 * y // height)]) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
