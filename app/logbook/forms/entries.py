"""The form of a case, as commune staff copy it from the paper logbook (fast entry) or correct it.

The form reads what is typed; the rules of a case (dates in order, agreement of a successful
case, ages, mediators still in office, a free number) are the services' (LogbookError), so
that the form, an import and the tests refuse the same things with the same words.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from app.forms import (
    VersionField,
    VNDateField,
    WholeNumberField,
    choices,
    parse_id,
    show_error,
)
from app.logbook.models import LogbookEntry
from app.logbook.rules import (
    MAX_PARTIES,
    RESULT_CHOICES,
    SCOPE_LABELS,
    Party,
    result_choice,
    split_result,
)
from app.logbook.services import EntryValues, entry_mediator_ids, entry_parties

DEFAULT_PARTY_ROWS = 2


class Needed:
    """Marks a field as required (asterisk, ``required``) and leaves the check to the rules,
    so that every problem of a case is shown at once, in the rules' words."""

    field_flags = {"required": True}  # noqa: RUF012 - the WTForms protocol

    def __call__(self, form, field):
        return None


def _text(label: str, limit: int, needed: bool = False, **kwargs) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            *([Needed()] if needed else []),
            Optional(),
            Length(max=limit, message=f"Tối đa {limit:,} ký tự.".replace(",", ".")),
        ],
        **kwargs,
    )


class PartyForm(Form):
    """One party of a case: personal data (Decree 13/2023/NĐ-CP)."""

    full_name = StringField(
        "Họ và tên",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        render_kw={"autocomplete": "off"},
    )
    age = WholeNumberField(
        "Tuổi", message="Tuổi là một số nguyên, ví dụ 45.", render_kw={"maxlength": 4}
    )
    address = StringField(
        "Địa chỉ",
        validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")],
        render_kw={"autocomplete": "off"},
    )


class EntryForm(FlaskForm):
    """A case of a team's logbook. The team comes from the URL, never from the form."""

    number = WholeNumberField(
        "Số thứ tự",
        message="Số thứ tự là một số nguyên dương, ví dụ 12.",
        description="Số trong sổ giấy; mỗi năm đánh số lại từ 1.",
        render_kw={"maxlength": 6},
    )
    page_number = WholeNumberField(
        "Số trang sổ",
        message="Số trang là một số nguyên dương.",
        render_kw={"maxlength": 6},
    )
    received_on = VNDateField("Ngày tiếp nhận", validators=[Needed()])
    parties = FieldList(
        FormField(PartyForm), min_entries=DEFAULT_PARTY_ROWS, max_entries=MAX_PARTIES
    )
    content = _text(
        "Nội dung chính của vụ việc",
        4000,
        needed=True,
        description="Không ghi họ tên các bên vào nội dung: họ tên chỉ ghi ở bảng các bên.",
    )
    scope = RadioField("Lĩnh vực", choices=choices(SCOPE_LABELS.items()), validate_choice=False)
    mediators = SelectMultipleField("Hòa giải viên tiến hành hòa giải", validate_choice=False)
    invited_persons = _text(
        "Người được mời tham gia hòa giải",
        1000,
        description="Người có uy tín, đại diện tổ chức… (nếu có).",
        render_kw={"rows": 2},
    )
    started_on = VNDateField("Ngày bắt đầu hòa giải")
    result = RadioField("Kết quả", choices=choices(RESULT_CHOICES.items()), validate_choice=False)
    ended_on = VNDateField("Ngày kết thúc", description="Ngày hòa giải thành hoặc không thành.")
    agreement = _text("Thỏa thuận đạt được hoặc yêu cầu của các bên", 4000)
    written_settlement = BooleanField("Có lập văn bản hòa giải thành")
    note = _text("Ghi chú", 2000, render_kw={"rows": 2})

    def mediator_ids(self) -> list[int]:
        return [i for i in (parse_id(v) for v in self.mediators.data or []) if i]

    def values(self) -> EntryValues:
        """What was typed, as the services take it."""
        result, stop_requested = split_result(self.result.data or "")
        return EntryValues(
            number=self.number.data,
            page_number=self.page_number.data,
            received_on=self.received_on.data,
            started_on=self.started_on.data,
            ended_on=self.ended_on.data,
            invited_persons=self.invited_persons.data,
            content=self.content.data,
            scope=self.scope.data or None,
            result=result or None,
            stop_requested=stop_requested,
            agreement=self.agreement.data,
            written_settlement=bool(self.written_settlement.data),
            note=self.note.data,
            parties=[
                Party(row.full_name.data or "", row.age.data, row.address.data or None)
                for row in self.parties
            ],
            mediator_ids=self.mediator_ids(),
        )

    def show_errors(self, errors: list[tuple[str, str]]) -> dict[str, list[str]]:
        """Each of the services' messages next to its field; those about the parties or the
        mediators are returned, to be shown above their group; the rest above the form."""
        groups: dict[str, list[str]] = {"parties": [], "mediators": []}
        for name, message in errors:
            if name in groups:
                groups[name].append(message)
            else:
                show_error(self, name, message)
        return groups

    def add_party_row(self) -> bool:
        """One more blank row for a party (the "Thêm bên" button); False when full."""
        if len(self.parties) >= MAX_PARTIES:
            return False
        self.parties.append_entry()
        return True


class EntryEditForm(EntryForm):
    version = VersionField()


def initial_data(entry: LogbookEntry) -> dict:
    """The form's values for a case (its parties are personal data: keepers only get here)."""
    return {
        "number": entry.number,
        "page_number": entry.page_number,
        "received_on": entry.received_on,
        "started_on": entry.started_on,
        "ended_on": entry.ended_on,
        "invited_persons": entry.invited_persons,
        "content": entry.content,
        "scope": entry.scope,
        "result": result_choice(entry.result, entry.stop_requested),
        "agreement": entry.agreement,
        "written_settlement": entry.written_settlement,
        "note": entry.note,
        "mediators": [str(i) for i in entry_mediator_ids(entry)],
        "parties": [
            {"full_name": p.full_name, "age": p.age, "address": p.address}
            for p in entry_parties(entry)
        ],
        "version": entry.version,
    }
