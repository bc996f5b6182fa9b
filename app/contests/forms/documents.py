"""Forms of the documents part: a side prize awarded by the board."""

from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import choices, parse_id

RECIPIENT_MESSAGE = "Chọn đội/thí sinh (hoặc một thành viên) nhận giải."


class AwardForm(FlaskForm):
    """Which side prize goes to which entry (or to one member of it), and why. The recipient's
    value is "e<entry id>" for the whole entry or "m<member id>" for one member."""

    # Choices are checked by the service (in Vietnamese), not by WTForms' English message.
    prize = SelectField(
        "Giải phụ", validators=[DataRequired("Chọn giải phụ.")], validate_choice=False
    )
    recipient = SelectField(
        "Người/đội nhận giải",
        validators=[DataRequired(RECIPIENT_MESSAGE)],
        validate_choice=False,
    )
    reason = TextAreaField(
        "Lý do trao giải",
        validators=[
            DataRequired("Ghi lý do Ban Tổ chức trao giải."),
            Length(max=2000, message="Tối đa 2.000 ký tự."),
        ],
        description="Ví dụ: phần tiểu phẩm có nội dung sát thực tế, xử lý tình huống khéo léo.",
        render_kw={"rows": 2},
    )

    def __init__(self, prizes, entries, members, team: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.prize.choices = choices(
            [("", "— Chọn giải phụ —")] + [(p.id, f"{p.name} ({p.count} giải)") for p in prizes]
        )
        groups: dict[str, list[tuple[str, str]]] = {"": [("", "— Chọn người/đội nhận —")]}
        self.member_entry: dict[int, int] = {}
        for entry in entries:
            options = [(f"e{entry.id}", f"Cả đội: {entry.name}" if team else entry.name)]
            for member in members.get(entry.id, []) if team else []:
                self.member_entry[member.id] = entry.id
                options.append((f"m{member.id}", f"{member.full_name} ({member.role_label})"))
            groups[entry.name] = options
        self.recipient.choices = groups

    def prize_id(self) -> int | None:
        return parse_id(self.prize.data)

    def entry_and_member(self) -> tuple[int | None, int | None]:
        """(entry id, member id or None) of the chosen recipient."""
        value = self.recipient.data or ""
        if value.startswith("m"):
            member_id = parse_id(value[1:])
            return self.member_entry.get(member_id), member_id
        if value.startswith("e"):
            return parse_id(value[1:]), None
        return None, None
