"""The mediator sheet: one definition of its columns for the template, the export and the
import, and how a mediator's values are written into its cells."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from app.registry.rules import BACKGROUND_LABELS, EDUCATION_LABELS, SEX_LABELS, ethnic_groups
from app.text import fold, format_date, normalize

SHEET = "Hòa giải viên"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
REASON_HEADER = "Lý do"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: int
    required: bool
    help: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "Mã HGV",
        10,
        False,
        "Mã của hòa giải viên trong phần mềm. Để trống khi thêm người mới; giữ nguyên mã đã có "
        "khi sửa thông tin một người (mẫu và tệp xuất đã ghi sẵn).",
        "(trống) hoặc 125",
        ("ma hoa giai vien", "ma"),
    ),
    Column(
        "full_name",
        "Họ và tên",
        28,
        True,
        "Họ, chữ đệm và tên, viết có dấu.",
        "Giàng Thị Mai",
        ("ho ten",),
    ),
    Column("sex", "Giới tính", 10, True, "Nam hoặc Nữ (chọn trong danh sách).", "Nữ"),
    Column(
        "birth_year",
        "Năm sinh",
        10,
        True,
        "Năm sinh, 4 chữ số. Hòa giải viên phải từ đủ 18 tuổi; năm sinh không được ở tương lai.",
        "1985",
    ),
    Column(
        "ethnicity",
        "Dân tộc",
        14,
        True,
        "Một trong 54 dân tộc Việt Nam (chọn trong danh sách).",
        "Mông",
    ),
    Column(
        "phone",
        "Điện thoại",
        14,
        False,
        "Số điện thoại; ô đã định dạng văn bản nên giữ được số 0 ở đầu.",
        "0912345678",
        ("so dien thoai",),
    ),
    Column("occupation", "Nghề nghiệp", 20, False, "Công việc hiện nay.", "Làm nông"),
    Column(
        "background",
        "Thành phần",
        32,
        False,
        "Chọn trong danh sách (trưởng thôn, hội phụ nữ, luật gia, công an…). Luật sư, luật gia, "
        "hội thẩm, công an, quân đội, công chức tư pháp được tính là người có chuyên môn pháp lý.",
        "Hội Liên hiệp Phụ nữ",
    ),
    Column(
        "education",
        "Trình độ",
        20,
        False,
        "Trình độ học vấn, chuyên môn cao nhất (chọn trong danh sách).",
        "Trung học phổ thông",
        ("trinh do hoc van", "trinh do chuyen mon"),
    ),
    Column("address", "Địa chỉ", 30, False, "Nơi thường trú.", "Bản Nậm Pồ, xã Mường Nhé"),
    Column(
        "team",
        "Tổ hòa giải",
        30,
        True,
        "Tên một tổ hòa giải của xã này (chọn trong danh sách).",
        "Tổ hòa giải Bản Nậm Pồ",
        ("to",),
    ),
    Column(
        "decision_number",
        "Số QĐ công nhận",
        18,
        False,
        "Số quyết định công nhận hòa giải viên của Chủ tịch UBND xã. Chỉ ghi cho người mới; "
        "quyết định của người đã có sửa trên trang hòa giải viên.",
        "15/QĐ-UBND",
        ("so quyet dinh cong nhan", "so qd"),
    ),
    Column(
        "decision_date",
        "Ngày QĐ công nhận (dd/mm/yyyy)",
        18,
        False,
        "Ngày ký quyết định công nhận, dạng ngày/tháng/năm. Không trước năm sinh, không ở "
        "tương lai.",
        "01/03/2024",
        ("ngay quyet dinh cong nhan", "ngay qd"),
    ),
    Column("note", "Ghi chú", 30, False, "Ghi chú tùy ý.", ""),
)
HEADERS = [c.header for c in COLUMNS]
BY_KEY = {c.key: c for c in COLUMNS}
# Export-only columns, and the reason column of the bad-rows file: the import reads past them.
INFO_HEADERS = ("Xã, phường", "Vai trò trong tổ", "Trạng thái", "Ngày được tập huấn")
TEXT_COLUMNS = ("id", "phone", "decision_number", "decision_date")


def header_key(text) -> str:
    """A header cell as compared: folded, without "(dd/mm/yyyy)", asterisks or punctuation."""
    text = re.sub(r"\(.*?\)", " ", str(text or ""))
    return " ".join(re.sub(r"[*:;,.\-_/]", " ", fold(text)).split())


HEADER_KEYS = {header_key(alias): c.key for c in COLUMNS for alias in (c.header, *c.aliases)}
IGNORED_KEYS = frozenset(header_key(h) for h in (*INFO_HEADERS, REASON_HEADER, "Dòng", "STT"))


def clean_cell(value):
    """A value safe to write into a cell: no control characters, never read as a formula."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")


def mediator_cells(m, team_name: str) -> list:
    """A mediator as one row of the sheet (template, export), in COLUMNS order."""
    return [
        m.id,
        m.full_name,
        SEX_LABELS.get(m.sex, ""),
        m.birth_year,
        ethnic_groups().get(m.ethnicity_code, ""),
        m.phone,
        m.occupation,
        BACKGROUND_LABELS.get(m.background or "", ""),
        EDUCATION_LABELS.get(m.education or "", ""),
        m.address,
        team_name,
        m.recognition_number,
        format_date(m.recognised_on),
        m.note,
    ]


def as_text(value) -> str:
    """A cell as the text a person sees: whole numbers without ".0", dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return format_date(value)
    return normalize(str(value))
