"""Forms of a contest's setup: the contest and its rules, a round, the prize table, a status
change (a part with its criteria: forms/parts.py).

The forms read what is typed (numbers, points, durations, tiers); the rules (ranges, the step,
criteria adding up to the part's maximum, the amendment reason) are the services' (ContestError),
so that a form and an import refuse the same things with the same words.
"""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.contests import rules
from app.contests.forms.fields import PointsField, amendment_reason_field
from app.contests.models import (
    ENTRY_KIND_LABELS,
    LEVEL_LABELS,
    PRIZE_KIND_LABELS,
    ROUND_KIND_LABELS,
    Contest,
    ContestRound,
)
from app.contests.services.setup import ContestValues, PrizeValues, RoundValues
from app.contests.services.words import PLACES_LABELS
from app.forms import VersionField, VNDateField, WholeNumberField, choices
from app.units.forms import UnitReferenceField

NO_TIE_BREAK = ("", "— Không xét —")


# The contest


class ContestForm(FlaskForm):
    """A contest and its rules; ``unit`` on creation only, ``version`` on edit only."""

    name = StringField(
        "Tên hội thi",
        validators=[
            DataRequired("Nhập tên hội thi."),
            Length(max=300, message="Tối đa 300 ký tự."),
        ],
        description="Ví dụ: Hội thi Hòa giải viên giỏi huyện Mường Nhé năm 2026.",
    )
    level = SelectField("Cấp tổ chức", choices=choices(LEVEL_LABELS.items()), validate_choice=False)
    year = WholeNumberField("Năm tổ chức", message="Nhập năm gồm 4 chữ số, ví dụ 2026.")
    unit = UnitReferenceField(
        "Đơn vị tổ chức (Ban Tổ chức)",
        description="Gõ vài chữ của tên đơn vị rồi chọn trong danh sách gợi ý.",
        render_kw={"list": "unit-options", "autocomplete": "off"},
    )
    rule_document = StringField(
        "Số Thể lệ",
        validators=[Optional(), Length(max=100, message="Tối đa 100 ký tự.")],
        description="Số văn bản ban hành Thể lệ hội thi, ví dụ 12/TL-BTC.",
    )
    note = TextAreaField(
        "Ghi chú",
        validators=[Optional(), Length(max=4000, message="Tối đa 4.000 ký tự.")],
        render_kw={"rows": 2},
    )
    entry_kind = SelectField(
        "Hình thức dự thi", choices=choices(ENTRY_KIND_LABELS.items()), validate_choice=False
    )
    official_count = WholeNumberField("Thành viên chính thức")
    reserve_min = WholeNumberField("Dự bị, tối thiểu")
    reserve_max = WholeNumberField("Dự bị, tối đa")
    actor_max = WholeNumberField("Diễn viên phụ họa, tối đa")
    every_unit_represented = BooleanField(
        "Mỗi đơn vị (mỗi xã của cụm) phải có thành viên trong đội"
    )
    aggregation = SelectField(
        "Tổng hợp điểm của giám khảo",
        choices=choices(rules.AGGREGATIONS.items()),
        validate_choice=False,
    )
    places = SelectField(
        "Làm tròn kết quả mỗi phần thi đến",
        choices=choices(PLACES_LABELS.items()),
        validate_choice=False,
    )
    rounding = SelectField(
        "Cách làm tròn", choices=choices(rules.ROUNDING_MODES.items()), validate_choice=False
    )
    step = PointsField(
        "Bước điểm",
        description="Giám khảo cho điểm theo bước này, ví dụ 0,25; 0,5 hoặc 1.",
    )
    outlier_percent = PointsField(
        "Ngưỡng điểm chênh lệch (% điểm tối đa)",
        description="Điểm cách trung vị của Ban Giám khảo quá mức này được báo cho Trưởng ban "
        "Giám khảo xem xét.",
    )
    tie_break = FieldList(
        SelectField(
            choices=choices([NO_TIE_BREAK, *rules.TIE_BREAKS.items()]), validate_choice=False
        ),
        min_entries=len(rules.TIE_BREAKS),
        max_entries=len(rules.TIE_BREAKS),
    )
    amendment_reason = amendment_reason_field()
    version = VersionField()

    def values(self) -> ContestValues:
        """What was typed, as the services take it."""
        places = self.places.data
        return ContestValues(
            name=self.name.data or "",
            level=self.level.data or "",
            year=self.year.data,
            rule_document=self.rule_document.data,
            note=self.note.data,
            entry_kind=self.entry_kind.data or "",
            official_count=self.official_count.data,
            reserve_min=self.reserve_min.data,
            reserve_max=self.reserve_max.data,
            actor_max=self.actor_max.data,
            every_unit_represented=bool(self.every_unit_represented.data),
            aggregation=self.aggregation.data or "",
            places=int(places) if places in {"0", "1", "2", "3"} else None,
            rounding=self.rounding.data or "",
            step=self.step.data,
            outlier_percent=self.outlier_percent.data,
            tie_break=[key or "" for key in self.tie_break.data],
        )


def contest_data(contest: Contest | None = None, **extra) -> dict:
    """The form's values for a contest (or a new one's defaults)."""
    values = ContestValues() if contest is None else contest
    keys = list(rules.DEFAULT_TIE_BREAK) if contest is None else contest.tie_break_keys
    data = {
        name: getattr(values, name)
        for name in (
            "name",
            "level",
            "year",
            "rule_document",
            "note",
            "entry_kind",
            "official_count",
            "reserve_min",
            "reserve_max",
            "actor_max",
            "every_unit_represented",
            "aggregation",
            "rounding",
            "step",
            "outlier_percent",
        )
    }
    data["places"] = str(values.places)
    data["tie_break"] = keys + [""] * (len(rules.TIE_BREAKS) - len(keys))
    if contest is not None:
        data["version"] = contest.version
    data.update(extra)
    return data


# Rounds


class RoundForm(FlaskForm):
    name = StringField(
        "Tên vòng thi",
        validators=[
            DataRequired("Nhập tên vòng thi."),
            Length(max=200, message="Tối đa 200 ký tự."),
        ],
        description="Ví dụ: Vòng sơ khảo cụm 1, Vòng chung khảo.",
    )
    kind = SelectField(
        "Loại vòng thi", choices=choices(ROUND_KIND_LABELS.items()), validate_choice=False
    )
    held_on = VNDateField("Ngày thi")
    venue = StringField(
        "Địa điểm", validators=[Optional(), Length(max=200, message="Tối đa 200 ký tự.")]
    )
    advance_count = WholeNumberField(
        "Số đội/thí sinh đi tiếp",
        description="Vòng sơ khảo: số đội xếp đầu vào vòng sau. Để trống nếu Ban Tổ chức chọn "
        "đội đi tiếp, hoặc ở vòng chung khảo.",
    )
    amendment_reason = amendment_reason_field()
    version = VersionField()

    def values(self) -> RoundValues:
        return RoundValues(
            name=self.name.data or "",
            kind=self.kind.data or "",
            held_on=self.held_on.data,
            venue=self.venue.data,
            advance_count=self.advance_count.data,
        )


def round_data(round_: ContestRound) -> dict:
    return {
        "name": round_.name,
        "kind": round_.kind,
        "held_on": round_.held_on,
        "venue": round_.venue,
        "advance_count": round_.advance_count,
        "version": round_.version,
    }


# Prizes


class PrizeRow(Form):
    name = StringField(
        "Tên giải",
        validators=[Optional(), Length(max=100, message="Tối đa 100 ký tự.")],
        render_kw={"autocomplete": "off"},
    )
    kind = SelectField(
        "Loại giải", choices=choices(PRIZE_KIND_LABELS.items()), validate_choice=False
    )
    count = WholeNumberField("Số giải", message="Số giải là một số nguyên, ví dụ 2.")


class PrizesForm(FlaskForm):
    """The prize table; the contest's version travels with it (the table is the contest's)."""

    rows = FieldList(FormField(PrizeRow), min_entries=0, max_entries=20)
    amendment_reason = amendment_reason_field()
    version = VersionField()

    def values(self) -> list[PrizeValues]:
        return [
            PrizeValues(row.form.name.data or "", row.form.kind.data or "", row.form.count.data, i)
            for i, row in enumerate(self.rows)
            if (row.form.name.data or "").strip() or row.form.count.data is not None
        ]

    def add_row(self) -> bool:
        if len(self.rows) >= self.rows.max_entries:
            return False
        self.rows.append_entry({"kind": "rank", "count": 1})
        return True


def prizes_data(contest: Contest, prizes) -> dict:
    return {
        "rows": [{"name": p.name, "kind": p.kind, "count": p.count} for p in prizes],
        "version": contest.version,
    }


class TransitionForm(FlaskForm):
    """A status change: only the status asked for travels."""

    to = HiddenField()


class ConfirmForm(FlaskForm):
    """A POST with nothing but its CSRF token (open a round, delete a part)."""
