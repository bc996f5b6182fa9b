"""Demo data of the registry: the 116 Mường Nhé teams with about 700 mediators, supporters,
trainers and trainings (see docs/demo.md). Deterministic: the same data on every run."""

import random
from datetime import date, timedelta

from app.registry.rules import LEGAL_PROFESSIONAL
from app.registry.services.compliance import refresh_later
from app.registry.services.mediators import create_mediator, dismiss_mediator, make_leader
from app.registry.services.teams import attach_supporter, create_supporter, create_team
from app.registry.services.trainings import add_attendees, create_trainer, create_training
from app.units.models import Level

# (ethnicity code, family names, male middle names, female middle names, male given, female given)
PEOPLE = {
    "08": (  # Mông
        ["Giàng", "Sùng", "Vàng", "Lý", "Thào", "Mùa", "Hầu", "Lầu", "Vừ", "Hạng", "Tráng", "Cứ"],
        ["A"],
        ["Thị"],
        [
            "Páo",
            "Dính",
            "Sử",
            "Chư",
            "Tủa",
            "Súa",
            "Lử",
            "Pó",
            "Chứ",
            "Sình",
            "Chống",
            "Tếnh",
            "Nủ",
            "Dế",
            "Chua",
            "Vảng",
        ],
        ["Mai", "Dợ", "Mỷ", "Sua", "Pàng", "Dua", "Chở", "Ly", "Dung", "Máy", "Sinh", "Xúa"],
    ),
    "35": (  # Hà Nhì
        ["Pờ", "Lỳ", "Chu", "Sần", "Phu", "Hờ", "Lò", "Ly"],
        ["A"],
        ["Thị", "Mé"],
        ["Sừ", "Hừ", "Chừ", "Xá", "Pư", "Gió", "Chè", "Phí", "Sạ"],
        ["Lan", "Dé", "Mé", "Xe", "Chừ", "Gió", "Pu"],
    ),
    "03": (  # Thái
        ["Lò", "Lường", "Quàng", "Cà", "Tòng", "Vì", "Lù", "Điêu"],
        ["Văn"],
        ["Thị"],
        ["Thanh", "Ươi", "Xuân", "Phanh", "Ún", "Inh", "Cường", "Tuân", "Chiến", "Hùng"],
        ["Hoa", "Tâm", "Kim", "Hương", "Ón", "Ngọc", "Thu", "Liên"],
    ),
    "09": (  # Dao
        ["Lý", "Bàn", "Triệu", "Đặng"],
        ["Láo", "Văn"],
        ["Thị", "Mẩy"],
        ["Quẩy", "Phin", "Chòi", "Sành", "Pham"],
        ["Mẩy", "Kiều", "Chài", "Xiêm"],
    ),
    "29": (  # Khơ-mú
        ["Lò", "Vì", "Quàng", "Cầm"],
        ["Văn"],
        ["Thị"],
        ["Pọm", "Ính", "Khăm", "Tun"],
        ["Ọt", "Xiêng", "Nhi", "Pằn"],
    ),
    "48": (["Lò", "Pờ", "Chang"], ["Văn"], ["Thị"], ["Sáng", "Hoàng", "Chí"], ["Hằng", "Chinh"]),
    "50": (["Pờ", "Hù", "Lò"], ["Văn", "A"], ["Thị"], ["Xá", "Dơ", "Chà"], ["Mế", "Lé"]),
    "01": (  # Kinh
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ", "Bùi", "Đồng", "Vũ"],
        ["Văn", "Đức", "Quang"],
        ["Thị", "Thu", "Thị Thu"],
        ["Đức", "Bình", "Hùng", "Tuấn", "Dũng", "Mạnh", "Hải", "Toàn"],
        ["Hà", "Lan", "Thủy", "Hương", "Nga", "Hạnh"],
    ),
}
ETHNIC_MIX = (
    ["08"] * 52
    + ["35"] * 14
    + ["03"] * 12
    + ["09"] * 5
    + ["29"] * 4
    + ["48", "50"] * 2
    + ["01"] * 9
)
OCCUPATIONS = [
    "Làm nông",
    "Làm nông",
    "Làm nông",
    "Trưởng bản",
    "Giáo viên",
    "Buôn bán nhỏ",
    "Cán bộ hưu trí",
    "Y tá thôn bản",
]
BACKGROUNDS = [
    "village_head",
    "party_cell",
    "front",
    "womens_union",
    "farmers_union",
    "veterans",
    "youth_union",
    "elder",
    "elder",
    "other",
    "other",
]
DISTRICT_CHAIRMAN = "Chủ tịch UBND xã"


def load_registry(demo) -> None:
    """Teams in every village, 3–8 mediators each, some deliberately not compliant."""
    rng = random.Random(315)
    villages = sorted(
        (u for u in demo.units.values() if u.level == Level.VILLAGE), key=lambda u: u.id
    )
    communes = {u.id: u for u in demo.units.values() if u.level == Level.COMMUNE}
    mediators, teams = [], []
    with refresh_later():
        for index, village in enumerate(villages):
            team = create_team(
                unit=village,
                decision_number=f"{10 + index}/QĐ-UBND",
                decision_date=date(2019, 6, 1 + index % 28),
            )
            teams.append(team)
            mediators += _fill_team(rng, team, index)
    with refresh_later():
        _supporters(rng, teams, communes)
    women = sum(m.sex == "F" for m in mediators)
    demo.report.append(f"Tổ hòa giải: {len(teams)}; hòa giải viên: {len(mediators)} ({women} nữ).")
    _trainings(rng, demo, mediators)


def _fill_team(rng, team, index):
    """3–8 members; every 9th team lacks a woman, every 13th has no leader, every 17th has 2."""
    size = 2 if index % 17 == 5 else rng.choice([5, 5, 6, 6, 7, 7, 8])
    members = []
    for position in range(size):
        sex = "F" if position == 1 else rng.choice("MMMF")
        if index % 9 == 3:
            sex = "M"
        recognised = date(2019, 6, 10) if rng.random() < 0.88 else date(2025, rng.randint(1, 9), 5)
        members.append(
            create_mediator(
                team=team,
                values=_person(rng, sex),
                decision={
                    "decision_number": f"{rng.randint(1, 250)}/QĐ-UBND",
                    "decision_date": recognised,
                    "signer": DISTRICT_CHAIRMAN,
                },
            )
        )
    if index % 13 != 7:
        # The leader is elected among the team's mediators after they are recognised.
        leader = min(members, key=lambda m: m.recognised_on)
        elected = max(date(2020, 1, 15), leader.recognised_on + timedelta(days=20))
        make_leader(leader, {"decision_number": f"{100 + index}/QĐ-UBND", "decision_date": elected})
    if index % 29 == 11 and len(members) > 3:
        leaving = members[-1]
        day = max(date(2025, 3, 20), leaving.recognised_on + timedelta(days=60))
        dismiss_mediator(
            leaving, "own_wish", {"decision_number": f"{200 + index}/QĐ-UBND", "decision_date": day}
        )
    return members


def _person(rng, sex):
    code = rng.choice(ETHNIC_MIX)
    families, male_middles, female_middles, male_names, female_names = PEOPLE[code]
    middle = rng.choice(female_middles if sex == "F" else male_middles)
    given = rng.choice(female_names if sex == "F" else male_names)
    return {
        "full_name": f"{rng.choice(families)} {middle} {given}",
        "sex": sex,
        "birth_year": rng.randint(1955, 1998),
        "ethnicity_code": code,
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.7 else None,
        "occupation": rng.choice(OCCUPATIONS),
        "background": rng.choice(BACKGROUNDS),
        "education": rng.choice(
            ["primary", "lower_secondary", "lower_secondary", "upper_secondary", "vocational"]
        ),
    }


SUPPORTERS = [
    ("Lò Văn Hùng", "police", "Công an xã"),
    ("Nguyễn Thị Thu Hà", "lawyer", "Đoàn Luật sư tỉnh Điện Biên"),
    ("Vàng A Sình", "army", "Đồn Biên phòng Sín Thầu"),
    ("Trần Văn Bình", "assessor", "Tòa án nhân dân khu vực"),
    ("Quàng Thị Kim", "legal_official", "Phòng Tư pháp huyện"),
    ("Đỗ Văn Mạnh", "jurist", "Hội Luật gia huyện"),
    ("Lường Văn Tuân", "police", "Công an xã"),
    ("Phạm Đức Toàn", "former_judge", "Nguyên thẩm phán TAND huyện"),
]


def _supporters(rng, teams, communes):
    """About 8% of teams supported by a legal professional (the plan's target: ≥ 5%)."""
    assert all(background in LEGAL_PROFESSIONAL for _, background, _ in SUPPORTERS)
    chosen = rng.sample(teams, 9)
    for (name, background, organisation), team in zip(SUPPORTERS, chosen, strict=False):
        supporter = create_supporter(
            unit=communes[team.commune_id],
            full_name=name,
            background=background,
            organisation=organisation,
        )
        attach_supporter(team, supporter, date(2024, 9, 1))


def _trainings(rng, demo, mediators):
    """District trainers and framework trainings; most mediators trained, some overdue."""
    district = demo.units["Huyện Mường Nhé"]
    trainers = [
        create_trainer(
            unit=district,
            full_name=name,
            sex=sex,
            background=background,
            position=position,
            materials_received=True,
        )
        for name, sex, background, position in [
            ("Lò Văn Thanh", "M", "justice_officer", "Trưởng phòng Tư pháp"),
            ("Nguyễn Văn Đức", "M", "judge", "Thẩm phán TAND khu vực"),
            ("Lường Thị Hoa", "F", "jurist", "Hội Luật gia huyện"),
            ("Sùng A Tủa", "M", "police", "Công an huyện"),
        ]
    ]
    sessions = [
        ("Tập huấn kỹ năng hòa giải ở cơ sở (Chương trình khung) – đợt 1", date(2024, 10, 15)),
        ("Tập huấn kỹ năng hòa giải ở cơ sở (Chương trình khung) – đợt 2", date(2025, 4, 22)),
        ("Bồi dưỡng kiến thức pháp luật về đất đai, hôn nhân và gia đình", date(2025, 9, 9)),
        ("Tập huấn kỹ năng hòa giải ở cơ sở (Chương trình khung) – đợt 3", date(2025, 11, 5)),
    ]
    active = [m for m in mediators if m.is_active]
    veterans = [m for m in active if m.recognised_on.year == 2019]
    rng.shuffle(veterans)
    recruits = [m for m in active if m.recognised_on.year == 2025]
    cohorts = [
        veterans[: len(veterans) // 2],
        veterans[len(veterans) // 2 :] + [m for m in recruits if m.recognised_on.month < 4],
        rng.sample(mediators, 60),
        [m for m in recruits if m.recognised_on.month >= 4],
    ]
    for number, ((title, day), cohort) in enumerate(zip(sessions, cohorts, strict=True)):
        training = create_training(
            unit=district,
            title=title,
            starts_on=day,
            level="district",
            is_framework=number != 2,
            location="Hội trường UBND huyện Mường Nhé",
            materials="Tài liệu bồi dưỡng kỹ năng hòa giải ở cơ sở của Bộ Tư pháp",
        )
        # A few missed their session: they are the overdue ones on the lists.
        attendees = [m for m in cohort if number == 2 or m.id % 25 != 3]
        add_attendees(
            training,
            mediator_ids=[m.id for m in attendees],
            trainer_ids=[t.id for t in trainers[: 2 + number % 2]],
        )
    demo.report.append(f"Tập huấn viên: {len(trainers)}; lớp tập huấn: {len(sessions)}.")
