"""The form of a part: its kind, maximum, scorer, time limit and penalty rule, and its
criteria (rows added one at a time with "Thêm tiêu chí")."""

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.contests import rules
from app.contests.forms.fields import (
    DurationField,
    PointsField,
    TiersField,
    amendment_reason_field,
)
from app.contests.models import SCORED_BY_LABELS, ContestPart
from app.contests.services.setup import CriterionValues, PartValues
from app.contests.services.words import parse_tiers
from app.forms import VersionField, choices


class CriterionRow(Form):
    """A criterion under a part: its name and maximum."""

    name = StringField(
        "Tên tiêu chí",
        validators=[Optional(), Length(max=300, message="Tối đa 300 ký tự.")],
        render_kw={"autocomplete": "off"},
    )
    max_points = PointsField("Điểm tối đa")


class PartForm(FlaskForm):
    name = StringField(
        "Tên phần thi",
        validators=[
            DataRequired("Nhập tên phần thi."),
            Length(max=200, message="Tối đa 200 ký tự."),
        ],
        description="Ví dụ: Giới thiệu, chào hỏi; Xử lý tình huống; Tiểu phẩm.",
    )
    kind = SelectField(
        "Loại phần thi", choices=choices(rules.PART_KINDS.items()), validate_choice=False
    )
    max_points = PointsField("Điểm tối đa")
    scored_by = SelectField(
        "Người chấm", choices=choices(SCORED_BY_LABELS.items()), validate_choice=False
    )
    time_limit = DurationField(
        "Thời gian quy định",
        description="Phút:giây, ví dụ 3:00 hoặc 5. Để trống nếu không giới hạn.",
    )
    penalty_kind = SelectField(
        "Khi quá thời gian", choices=choices(rules.PENALTY_KINDS.items()), validate_choice=False
    )
    penalty_points = PointsField(
        "Điểm trừ mỗi phút tròn", description="Chỉ dùng với cách “trừ điểm cho mỗi phút”."
    )
    penalty_tiers = TiersField(
        "Các mức trừ điểm",
        description="Chỉ dùng với cách “trừ theo mức vượt”. Mỗi dòng một mức, ví dụ "
        "“dưới 1 phút: 0,25” và “từ 1 phút: 0,5”.",
        render_kw={"rows": 3},
    )
    guidance = TextAreaField(
        "Hướng dẫn cho giám khảo",
        validators=[Optional(), Length(max=4000, message="Tối đa 4.000 ký tự.")],
        render_kw={"rows": 3},
    )
    criteria = FieldList(FormField(CriterionRow), min_entries=0, max_entries=20)
    amendment_reason = amendment_reason_field()
    version = VersionField()

    def values(self) -> PartValues:
        return PartValues(
            name=self.name.data or "",
            kind=self.kind.data or "",
            max_points=self.max_points.data,
            scored_by=self.scored_by.data or "",
            time_limit_seconds=self.time_limit.data,
            penalty_kind=self.penalty_kind.data or "",
            penalty_points=self.penalty_points.data,
            penalty_tiers=list(self.penalty_tiers.data or []),
            guidance=self.guidance.data,
            criteria=[
                CriterionValues(row.form.name.data or "", row.form.max_points.data, index)
                for index, row in enumerate(self.criteria)
                if (row.form.name.data or "").strip() or row.form.max_points.data is not None
            ],
        )

    def add_criterion_row(self) -> bool:
        """One more blank criterion row (the "Thêm tiêu chí" button); False when full."""
        if len(self.criteria) >= self.criteria.max_entries:
            return False
        self.criteria.append_entry()
        return True


def part_data(part: ContestPart | None = None) -> dict:
    """The form's values for a part (or a new one's defaults)."""
    if part is None:
        return {"kind": "other", "scored_by": "judges", "penalty_kind": "none"}
    return {
        "name": part.name,
        "kind": part.kind,
        "max_points": part.max_points,
        "scored_by": part.scored_by,
        "time_limit": part.time_limit_seconds,
        "penalty_kind": part.penalty_kind,
        "penalty_points": part.penalty_points,
        "penalty_tiers": list(parse_tiers(part.penalty_tiers)),
        "guidance": part.guidance,
        "criteria": [{"name": c.name, "max_points": c.max_points} for c in part.criteria],
        "version": part.version,
    }
