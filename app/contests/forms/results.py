"""Forms of results: publishing a round (a correction with its reason) and the board's order
of entries tied at a prize or advancement boundary."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.contests.services import REASON_MAX, REASON_TOO_LONG
from app.contests.services.results import REASON_NEEDED
from app.forms import choices, parse_id

POSITION_NEEDED = "Chọn thứ hạng cho đội/thí sinh này."
POSITION_TWICE = "Mỗi đội/thí sinh một thứ hạng khác nhau."
POSITION_UNKNOWN = "Chọn một thứ hạng trong danh sách."
# A tie is between a handful of entries; a posted group longer than this is not one.
GROUP_MAX = 50


class PublishForm(FlaskForm):
    """Publish the round's ranking; the reason is needed for a correction."""

    reason = TextAreaField(
        "Lý do đính chính",
        validators=[Optional(), Length(max=REASON_MAX, message=REASON_TOO_LONG)],
        description="Bắt buộc khi công bố lại một kết quả đã công bố, ví dụ: "
        "Giám khảo chấm lại phiếu phần tiểu phẩm của đội số 3 theo đề nghị của Trưởng Ban "
        "Giám khảo.",
    )


def parse_group(text: str | None) -> list[int]:
    """The tied entries a form was made for: "12,15" → [12, 15]; [] when unreadable."""
    parts = (text or "").split(",")
    ids = [parse_id(part) for part in parts]
    if len(ids) > GROUP_MAX or None in ids:
        return []
    return ids


class TieDecisionForm(FlaskForm):
    """The order the board gives to one group of tied entries, and on what ground."""

    group = HiddenField()
    reason = TextAreaField(
        "Căn cứ quyết định",
        validators=[
            InputRequired(REASON_NEEDED),
            Length(max=REASON_MAX, message=REASON_TOO_LONG),
        ],
        description="Ví dụ: Bốc thăm trước Ban Tổ chức; Ban Giám khảo biểu quyết 4/5.",
    )

    def __init__(self, *args, entry_ids: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_ids = list(entry_ids or [])

    def position_field(self, entry_id: int):
        return self[f"position_{entry_id}"]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.entry_ids:
            return valid
        chosen: dict[str, list] = {}
        offered = {c.value for c in self.position_field(self.entry_ids[0]).choices if c.value}
        for entry_id in self.entry_ids:
            field = self.position_field(entry_id)
            if field.data and field.data not in offered:
                valid = False
                field.errors = [*field.errors, POSITION_UNKNOWN]
            elif field.data:
                chosen.setdefault(field.data, []).append(field)
        for fields in chosen.values():
            if len(fields) > 1:
                valid = False
                for field in fields:
                    field.errors = [*field.errors, POSITION_TWICE]
        return valid

    def order(self) -> list[int]:
        """The entry ids, best placed first."""
        return sorted(self.entry_ids, key=lambda i: int(self.position_field(i).data))


def tie_form(entry_ids: list[int], first_rank: int, **kwargs) -> TieDecisionForm:
    """The form for one tied group: a rank to choose for each entry (first_rank, first_rank
    + 1...), every one different."""
    ranks = range(first_rank, first_rank + len(entry_ids))
    options = choices(
        [("", "— Chọn thứ hạng —")]
        + [(str(offset), f"Hạng {rank}") for offset, rank in enumerate(ranks, 1)]
    )

    class Form(TieDecisionForm):
        pass

    for entry_id in entry_ids:
        setattr(
            Form,
            f"position_{entry_id}",
            SelectField(
                "Xếp hạng",
                choices=options,
                validate_choice=False,
                validators=[InputRequired(POSITION_NEEDED)],
            ),
        )
    form = Form(entry_ids=entry_ids, **kwargs)
    key = ",".join(map(str, entry_ids))
    if not form.group.data:
        form.group.data = key
    # Several of these forms may share a page: distinct ids for the labels.
    form.reason.id = f"reason-{key.replace(',', '-')}"
    return form
