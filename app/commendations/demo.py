"""Demo data of commendation (see docs/demo.md): last year's decision of Huyện Mường Nhé with
its 12 recipients and their certificates' serials, a proposal returned to its commune and one
forwarded to the province, and this year's commune contest whose winners wait for review at
the district. Everything goes through the area's services (proposals, review, decisions) and
the contest's importer, as the screens and ``flask contests import`` do. Deterministic: the
choices follow the registry's and the logbook's demo data; the dates follow the clock's today.
"""

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.clock import today
from app.commendations.models import CommendationProposal, ProposalStep
from app.commendations.rules import amount_text
from app.commendations.services.contest import default_form, propose_contest_winners
from app.commendations.services.decisions import DecisionValues, create_decision
from app.commendations.services.proposals import make_proposal
from app.commendations.services.review import accept_proposal, forward_proposal, return_proposal
from app.contests.interchange import FORMAT_NAME, FORMAT_VERSION, import_contest
from app.contests.interchange.shape import iso_datetime
from app.contests.models import Contest, ContestRound
from app.contests.services.results import publish_round
from app.extensions import db
from app.logbook.models import LogbookEntry
from app.logbook.queries import tallies_by
from app.registry.models import Mediator, Team
from app.text import fold

PROVINCE, DISTRICT = "Tỉnh Điện Biên", "Huyện Mường Nhé"
CONTEST_COMMUNE = "Xã Mường Nhé"
# Two team leaders of each of these communes are among last year's recipients.
DECISION_COMMUNES = (
    "Xã Mường Nhé",
    "Xã Chung Chải",
    "Xã Mường Toong",
    "Xã Quảng Lâm",
    "Xã Huổi Lếnh",
)
DECISION_NUMBER = "2145/QĐ-UBND"
DECISION_ISSUER = "Ủy ban nhân dân huyện Mường Nhé"
DECISION_SIGNER = "Lò Văn Chiến"  # a made-up chairman: the demo names no real official
AMOUNT = 500_000
MEDIATOR_ACHIEVEMENTS = (
    "Có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm {year}",
    "Có thành tích trong hòa giải các tranh chấp đất nương rẫy, góp phần giữ gìn đoàn kết "
    "trong bản năm {year}",
    "Có thành tích xuất sắc trong thực hiện nhiệm vụ tổ trưởng tổ hòa giải năm {year}",
)
TEAM_ACHIEVEMENT = (
    "Có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm {year}: hòa giải thành "
    "{successful}/{ended} vụ việc, tổ đủ số lượng, thành phần theo quy định"
)
RETURN_REASON = (
    "Đề nghị chưa nêu số vụ việc hòa giải viên trực tiếp tham gia hòa giải thành trong năm; "
    "đề nghị xã bổ sung từ sổ theo dõi hoạt động hòa giải rồi gửi lại."
)
# (full name, title) of the commune contest's panel: judges without an account, working at
# the commune (above the villages of the entries: no conflict of interest).
JUDGES = (
    ("Sùng A Lử", "Phó Chủ tịch UBND xã", True),
    ("Lường Thị Hoa", "Chủ tịch Hội Liên hiệp Phụ nữ xã", False),
    ("Quàng Văn Ươi", "Trưởng Công an xã", False),
)
# Per contestant, from the best: the level of the judges' marks and the quiz's right answers
# out of 20. Every total differs: the prize table is filled without a tie.
LEVELS = ((Decimal("0.92"), 19), (Decimal("0.86"), 18), (Decimal("0.80"), 16))
LEVELS += ((Decimal("0.74"), 15), (Decimal("0.68"), 13), (Decimal("0.62"), 12))
SPREAD = (Decimal("-0.25"), Decimal(0), Decimal("0.25"))  # the three judges around the level
STEP = Decimal("0.25")


def load_commendations(demo) -> None:
    """Last year's district decision, a returned and a forwarded proposal, and the winners of
    this year's commune contest proposed and waiting at the district."""
    officer = demo.users["canbo"]
    last_year = today().year - 1
    decision = _last_years_decision(demo, officer, last_year)
    returned, forwarded = _proposals_under_way(demo, officer)
    contest, pending = _commune_contest(demo, officer)
    demo.report += [
        f"Khen thưởng: {decision} ngày {decision.signed_on:%d/%m/%Y} của Chủ tịch UBND huyện "
        f"Mường Nhé: Giấy khen cho 12 hòa giải viên và tổ hòa giải (số vào sổ 001–012/"
        f"{last_year}, {amount_text(AMOUNT)} đ mỗi người, mỗi tổ).",
        f"  Đề nghị bị trả lại: {returned.nominee_name}; chuyển lên tỉnh (Bằng khen): "
        f"{forwarded.nominee_name}.",
        f"  “{contest.name}”: đã công bố; {pending} đề nghị khen thưởng người đoạt giải chờ "
        "Phòng Tư pháp huyện xét.",
    ]


# Last year's decision


def _last_years_decision(demo, officer, year: int):
    """12 proposals made by the communes, accepted by the district, decided on 20/12."""
    district = demo.units[DISTRICT]
    mediators = _leaders(demo, year)
    teams = _best_teams(district.id, year)
    proposals = []
    for n, mediator in enumerate(mediators):
        text = MEDIATOR_ACHIEVEMENTS[n % len(MEDIATOR_ACHIEVEMENTS)].format(year=year)
        proposals.append(_commune_proposal(demo, mediator, "giay_khen_huyen", text, year))
    for team, tally in teams:
        text = TEAM_ACHIEVEMENT.format(successful=tally.successful, ended=tally.ended, year=year)
        proposals.append(_commune_proposal(demo, team, "giay_khen_huyen", text, year))
    for proposal in proposals:
        accept_proposal(proposal, officer)
    decision = create_decision(
        officer,
        district,
        DecisionValues(
            number=DECISION_NUMBER,
            signed_on=date(year, 12, 20),
            issuer_name=DECISION_ISSUER,
            signer_title="Chủ tịch",
            signer_name=DECISION_SIGNER,
            achievement=f"Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm {year}",
            amount_vnd=AMOUNT,
            form="giay_khen_huyen",
        ),
        [p.id for p in proposals],
    )
    _date_steps(
        [p.id for p in proposals],
        {"submit": date(year, 11, 25), "accept": date(year, 12, 10), "decide": date(year, 12, 20)},
    )
    return decision


def _leaders(demo, year: int) -> list[Mediator]:
    """Two active, trained team leaders of each commune of DECISION_COMMUNES, recognised
    before the year (the first by id)."""
    ids = [demo.units[name].id for name in DECISION_COMMUNES]
    leaders = db.session.scalars(
        select(Mediator)
        .where(
            Mediator.commune_id.in_(ids),
            Mediator.status == "active",
            Mediator.role == "leader",
            Mediator.recognised_on < date(year, 1, 1),
            Mediator.trained_on.is_not(None),
        )
        .order_by(Mediator.id)
    ).all()
    chosen = []
    for commune_id in ids:
        chosen += [m for m in leaders if m.commune_id == commune_id][:2]
    return chosen


def _best_teams(district_id: int, year: int) -> list:
    """The two compliant teams with the most successful cases in the year (then the rate)."""
    tallies = tallies_by(
        LogbookEntry.team_id,
        LogbookEntry.district_id == district_id,
        date(year, 1, 1),
        date(year, 12, 31),
    )
    teams = db.session.scalars(
        select(Team).where(Team.id.in_(tallies), Team.is_compliant).order_by(Team.id)
    ).all()
    ranked = sorted(teams, key=lambda t: (-tallies[t.id].successful, tallies[t.id].failed, t.id))
    return [(team, tallies[team.id]) for team in ranked[:2]]


def _commune_proposal(demo, nominee, form: str, achievement: str, year: int, since=None):
    """A proposal for the year (or the years since ``since``) made by the nominee's commune
    (by its staff's account where the demo has one), sent to the district."""
    commune_id = nominee.commune_id
    proposer = demo.users["congchuc"] if commune_id == demo.users["congchuc"].unit_id else None
    return make_proposal(
        proposer,
        nominee,
        form=form,
        achievement=achievement,
        period_start=since or year,
        period_end=year,
        basis_note=None,
        proposer_unit_id=commune_id,
        year=year,
    )


def _date_steps(proposal_ids: list[int], days: dict[str, date]) -> None:
    """Put the steps of last year's proposals on the days they were taken (10:00)."""
    steps = db.session.scalars(
        select(ProposalStep).where(ProposalStep.proposal_id.in_(proposal_ids))
    )
    for step in steps:
        if step.action in days:
            step.at = _at(days[step.action], 10)


# This year's proposals under way


def _proposals_under_way(demo, officer) -> tuple[CommendationProposal, CommendationProposal]:
    """A mediator of Xã Sín Thầu returned to the commune for more data, and a team of Xã
    Mường Nhé proposed for the province's Bằng khen, forwarded there by the district."""
    year = today().year
    mediator = db.session.scalars(
        select(Mediator)
        .where(
            Mediator.commune_id == demo.units["Xã Sín Thầu"].id,
            Mediator.status == "active",
            Mediator.role == "leader",
        )
        .order_by(Mediator.id)
        .limit(1)
    ).one()
    returned = _commune_proposal(
        demo,
        mediator,
        "giay_khen_huyen",
        f"Có thành tích trong công tác hòa giải ở cơ sở năm {year}",
        year,
    )
    return_proposal(returned, officer, RETURN_REASON)
    team = db.session.scalars(
        select(Team)
        .where(Team.commune_id == demo.units[CONTEST_COMMUNE].id, Team.is_compliant)
        .order_by(Team.id)
        .limit(1)
    ).one()
    forwarded = _commune_proposal(
        demo,
        team,
        "bang_khen_tinh",
        f"Có thành tích tiêu biểu trong công tác hòa giải ở cơ sở của xã chỉ đạo điểm giai "
        f"đoạn {year - 2}–{year}",
        year,
        since=year - 2,
    )
    forward_proposal(forwarded, officer)
    return returned, forwarded


# This year's commune contest


def _commune_contest(demo, officer) -> tuple[Contest, int]:
    """The contest, imported as a file, its one round published; its winners proposed."""
    contest = import_contest(_contest_file(demo)).contest
    (final,) = db.session.scalars(select(ContestRound).where(ContestRound.contest_id == contest.id))
    publish_round(final, user=None, reason=None)
    made = propose_contest_winners(contest, officer, default_form(contest))
    return contest, len(made)


def _contest_file(demo) -> dict:
    """Hội thi Hòa giải viên giỏi xã Mường Nhé: 6 mediators of the commune, one round of
    three parts, three judges, every sheet submitted."""
    year = today().year
    held = max(today() - timedelta(days=60), date(year, 1, 1))
    commune = demo.units[CONTEST_COMMUNE]
    mediators = _contestants(commune.id)
    villages = {u.id: u for u in demo.units.values() if u.parent_id == commune.id}
    commune_key = "xa-muong-nhe"
    units = [{"key": commune_key, "path": f"{PROVINCE}/{DISTRICT}/{commune.name}"}]
    entries, sheets, quiz = [], [], []
    for n, mediator in enumerate(mediators):
        village = villages[mediator.unit_id]
        village_key = f"ban-{n}"
        units.append(
            {"key": village_key, "path": f"{PROVINCE}/{DISTRICT}/{commune.name}/{village.name}"}
        )
        entry_key = f"TS{n + 1}"
        entries.append(
            {
                "key": entry_key,
                "name": f"{mediator.full_name} ({village.name})",
                "unit": village_key,
                "members": [
                    {
                        "role": "captain",
                        "full_name": mediator.full_name,
                        "birth_year": mediator.birth_year,
                        "sex": mediator.sex,
                        "unit": commune_key,
                        "registry": {"unit": commune_key},
                    }
                ],
            }
        )
        level, right = LEVELS[n]
        for part, maximum in (("GT", Decimal(20)), ("TH", Decimal(50))):
            for j, spread in enumerate(SPREAD, start=1):
                value = (maximum * level / STEP).to_integral_value() * STEP + spread
                sheets.append(
                    {
                        "judge": f"J{j}",
                        "entry": entry_key,
                        "part": part,
                        "status": "submitted",
                        "submitted_at": iso_datetime(_at(held, 11)),
                        "marks": [{"criterion": None, "value": f"{value:.2f}"}],
                    }
                )
        quiz.append(
            {
                "entry": entry_key,
                "part": "KT",
                "value": f"{Decimal('1.5') * right:.2f}",
                "correct_answers": right,
                "question_count": 20,
            }
        )
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "units": units,
        "contest": {
            "name": f"Hội thi Hòa giải viên giỏi xã Mường Nhé năm {year}",
            "level": "commune",
            "year": year,
            "organiser": commune_key,
            "rule_document": "08/TL-BTC",
            "status": "judging",
            "note": "Dữ liệu mẫu: hội thi minh họa, không phải hội thi thật.",
            "entry_kind": "individual",
            "official_count": 1,
            "reserve_min": 0,
            "reserve_max": 0,
            "actor_max": 0,
            "frozen_at": iso_datetime(_at(held, 7)),
        },
        "prizes": [
            {"name": "Giải Nhất", "count": 1},
            {"name": "Giải Nhì", "count": 1},
            {"name": "Giải Ba", "count": 1},
            {"name": "Giải Khuyến khích", "count": 2},
        ],
        "entries": entries,
        "rounds": [
            {
                "key": "CK",
                "name": "Vòng chung khảo",
                "kind": "final",
                "held_on": held.isoformat(),
                "venue": "Hội trường UBND xã Mường Nhé",
                "status": "judging",
                "parts": [
                    {
                        "key": "GT",
                        "name": "Giới thiệu, chào hỏi",
                        "kind": "intro",
                        "max_points": "20",
                    },
                    {
                        "key": "KT",
                        "name": "Kiến thức pháp luật (trắc nghiệm)",
                        "kind": "knowledge",
                        "max_points": "30",
                        "scored_by": "secretary",
                    },
                    {
                        "key": "TH",
                        "name": "Xử lý tình huống",
                        "kind": "situation",
                        "max_points": "50",
                    },
                ],
                "entries": [
                    {"entry": e["key"], "order": n, "drawn_at": iso_datetime(_at(held, 7, 45))}
                    for n, e in enumerate(entries, start=1)
                ],
                "judges": [
                    {
                        "key": f"J{j}",
                        "full_name": name,
                        "title": title,
                        "unit": commune_key,
                        "is_head": head,
                        "declared_at": iso_datetime(_at(held, 7, 30)),
                    }
                    for j, (name, title, head) in enumerate(JUDGES, start=1)
                ],
                "sheets": sheets,
                "secretary_marks": quiz,
            }
        ],
    }


def _contestants(commune_id: int) -> list[Mediator]:
    """Six active recognised mediators of the commune, spread over its villages, each the only
    one of their name and birth year there (so that the import finds them again)."""
    mediators = db.session.scalars(
        select(Mediator)
        .where(
            Mediator.commune_id == commune_id,
            Mediator.status == "active",
            Mediator.recognised_on.is_not(None),
        )
        .order_by(Mediator.id)
    ).all()
    seen = Counter((fold(m.full_name), m.birth_year) for m in mediators)
    unique = [m for m in mediators if seen[(fold(m.full_name), m.birth_year)] == 1]
    return unique[:: max(1, len(unique) // 6)][:6]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Vietnamese wall-clock time of a day, as stored (UTC)."""
    return datetime.combine(day, time(hour)) + timedelta(minutes=minute - 7 * 60)
