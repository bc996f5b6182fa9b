"""One data row of a CSV file of units: its cells parsed and checked on their own."""

from dataclasses import dataclass, field

from app.forms import parse_vn_date
from app.text import fold
from app.units.importing.common import CODE_WIDTHS, NewUnit, describe_changes, label
from app.units.models import KINDS, Level, Unit
from app.units.services import UnitError, check_placement

COLUMN_LABELS = {
    "code": "mã",
    "name": "tên",
    "kind": "loại",
    "parent_code": "mã cấp trên",
    "valid_from": "hiệu lực từ",
    "valid_to": "hiệu lực đến",
    "ethnic_minority_area": "vùng DTTS",
    "note": "ghi chú",
}
YES = frozenset({"co", "x", "1", "yes", "y", "true", "dung"})
NO = frozenset({"khong", "0", "no", "n", "false", "sai"})
KIND_WORDS = {fold(key.replace("_", " ")): key for key in KINDS} | {
    fold(label): key for key, (_level, label) in KINDS.items()
}
KIND_WORDS["thanh pho tw"] = "thanh_pho_tw"
CITY = "thanh pho"  # a city: of the centre at the root, of the province below a province


def _kind_names() -> str:
    labels = [
        "Thành phố" if label.startswith("Thành phố") else label for _l, label in KINDS.values()
    ]
    return ", ".join(dict.fromkeys(labels))


@dataclass(eq=False)
class CsvRow:
    """One data row of the file: what it says, where it goes, and what it will do."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    kind: str | None = None
    code: str | None = None
    fields: dict = field(default_factory=dict)
    parent: Unit | None = None
    parent_row: "CsvRow | None" = None
    unit: Unit | None = None
    changes: dict = field(default_factory=dict)
    action: str = "create"

    def new_unit(self) -> NewUnit:
        """The unit to create for this row; empty cells give the defaults."""
        return NewUnit(
            kind=self.kind,
            name=self.name,
            code=self.code,
            valid_from=self.fields.get("valid_from"),
            valid_to=self.fields.get("valid_to"),
            is_ethnic_minority_area=self.fields.get("is_ethnic_minority_area", False),
            note=self.fields.get("note"),
        )

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def level(self) -> Level | None:
        return KINDS[self.kind][0] if self.kind else None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][1] if self.kind else ""

    @property
    def parent_name(self) -> str:
        if self.parent_row is not None:
            return f"{self.parent_row.name} (dòng {self.parent_row.line})"
        return self.parent.name if self.parent is not None else ""

    @property
    def above(self) -> "CsvRow | Unit | None":
        """What the row goes under: the parent row when the parent is in the file, else a unit."""
        return self.parent_row or self.parent

    @property
    def parent_unit(self) -> Unit | None:
        """The parent as a unit: the parent row's unit (once matched or created), else parent."""
        return self.parent_row.unit if self.parent_row is not None else self.parent

    @property
    def parent_failed(self) -> bool:
        """The parent row is wrong itself; its own error says why."""
        return self.parent_row is not None and self.parent_row.kind is None

    def describe(self) -> str:
        """What the row does, for the dry-run listing."""
        if self.action == "create":
            what = self.name
            if not fold(self.name).startswith(fold(self.kind_label)):
                what += f" ({self.kind_label.lower()})"
            where = f" thuộc {self.parent_name}" if self.parent_name else ""
            return f"Dòng {self.line}: thêm {what}{where}"
        if self.action == "update":
            changes = describe_changes(self.unit, self.changes)
            return f"Dòng {self.line}: sửa {label(self.unit)}: {changes}"
        return f"Dòng {self.line}: không đổi {label(self.unit)}"

    def parse(self) -> None:
        """Name, code, dates, the ethnic minority flag and the note, from the cells."""
        if not self.name:
            self.errors.append("Thiếu tên đơn vị.")
        self.code = self.values.get("code") or None
        for column in ("valid_from", "valid_to"):
            text = self.values.get(column, "")
            if text:
                value = parse_vn_date(text)
                if value is None:
                    self.errors.append(
                        f"Ngày “{text}” ở cột {column} ({COLUMN_LABELS[column]}) không hợp lệ; "
                        "ghi theo dạng ngày/tháng/năm, ví dụ 01/07/2025."
                    )
                else:
                    self.fields[column] = value
        start, end = self.fields.get("valid_from"), self.fields.get("valid_to")
        if start and end and end < start:
            self.errors.append("Ngày hết hiệu lực (valid_to) trước ngày có hiệu lực (valid_from).")
        flag = self.values.get("ethnic_minority_area", "")
        if flag:
            if fold(flag) in YES:
                self.fields["is_ethnic_minority_area"] = True
            elif fold(flag) in NO:
                self.fields["is_ethnic_minority_area"] = False
            else:
                self.errors.append(
                    f"Giá trị “{flag}” ở cột ethnic_minority_area (vùng DTTS) không hợp lệ; "
                    "ghi “có” hoặc “không” (hoặc x, 1, 0), để trống là không."
                )
        if self.values.get("note"):
            self.fields["note"] = self.values["note"]

    def find_kind(self) -> None:
        """The internal key or the Vietnamese label, any case, with or without marks."""
        text = self.values.get("kind", "")
        word = fold(text.replace("_", " "))
        if not word:
            self.errors.append(f"Thiếu loại đơn vị (một trong: {_kind_names()}).")
            return
        if word == CITY:
            if self.parent_failed:
                return
            parent = self.above
            if parent is None:
                self.kind = "thanh_pho_tw"
            elif parent.level == Level.PROVINCE:
                self.kind = "thanh_pho_thuoc_tinh"
            else:
                self.errors.append(f"Thành phố không thể trực thuộc {parent.name}.")
                return
        elif word in KIND_WORDS:
            self.kind = KIND_WORDS[word]
        else:
            self.errors.append(
                f"Loại đơn vị “{text}” không hợp lệ; dùng một trong: {_kind_names()}."
            )
            return
        width = CODE_WIDTHS.get(self.level)
        if self.code and width and self.code.isdigit():
            self.code = self.code.zfill(width)

    def check_placement(self) -> None:
        """The kind may go under the parent (the rule of create_unit)."""
        if self.parent_failed:
            return
        parent = self.above
        if parent is None and self.level != Level.PROVINCE:
            self.errors.append(
                "Thiếu đơn vị cấp trên: ghi mã ở cột parent_code (mã cấp trên), hoặc chạy lệnh "
                "với --parent."
            )
            return
        try:
            check_placement(self.kind, parent)
        except UnitError as error:
            self.errors.append(str(error))
