"""Forms of filling in a checklist: an item's progress and value (read by its type in the
services), sending for review, an evidence file uploaded or attached again."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import AnyOf, Length

from app.forms import VersionField, choices, parse_id
from app.pilots.rules import PROGRESS_LABELS
from app.pilots.services.evidence import ACCEPT
from app.pilots.services.filling import TEXT_MAX


class FillForm(FlaskForm):
    """One item: its progress and its value as typed (a number, a date, a text, "1"/"0" for
    done or not), and the item's version when the form was read."""

    progress = SelectField(
        "Tiến độ",
        choices=choices(PROGRESS_LABELS.items()),
        validate_choice=False,
        validators=[AnyOf(list(PROGRESS_LABELS), message="Chọn tiến độ thực hiện.")],
    )
    value = StringField(
        "Kết quả",
        validators=[Length(max=TEXT_MAX, message="Nội dung tối đa 2.000 ký tự.")],
    )
    version = VersionField()


class SubmitForm(FlaskForm):
    """Send the checklist for review: its version when the page was read."""

    version = VersionField()


class UploadForm(FlaskForm):
    """A new evidence file for an item."""

    file = FileField(
        "Tải tệp lên",
        validators=[FileRequired("Chọn tệp minh chứng cần tải lên.")],
        description="PDF, ảnh JPEG/PNG, Excel (.xlsx) hoặc Word (.docx), tối đa 10 MB.",
        render_kw={"accept": ACCEPT},
    )


class AttachForm(FlaskForm):
    """A file already attached to another item of the same checklist."""

    file_id = StringField("Dùng tệp đã có")

    def file(self) -> int | None:
        return parse_id(self.file_id.data)
