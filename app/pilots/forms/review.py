"""Forms of the review of checklists: accept or return an item, sign off, reopen. Each carries
the version of what it was read at (QUALITY.md R3); a return and a reopen carry a reason."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import VersionField
from app.pilots.services.review import REASON_MAX, REASON_NEEDED, REASON_TOO_LONG


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class VersionForm(FlaskForm):
    """Accept an item, sign off a checklist: only the version read."""

    version = VersionField()


class ReturnForm(FlaskForm):
    """Return an item to the commune, with the reason its staff read."""

    reason = TextAreaField(
        "Lý do trả lại",
        validators=[
            DataRequired(REASON_NEEDED["return"]),
            Length(max=REASON_MAX, message=REASON_TOO_LONG),
        ],
        filters=[_strip],
        render_kw={"rows": 2, "maxlength": REASON_MAX},
    )
    version = VersionField()


class ReopenForm(FlaskForm):
    """Reopen a signed-off checklist, with the reason kept in its trail."""

    reason = TextAreaField(
        "Lý do mở lại",
        validators=[
            DataRequired(REASON_NEEDED["reopen"]),
            Length(max=REASON_MAX, message=REASON_TOO_LONG),
        ],
        filters=[_strip],
        description="Bảng kiểm trở lại trạng thái đang thực hiện; số liệu đã chốt vẫn được lưu.",
        render_kw={"rows": 2, "maxlength": REASON_MAX},
    )
    version = VersionField()
