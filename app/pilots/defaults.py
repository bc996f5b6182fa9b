"""The two checklist templates shipped as defaults (DOMAIN.md §7): the pilot activities of
2024-2026 and the model-commune criteria. Plain data, installed by migration 0005, by the demo
and by the tests through ``install_defaults`` (Core statements, no ORM: a migration may run it
whatever the models become). Officers copy them into their own templates to change them.

Each item: (text, type, (operator, target) or None, due months or None, points, formula)."""

from decimal import Decimal

import sqlalchemy as sa

PILOT_CODE, MODEL_CODE = "chi-dao-diem", "xa-dien-hinh"

DEFAULTS = [
    {
        "code": PILOT_CODE,
        "kind": "pilot",
        "name": "Hoạt động chỉ đạo điểm về hòa giải ở cơ sở (2024-2026)",
        "description": "Các hoạt động chỉ đạo điểm theo Đề án ban hành kèm theo Quyết định "
        "315/QĐ-TTg; mục tiêu xã điểm: tỷ lệ hòa giải thành trên 90%, 100% hòa giải viên "
        "được tập huấn.",
        "sections": [
            (
                "I. Khảo sát, kiện toàn tổ hòa giải",
                [
                    (
                        "Khảo sát, đánh giá thực trạng tổ hòa giải và hòa giải viên",
                        "evidence",
                        None,
                        2,
                        5,
                        None,
                    ),
                    (
                        "Kiện toàn tổ hòa giải đủ số lượng, thành phần (nữ, người dân tộc thiểu "
                        "số)",
                        "percent",
                        (">=", 100),
                        6,
                        10,
                        "teams_compliant",
                    ),
                    ("Bầu, bầu bổ sung, thay thế hòa giải viên", "check", None, 6, 5, None),
                    (
                        "Số tổ hòa giải có người hỗ trợ chuyên môn pháp lý (luật sư, luật gia, "
                        "hội thẩm…)",
                        "number",
                        (">=", 1),
                        9,
                        10,
                        "teams_supported",
                    ),
                ],
            ),
            (
                "II. Bồi dưỡng, tập huấn",
                [
                    (
                        "Bồi dưỡng công chức Tư pháp - Hộ tịch cấp xã về hòa giải ở cơ sở",
                        "date",
                        None,
                        6,
                        5,
                        None,
                    ),
                    (
                        "Tập huấn 100% hòa giải viên theo Chương trình khung, cấp tài liệu của "
                        "Bộ Tư pháp",
                        "percent",
                        (">=", 100),
                        12,
                        15,
                        "mediators_trained",
                    ),
                    (
                        "Hòa giải viên mới được tập huấn trong 6 tháng kể từ khi được công nhận",
                        "percent",
                        (">=", 100),
                        None,
                        5,
                        "new_mediators_trained",
                    ),
                ],
            ),
            (
                "III. Hỗ trợ hoạt động hòa giải",
                [
                    (
                        "Hỗ trợ pháp lý cho vụ việc phức tạp, đề nghị Tòa án công nhận kết quả "
                        "hòa giải thành",
                        "number",
                        (">=", 1),
                        18,
                        5,
                        None,
                    ),
                    ("Tỷ lệ hòa giải thành", "percent", (">", 90), None, 15, "success_rate"),
                    (
                        "Huy động nguồn lực (kinh phí, cơ sở vật chất) cho hoạt động hòa giải",
                        "text",
                        None,
                        12,
                        5,
                        None,
                    ),
                    (
                        "Xây dựng mô hình cấp xã điển hình về hòa giải ở cơ sở",
                        "check",
                        None,
                        24,
                        10,
                        None,
                    ),
                ],
            ),
            (
                "IV. Sơ kết, đánh giá, khen thưởng",
                [
                    ("Sơ kết, đánh giá kết quả chỉ đạo điểm", "evidence", None, 30, 5, None),
                    ("Khen thưởng tập thể, cá nhân có thành tích", "check", None, 33, 5, None),
                ],
            ),
        ],
    },
    {
        "code": MODEL_CODE,
        "kind": "model",
        "name": "Tiêu chí cấp xã điển hình về hòa giải ở cơ sở",
        "description": "Bộ tiêu chí mặc định; tỉnh, huyện có thể sao chép và điều chỉnh theo "
        "kế hoạch của mình.",
        "sections": [
            (
                "I. Tổ chức tổ hòa giải và hòa giải viên",
                [
                    (
                        "100% tổ hòa giải đủ số lượng, thành phần",
                        "percent",
                        (">=", 100),
                        None,
                        20,
                        "teams_compliant",
                    ),
                    (
                        "100% hòa giải viên mới được tập huấn trong 6 tháng",
                        "percent",
                        (">=", 100),
                        None,
                        10,
                        "new_mediators_trained",
                    ),
                    (
                        "Có ít nhất một tổ hòa giải có người hỗ trợ chuyên môn pháp lý",
                        "number",
                        (">=", 1),
                        None,
                        10,
                        "teams_supported",
                    ),
                ],
            ),
            (
                "II. Kết quả hòa giải",
                [
                    ("Tỷ lệ hòa giải thành", "percent", (">=", 90), None, 20, "success_rate"),
                    (
                        "Tỷ lệ tổ đạt tiêu chí “Tổ hòa giải 5 tốt” (phát hiện kịp thời, phối hợp "
                        "tốt, hòa giải thành ≥ 80%, tập huấn thường xuyên, sơ kết định kỳ)",
                        "percent",
                        (">=", 50),
                        None,
                        20,
                        None,
                    ),
                ],
            ),
            (
                "III. Điều kiện bảo đảm",
                [
                    (
                        "Tổ hòa giải ghi sổ theo dõi hoạt động hòa giải",
                        "percent",
                        (">=", 100),
                        None,
                        10,
                        "logbooks_kept",
                    ),
                    (
                        "Chi thù lao cho hòa giải viên đúng hạn",
                        "percent",
                        (">=", 100),
                        None,
                        10,
                        "remuneration_on_time",
                    ),
                ],
            ),
        ],
    },
]

_templates = sa.table(
    "pilot_templates",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("revision", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("status", sa.String),
    sa.column("owner_unit_id", sa.Integer),
    sa.column("published_at", sa.DateTime),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
    sa.column("version", sa.Integer),
)
_sections = sa.table(
    "pilot_template_sections",
    sa.column("id", sa.Integer),
    sa.column("template_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("title", sa.String),
)
_items = sa.table(
    "pilot_template_items",
    sa.column("template_id", sa.Integer),
    sa.column("section_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("text", sa.String),
    sa.column("item_type", sa.String),
    sa.column("target_operator", sa.String),
    sa.column("target_value", sa.Numeric),
    sa.column("due_months", sa.Integer),
    sa.column("points", sa.Numeric),
    sa.column("required", sa.Boolean),
    sa.column("formula", sa.String),
)


def install_defaults(connection, now) -> int:
    """Insert the default templates that are missing (by code); the number inserted."""
    existing = set(connection.execute(sa.select(_templates.c.code)).scalars())
    added = 0
    for spec in DEFAULTS:
        if spec["code"] in existing:
            continue
        template_id = connection.execute(
            _templates.insert()
            .values(
                code=spec["code"],
                revision=1,
                kind=spec["kind"],
                name=spec["name"],
                description=spec["description"],
                status="published",
                owner_unit_id=None,
                published_at=now,
                created_at=now,
                updated_at=now,
                version=1,
            )
            .returning(_templates.c.id)
        ).scalar_one()
        position = 0
        for section_position, (title, items) in enumerate(spec["sections"], start=1):
            section_id = connection.execute(
                _sections.insert()
                .values(template_id=template_id, position=section_position, title=title)
                .returning(_sections.c.id)
            ).scalar_one()
            for text, item_type, target, due_months, points, formula in items:
                position += 1
                connection.execute(
                    _items.insert().values(
                        template_id=template_id,
                        section_id=section_id,
                        position=position,
                        text=text,
                        item_type=item_type,
                        target_operator=target[0] if target else None,
                        target_value=Decimal(target[1]) if target else None,
                        due_months=due_months,
                        points=Decimal(points),
                        required=True,
                        formula=formula,
                    )
                )
        added += 1
    return added
