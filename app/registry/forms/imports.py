"""Forms of the mediator import: the commune to import into, the upload, the confirmation."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import Form, HiddenField, SelectField
from wtforms.validators import Optional

from app.files.services import CONTENT_TYPES, XLSX
from app.units.forms import UnitReferenceField


class CommuneForm(Form):
    """The commune, chosen in a GET form (officers and admins; at most a few hundred)."""

    commune = SelectField("Xã, phường, thị trấn", validators=[Optional()], validate_choice=False)


class CommuneLookupForm(Form):
    """The commune typed with suggestions, where a select would be too long (admins)."""

    unit = UnitReferenceField(
        "Xã, phường, thị trấn",
        description="Gõ vài chữ của tên xã rồi chọn trong danh sách gợi ý.",
        render_kw={"list": "commune-options", "autocomplete": "off"},
    )


class UploadForm(FlaskForm):
    file = FileField(
        "Tệp Excel đã điền (.xlsx)",
        validators=[FileRequired("Chọn tệp .xlsx để tải lên.")],
        description="Tối đa 10 MB: mẫu của xã đã điền, hoặc danh sách hòa giải viên đã xuất.",
        render_kw={"accept": f".xlsx,{CONTENT_TYPES[XLSX]}"},
    )


class ApplyForm(FlaskForm):
    """The confirmation: the digest of the plan the person saw (see Plan.fingerprint)."""

    plan = HiddenField()
