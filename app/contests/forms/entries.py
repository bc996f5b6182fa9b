"""Forms of entries, the running order, advancement and the panel of judges.

The forms read what is typed; the rules (composition, units, duplicates, one head judge) are
the services' (ContestError), so that the form, an import and the tests refuse the same
things with the same words.
"""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.contests.services.entries import MAX_MEMBERS, EntryValues
from app.forms import VersionField, WholeNumberField, parse_id


def _ids(values) -> list[int]:
    return list(dict.fromkeys(i for i in map(parse_id, values or []) if i))


def _position_field() -> WholeNumberField:
    """A judge's place in the panel's list (1 to 99)."""
    return WholeNumberField(
        "Thứ tự",
        message="Thứ tự là một số nguyên, ví dụ 2.",
        digits=4,
        signed=False,
        render_kw={"maxlength": 4},
    )


class EntryForm(FlaskForm):
    """An entry. The contest comes from the URL; members are read by ``members()`` from the
    ticked boxes ``member`` and the role chosen for each (``role-<mediator id>``)."""

    # The services' "members" refusals go above the list of mediators to tick.
    error_fields = {"members": "member"}  # noqa: RUF012 - read by forms.add_errors

    unit = SelectField("Đơn vị dự thi", validate_choice=False)
    name = StringField(
        "Tên đội/thí sinh",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        description="Để trống: “Đội <tên đơn vị>”, hoặc họ tên thí sinh cá nhân.",
    )
    represented = SelectMultipleField("Đơn vị được đại diện", validate_choice=False)
    q = StringField("Lọc hòa giải viên theo tên", render_kw={"autocomplete": "off"})
    member = SelectMultipleField("Thành viên", validate_choice=False)
    actors = TextAreaField(
        "Diễn viên phụ họa",
        validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")],
        description="Mỗi dòng một người. Diễn viên phụ họa không đóng vai hòa giải viên.",
        render_kw={"rows": 3},
    )
    note = TextAreaField(
        "Ghi chú",
        validators=[Optional(), Length(max=2000, message="Tối đa 2.000 ký tự.")],
        render_kw={"rows": 2},
    )

    def unit_id(self) -> int | None:
        return parse_id(self.unit.data)

    def represented_ids(self) -> list[int]:
        return _ids(self.represented.data)

    def chosen_ids(self) -> list[int]:
        """The mediators ticked, in the order ticked, once each."""
        return _ids(self.member.data)

    @staticmethod
    def posted_roles(formdata) -> dict[int, str]:
        """The role chosen for each mediator (``role-<mediator id>``), as posted."""
        return {
            parse_id(key[5:]): value
            for key, value in formdata.items()
            if key.startswith("role-") and parse_id(key[5:])
        }

    def members(self, formdata) -> list[tuple[int, str]]:
        """(mediator id, role) of each ticked mediator, in the order ticked, once each."""
        ids = self.chosen_ids()[:MAX_MEMBERS]
        return [(i, formdata.get(f"role-{i}", "")) for i in ids]

    def values(self, formdata) -> EntryValues:
        """What was typed, as the services take it."""
        return EntryValues(
            unit_id=self.unit_id(),
            name=self.name.data or "",
            represented_ids=self.represented_ids(),
            members=self.members(formdata),
            actors=(self.actors.data or "").splitlines(),
            note=self.note.data or "",
        )


class EntryEditForm(EntryForm):
    version = VersionField()


def initial_data(entry, members, represented: list[int]) -> tuple[dict, dict[int, str]]:
    """The form's values for an entry, and the role of each of its mediators."""
    roles = {m.mediator_id: m.role for m in members if m.mediator_id is not None}
    data = {
        "unit": str(entry.unit_id),
        "name": entry.name,
        "represented": [str(u) for u in represented],
        "member": [str(i) for i in roles],
        "actors": "\n".join(m.full_name for m in members if m.role == "actor"),
        "note": entry.note or "",
    }
    return data, roles


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        "Lý do rút đăng ký",
        validators=[Optional(), Length(max=500, message="Tối đa 500 ký tự.")],
        render_kw={"rows": 2},
    )


class JudgeForm(FlaskForm):
    """A judge appointed to a round's panel; the account is chosen among eligible judges."""

    user = SelectField("Giám khảo", validate_choice=False)
    title = StringField(
        "Chức vụ",
        validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")],
        description="Ví dụ: Phó Giám đốc Sở Tư pháp, Trưởng Ban Giám khảo.",
    )
    position = _position_field()
    is_head = BooleanField("Trưởng Ban Giám khảo")


class SeatForm(FlaskForm):
    """A change to a judge already on the panel."""

    title = StringField(
        "Chức vụ", validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")]
    )
    position = _position_field()
    is_head = BooleanField("Trưởng Ban Giám khảo")
    version = VersionField()
