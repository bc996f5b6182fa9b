"""Forms of the review of proposals: one proposal (accept, return, forward) or many at once.
The rules (a reason to return, the office's authority) are the services'."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from app.commendations.services.review import ACTIONS, REASON_MAX
from app.forms import VersionField, choices, parse_id

# A bulk review takes at most a page or a few of a list.
MAX_IDS = 500

REASON_LENGTH = Length(max=REASON_MAX, message="Lý do tối đa 2.000 ký tự.")


class ReviewForm(FlaskForm):
    """Accept, return or forward one proposal: the version it was read at travels back, and
    a reason for a return."""

    reason = TextAreaField(
        "Lý do trả lại",
        validators=[Optional(), REASON_LENGTH],
        description="Đơn vị đề nghị đọc lý do này để sửa, bổ sung rồi đề nghị lại.",
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )
    version = VersionField()


class BulkReviewForm(FlaskForm):
    """The same action on the proposals ticked in a list."""

    ids = SelectMultipleField("Đề nghị", validate_choice=False)
    action = SelectField("Việc cần làm", choices=choices(ACTIONS.items()), validate_choice=False)
    reason = TextAreaField("Lý do trả lại", validators=[Optional(), REASON_LENGTH])
    next = HiddenField()

    def proposal_ids(self) -> list[int]:
        """The ticked ids that read as ids (at most MAX_IDS, duplicates dropped)."""
        values = (parse_id(v) for v in (self.ids.data or [])[:MAX_IDS])
        return list(dict.fromkeys(v for v in values if v is not None))
