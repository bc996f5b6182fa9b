"""Demo data of the logbook: about 400 cases of the Mường Nhé teams since 1 January of last
year, pay rates of Tỉnh Điện Biên and the payments of the older half-years (see docs/demo.md).

Deterministic (seeded random; the dates follow the clock's today). Every row is made through
the services, so that numbers, audit rows and paid amounts are what a person would get.
Results are allotted per commune and year so that the pilot commune stays above 90% every
year, a few remote communes stay below the 85% target and the others lie in between.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from app.clock import today
from app.extensions import db
from app.logbook.money import vnd
from app.logbook.rules import Party, Tally
from app.logbook.services import EntryValues, create_entry, create_pay_rate, pay_entries
from app.registry.demo import ETHNIC_MIX, PEOPLE
from app.registry.models import Mediator, Team
from app.units.models import Level

CASES = 400
PILOT_COMMUNE = "Xã Mường Nhé"
# The share of ended cases mediated successfully, per commune. Unlisted communes: 0.88.
SUCCESS = {
    PILOT_COMMUNE: 0.95,
    "Xã Sín Thầu": 0.78,  # far from the centre, many land disputes across the border belt
    "Xã Nậm Kè": 0.80,
    "Xã Chung Chải": 0.88,
    "Xã Quảng Lâm": 0.89,
}
# More cases in the sowing (March–May) and harvest (September–November) seasons and around Tết.
MONTH_WEIGHT = {1: 1.0, 2: 1.2, 3: 1.2, 4: 1.3, 5: 1.1, 6: 0.8, 7: 0.7, 8: 0.7, 9: 1.1}
MONTH_WEIGHT |= {10: 1.3, 11: 1.2, 12: 0.9}
OPEN_WITHIN_DAYS = 60  # cases received in the last two months may still be open
PAY_AFTER_DAYS = 150  # half-years that ended this long ago are paid (most teams)

PAY_RATES = (
    (date(2020, 1, 1), 200_000, "Mức minh họa (dữ liệu mẫu): 200.000 đồng/vụ việc/tổ"),
    (
        date(2025, 1, 1),
        300_000,
        "Mức minh họa (dữ liệu mẫu) trong giới hạn của Thông tư 56/2023/TT-BTC; không phải "
        "nghị quyết thật của HĐND tỉnh",
    ),
)


@dataclass(frozen=True)
class Kind:
    """A kind of case: its scope, the content written in the book (never a party's name), what
    the parties agreed, and each side's demands when they did not."""

    scope: str
    content: str
    agreement: str
    demands: str
    parties: tuple[int, int] = (2, 2)


KINDS = (
    Kind(
        "civil",
        "Tranh chấp ranh giới đất nương rẫy giáp ranh giữa hai hộ, diện tích khoảng {m2} m².",
        "Hai bên thống nhất cắm lại mốc ranh giới theo bờ đá cũ, có trưởng bản chứng kiến.",
        "Một bên yêu cầu giữ ranh giới theo bờ đá cũ; bên kia yêu cầu chia đôi phần đất giáp ranh.",
    ),
    Kind(
        "civil",
        "Trâu, bò thả rông phá hoại khoảng {kg} kg ngô nương của hộ bên cạnh.",
        "Chủ gia súc bồi thường {money} đồng và cam kết nhốt trâu, bò theo quy ước của bản.",
        "Bên bị thiệt hại yêu cầu bồi thường {money} đồng; chủ gia súc chỉ đồng ý trả một nửa.",
    ),
    Kind(
        "civil",
        "Nợ tiền mua phân bón, giống ngô vụ trước chưa trả đúng hẹn, số tiền {money} đồng.",
        "Bên nợ cam kết trả dần trong hai đợt sau vụ thu hoạch ngô.",
        "Bên cho nợ yêu cầu trả ngay cả gốc và lãi; bên nợ xin khất đến vụ sau.",
    ),
    Kind(
        "civil",
        "Tranh chấp lối đi chung vào khu nương, một hộ rào chắn lối đi cũ.",
        "Hộ rào chắn tháo dỡ hàng rào, hai bên cùng mở lại lối đi rộng 1,5 m.",
        "Một bên yêu cầu mở lại lối đi cũ; bên kia chỉ đồng ý mở lối đi vòng qua bờ suối.",
    ),
    Kind(
        "civil",
        "Tranh chấp nước tưới ruộng bậc thang: hộ ở trên chặn mương dẫn nước.",
        "Hai bên thống nhất chia lịch lấy nước theo ngày chẵn, ngày lẻ trong mùa cấy.",
        "Hộ ở dưới yêu cầu bỏ đập chắn; hộ ở trên chỉ đồng ý mở nước vào ban đêm.",
    ),
    Kind(
        "civil",
        "Anh chị em tranh chấp chia thừa kế mảnh đất vườn và nương do cha mẹ để lại.",
        "Các bên thống nhất chia theo hiện trạng canh tác, người con út giữ đất ở của bố mẹ.",
        "Một bên yêu cầu chia đều; các bên còn lại yêu cầu chia theo công chăm sóc cha mẹ.",
        (2, 3),
    ),
    Kind(
        "civil",
        "Vay tiền mua xe máy chưa trả, số tiền {money} đồng, đã quá hạn một năm.",
        "Bên vay trả trước một nửa, phần còn lại trả sau vụ thu hoạch thảo quả.",
        "Bên cho vay yêu cầu trả ngay; bên vay đề nghị trả dần trong hai năm.",
    ),
    Kind(
        "civil",
        "Đốt nương làm cháy lan sang khoảng {m2} m² rừng trồng của hộ bên cạnh.",
        "Bên gây cháy trồng lại cây và hỗ trợ {money} đồng tiền giống.",
        "Bên bị thiệt hại yêu cầu bồi thường {money} đồng; bên gây cháy chỉ nhận trồng lại cây.",
    ),
    Kind(
        "family",
        "Mâu thuẫn mẹ chồng nàng dâu trong sinh hoạt hằng ngày, hai bên không nói chuyện với nhau.",
        "Hai bên nhận phần thiếu sót, thống nhất con trai làm nhà riêng cạnh nhà bố mẹ.",
        "Nàng dâu yêu cầu ra ở riêng; mẹ chồng không đồng ý chia đất làm nhà.",
    ),
    Kind(
        "family",
        "Vợ chồng mâu thuẫn do người chồng thường xuyên uống rượu say, không làm nương.",
        "Người chồng cam kết bỏ rượu, cùng vợ làm nương; trưởng bản theo dõi việc thực hiện.",
        "Người vợ yêu cầu ly hôn; người chồng không đồng ý.",
    ),
    Kind(
        "family",
        "Vợ chồng mâu thuẫn, người vợ bế con về nhà bố mẹ đẻ ở bản bên.",
        "Hai bên gia đình thống nhất để người vợ trở về, người chồng xin lỗi trước dòng họ.",
        "Người vợ yêu cầu chia tài sản để ở riêng; người chồng yêu cầu vợ con trở về.",
    ),
    Kind(
        "family",
        "Anh em ruột mâu thuẫn về việc phụng dưỡng bố mẹ già yếu.",
        "Các anh em thống nhất thay nhau chăm bố mẹ, mỗi người góp 20 kg gạo mỗi tháng.",
        "Mỗi bên cho rằng bên kia phải nhận phụng dưỡng vì đã được chia nhiều đất hơn.",
        (2, 3),
    ),
    Kind(
        "family",
        "Mâu thuẫn giữa hai gia đình về tiền thách cưới và lễ vật.",
        "Hai gia đình thống nhất giảm lễ vật theo hương ước của bản, tổ chức cưới tiết kiệm.",
        "Nhà gái yêu cầu đủ lễ vật đã hứa; nhà trai xin giảm một nửa.",
    ),
    Kind(
        "other",
        "Hàng xóm xô xát, lời qua tiếng lại sau bữa rượu trong dịp lễ Tết.",
        "Hai bên xin lỗi nhau, cam kết không tái diễn; bên gây thương tích trả tiền thuốc.",
        "Một bên yêu cầu xin lỗi công khai trước bản; bên kia không đồng ý.",
    ),
    Kind(
        "other",
        "Chó thả rông cắn chết {hens} con gà của hộ bên cạnh.",
        "Chủ chó bồi thường gà giống và cam kết xích chó.",
        "Bên bị thiệt hại yêu cầu bồi thường bằng tiền; chủ chó chỉ nhận trả gà giống.",
    ),
    Kind(
        "other",
        "Mở loa đài hát karaoke đến khuya gây ồn ảnh hưởng các hộ xung quanh.",
        "Hộ gia đình cam kết không mở loa sau 22 giờ theo quy ước của bản.",
        "Các hộ xung quanh yêu cầu không mở loa; chủ hộ chỉ đồng ý giảm âm lượng.",
    ),
    Kind(
        "other",
        "Chuồng lợn xả nước thải ra suối đầu nguồn nước sinh hoạt của bản.",
        "Chủ hộ di chuyển chuồng lợn, làm hố xử lý nước thải trong một tháng.",
        "Các hộ dùng nước yêu cầu dỡ chuồng; chủ hộ xin thêm thời gian.",
    ),
)
INVITED = (
    "Trưởng bản",
    "Bí thư chi bộ bản",
    "Người có uy tín trong dòng họ",
    "Công chức địa chính - xây dựng xã",
    "Chi hội trưởng Chi hội Phụ nữ bản",
    "Công an viên phụ trách bản",
)


@dataclass
class Plan:
    """A case before it is written: where, when, how it ended."""

    team: Team
    commune: str
    kind: Kind
    received: date
    started: date | None
    ended: date | None
    result: str = "successful"
    stop_requested: bool = False


def load_logbook(demo) -> None:
    """The cases of the district's teams, the province's pay rates and the older payments."""
    rng = random.Random(2013)
    end = today()
    start = date(end.year - 1, 1, 1)
    communes = {u.id: u.name for u in demo.units.values() if u.level == Level.COMMUNE}
    teams = list(
        db.session.scalars(select(Team).where(Team.commune_id.in_(communes)).order_by(Team.id))
    )
    members = _members([team.id for team in teams])
    plans = _plans(rng, teams, communes, start, end)
    _allot_results(rng, plans)
    villages = {u.id: u for u in demo.units.values() if u.level == Level.VILLAGE}
    province = demo.units["Tỉnh Điện Biên"]
    for effective_from, amount, basis in PAY_RATES:
        create_pay_rate(province, effective_from=effective_from, amount=amount, basis=basis)
    pages: dict[int, int] = {}
    entries = []
    for plan in sorted(plans, key=lambda p: (p.received, p.team.id)):
        values = _values(rng, plan, members[plan.team.id], villages, pages)
        entries.append((plan, create_entry(plan.team, values)))
    paid, payments, total = _payments(rng, entries, end)
    _report(demo, plans, start, end, payments, paid, total)


def _members(team_ids: list[int]) -> dict[int, list[Mediator]]:
    found: dict[int, list[Mediator]] = {team_id: [] for team_id in team_ids}
    for mediator in db.session.scalars(
        select(Mediator).where(Mediator.team_id.in_(team_ids)).order_by(Mediator.id)
    ):
        found[mediator.team_id].append(mediator)
    return found


def _plans(rng, teams: list[Team], names: dict[int, str], start: date, end: date) -> list[Plan]:
    """CASES cases over the teams (some villages bring many more than others) and the days."""
    weights = [
        rng.uniform(0.3, 1.8) * (1.3 if names[t.commune_id] == PILOT_COMMUNE else 1.0)
        for t in teams
    ]
    plans = []
    for team in rng.choices(teams, weights, k=CASES):
        received = _day(rng, start, end)
        kind = rng.choice(KINDS)
        started = received + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
        ended = started + timedelta(days=rng.choice([0, 0, 1, 2, 3, 5, 7, 10, 15]))
        plan = Plan(team, names[team.commune_id], kind, received, started, ended)
        age = (end - received).days
        if age < OPEN_WITHIN_DAYS and rng.random() < 0.75 - age / OPEN_WITHIN_DAYS * 0.6:
            plan.ended = None
            plan.result = "in_progress"
            if rng.random() < 0.35:
                plan.started, plan.result = None, "pending"
        if plan.ended and plan.ended > end:
            plan.ended, plan.result = None, "in_progress"
        if plan.started and plan.started > end:
            plan.started, plan.result = None, "pending"
        plans.append(plan)
    return plans


def _day(rng, start: date, end: date) -> date:
    while True:
        day = start + timedelta(days=rng.randint(0, (end - start).days))
        if rng.random() * 1.3 < MONTH_WEIGHT[day.month]:
            return day


def _allot_results(rng, plans: list[Plan]) -> None:
    """Failed cases per commune and year, from the commune's share rounded half up over the
    years so far (so that each year and the whole period both come out near it; the pilot's
    kept strictly above 90% each year); one in four ended because a party asked to stop."""
    groups: dict[str, dict[int, list[Plan]]] = {}
    for plan in plans:
        if plan.ended is not None:
            groups.setdefault(plan.commune, {}).setdefault(plan.received.year, []).append(plan)
    for commune, years in sorted(groups.items()):
        share = Decimal(str(1 - SUCCESS.get(commune, 0.88)))
        ended_so_far = failed_so_far = 0
        for _year, ended in sorted(years.items()):
            ended_so_far += len(ended)
            due = (share * ended_so_far).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            failed = min(len(ended), max(0, int(due) - failed_so_far))
            while (
                commune == PILOT_COMMUNE and failed and (len(ended) - failed) * 10 <= len(ended) * 9
            ):
                failed -= 1
            failed_so_far += failed
            for plan in rng.sample(ended, failed):
                plan.result = "failed"
                plan.stop_requested = rng.random() < 0.25


def _values(rng, plan: Plan, team_members, villages, pages) -> EntryValues:
    kind = plan.kind
    fill = {
        "m2": rng.choice([150, 200, 300, 500, 800, 1200]),
        "kg": rng.choice([50, 80, 120, 200, 300]),
        "money": f"{rng.choice([500, 800, 1_200, 1_500, 2_000, 3_500, 5_000]) * 1000:,}".replace(
            ",", "."
        ),
        "hens": rng.randint(2, 9),
    }
    village = villages[plan.team.unit_id]
    # Now and then a party lives in another village of the commune.
    neighbours = [v.name for v in villages.values() if v.parent_id == village.parent_id]
    commune = plan.commune.replace("Xã ", "xã ", 1)
    parties = [
        Party(
            _name(rng),
            rng.randint(18, 85),
            f"{village.name if n == 0 or rng.random() < 0.8 else rng.choice(neighbours)}, "
            f"{commune}",
        )
        for n in range(rng.randint(*kind.parties))
    ]
    pages[plan.team.id] = pages.get(plan.team.id, 0) + rng.choice([1, 1, 2])
    successful = plan.result == "successful"
    settled = successful and rng.random() < 0.3
    note = None
    if settled:
        note = f"Đã lập văn bản hòa giải thành ngày {plan.ended:%d/%m/%Y}."
    elif plan.stop_requested:
        note = "Một bên đề nghị dừng hòa giải; đã hướng dẫn các bên gửi đơn đến UBND xã."
    elif plan.result == "failed":
        note = "Hướng dẫn các bên gửi đơn đến UBND xã để giải quyết theo thẩm quyền."
    elif plan.result == "pending":
        note = "Đã phân công hòa giải viên, chưa tiến hành hòa giải."
    return EntryValues(
        received_on=plan.received,
        started_on=plan.started,
        ended_on=plan.ended,
        content=kind.content.format(**fill),
        scope=kind.scope,
        result=plan.result,
        stop_requested=plan.stop_requested,
        page_number=pages[plan.team.id],
        invited_persons=", ".join(rng.sample(INVITED, rng.randint(1, 2)))
        if rng.random() < 0.4
        else None,
        agreement=(kind.agreement if successful else kind.demands).format(**fill)
        if plan.ended
        else None,
        written_settlement=settled,
        note=note,
        parties=parties,
        mediator_ids=_mediators_on(rng, plan.received, team_members),
    )


def _name(rng) -> str:
    """A name in the naming of one of the district's peoples (app/registry/demo.py)."""
    families, male_middles, female_middles, male_names, female_names = PEOPLE[
        rng.choice(ETHNIC_MIX)
    ]
    if rng.random() < 0.5:
        return f"{rng.choice(families)} {rng.choice(female_middles)} {rng.choice(female_names)}"
    return f"{rng.choice(families)} {rng.choice(male_middles)} {rng.choice(male_names)}"


def _mediators_on(rng, received: date, team_members: list[Mediator]) -> list[int]:
    """1–3 mediators of the team who were serving on the day the case was received."""
    serving = [
        m
        for m in team_members
        if (m.recognised_on is None or m.recognised_on <= received)
        and (m.dismissed_on is None or received <= m.dismissed_on)
    ]
    chosen = rng.sample(serving, min(len(serving), rng.choice([1, 2, 2, 3])))
    return [m.id for m in chosen]


def _payments(rng, entries, end: date) -> tuple[int, int, int]:
    """One payment per team per half-year that ended PAY_AFTER_DAYS before today, a few weeks
    after it; every eleventh team has not yet been paid its latest such half-year."""
    halves: dict[tuple[int, date], list] = {}
    for plan, entry in entries:
        if plan.ended is None:
            continue
        half_end = date(plan.ended.year, 6, 30) if plan.ended.month <= 6 else None
        half_end = half_end or date(plan.ended.year, 12, 31)
        if half_end <= end - timedelta(days=PAY_AFTER_DAYS):
            halves.setdefault((plan.team.id, half_end), []).append((plan.team, entry.id))
    latest = max((half for _, half in halves), default=None)
    paid = payments = total = 0
    for (team_id, half_end), cases in sorted(halves.items()):
        if half_end == latest and team_id % 11 == 3:
            continue
        team = cases[0][0]
        paid_on = half_end + timedelta(days=rng.randint(12, 40))
        payment = pay_entries(
            team,
            [entry_id for _, entry_id in cases],
            paid_on=paid_on,
            voucher=f"PC-{rng.randint(10, 99)}/{paid_on.year}",
            note="Chi thù lao hòa giải viên theo danh sách vụ việc đã kết thúc.",
        )
        paid, payments, total = (
            paid + payment.case_count,
            payments + 1,
            total + payment.total_amount,
        )
    return paid, payments, total


def _report(demo, plans, start, end, payments, paid, total) -> None:
    def tally(chosen) -> Tally:
        counts: dict[str, int] = {}
        for plan in chosen:
            counts[plan.result] = counts.get(plan.result, 0) + 1
        return Tally.from_counts(counts)

    everything = tally(plans)
    stopped = sum(p.stop_requested for p in plans)
    years = ", ".join(
        f"năm {year} {_percent(tally(p for p in plans if p.received.year == year))}"
        for year in range(start.year, end.year + 1)
    )
    pilot = tally(p for p in plans if p.commune == PILOT_COMMUNE)
    demo.report += [
        f"Sổ theo dõi hòa giải: {everything.received} vụ việc từ {start:%d/%m/%Y} đến "
        f"{end:%d/%m/%Y} ({everything.successful} thành, {everything.failed} không thành, "
        f"trong đó {stopped} yêu cầu chấm dứt; {everything.in_progress + everything.pending} "
        "đang hoặc chưa giải quyết).",
        f"Tỷ lệ hòa giải thành: {years}; {PILOT_COMMUNE} (chỉ đạo điểm) {_percent(pilot)}.",
        f"Thù lao: mức minh họa {vnd(PAY_RATES[0][1])} (từ {PAY_RATES[0][0]:%d/%m/%Y}), "
        f"{vnd(PAY_RATES[1][1])} (từ {PAY_RATES[1][0]:%d/%m/%Y}); {payments} đợt chi trả cho "
        f"{paid} vụ việc, tổng {vnd(total)}.",
    ]


def _percent(tally: Tally) -> str:
    return f"{tally.rate}%".replace(".", ",") if tally.rate is not None else "—"
