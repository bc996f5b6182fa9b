"""The commendations of ``flask demo`` (docs/demo.md): last year's decision of Huyện Mường Nhé
with 12 recipients numbered 1 to 12, a proposal returned and one forwarded to the province,
and this year's commune contest whose winners wait for review at the district. One run of the
demo serves every check: it takes seconds."""

import re
from collections import Counter
from datetime import date
from html import unescape

from sqlalchemy import func, select

from app.clock import today
from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    ProposalStep,
)
from app.contests.models import Contest
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.units.models import Unit


def _units(*names) -> list[int]:
    return [db.session.scalar(select(Unit.id).where(Unit.name == name)) for name in names]


def _check_decision(last_year: int) -> None:
    (decision,) = db.session.scalars(select(CommendationDecision))
    district, province = _units("Huyện Mường Nhé", "Tỉnh Điện Biên")
    assert (decision.number, decision.signed_on) == ("2145/QĐ-UBND", date(last_year, 12, 20))
    assert decision.unit_id == district and decision.form == "giay_khen_huyen"
    assert decision.issuer_name == "Ủy ban nhân dân huyện Mường Nhé"
    awards = db.session.scalars(
        select(CommendationAward).where(CommendationAward.decision_id == decision.id)
    ).all()
    assert sorted(a.serial for a in awards) == list(range(1, 13))
    assert {(a.year, a.book_unit_id, a.amount_vnd) for a in awards} == {
        (last_year, district, 500_000)
    }
    assert all(a.revocation_id is None for a in awards)
    proposals = db.session.scalars(
        select(CommendationProposal).where(
            CommendationProposal.id.in_([a.proposal_id for a in awards])
        )
    ).all()
    assert Counter(p.nominee_kind for p in proposals) == {"mediator": 10, "team": 2}
    assert len({p.commune_id for p in proposals if p.nominee_kind == "mediator"}) == 5
    for p in proposals:
        # Made by the nominee's commune, reviewed by the district, basis pulled.
        assert p.status == "decided" and p.year == last_year
        assert p.proposer_unit_id == p.commune_id and p.holder_unit_id == district
        assert p.basis_successful is not None and p.basis_compliant is not None
    steps = Counter(
        db.session.scalars(
            select(ProposalStep.action).where(
                ProposalStep.proposal_id.in_([p.id for p in proposals])
            )
        )
    )
    assert steps == {"submit": 12, "accept": 12, "decide": 12}
    assert province not in {p.holder_unit_id for p in proposals}


def _check_under_way(year: int) -> None:
    district, province = _units("Huyện Mường Nhé", "Tỉnh Điện Biên")
    open_ones = db.session.scalars(
        select(CommendationProposal).where(CommendationProposal.year == year)
    ).all()
    (returned,) = [p for p in open_ones if p.status == "returned"]
    assert "sổ theo dõi hoạt động hòa giải" in returned.return_reason
    (forwarded,) = [p for p in open_ones if p.form == "bang_khen_tinh"]
    assert (forwarded.status, forwarded.holder_unit_id) == ("submitted", province)
    assert forwarded.nominee_kind == "team"
    (contest,) = db.session.scalars(select(Contest).where(Contest.level == "commune"))
    assert contest.status == "published" and contest.year == year
    assert contest.name == f"Hội thi Hòa giải viên giỏi xã Mường Nhé năm {year}"
    pending = [p for p in open_ones if p.contest_id == contest.id]
    # Nhất, Nhì, Ba and two Khuyến khích: one proposal each, waiting at the district.
    assert len(pending) == 5
    assert {(p.status, p.holder_unit_id, p.nominee_kind) for p in pending} == {
        ("submitted", district, "mediator")
    }
    assert sorted(p.prize_name for p in pending) == sorted(
        ["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích", "Giải Khuyến khích"]
    )


def test_demo_commendations(app, make_client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    last_year = today().year - 1
    assert f"Quyết định số 2145/QĐ-UBND ngày 20/12/{last_year}" in result.output
    assert "5 đề nghị khen thưởng người đoạt giải chờ Phòng Tư pháp huyện xét" in result.output
    with app.app_context():
        _check_decision(last_year)
        _check_under_way(today().year)
        decision_id = db.session.scalar(select(CommendationDecision.id))
        counts = db.session.scalar(select(func.count()).select_from(CommendationProposal))

    # The district's officer prints the decision (12 rows in the annex) and its certificates.
    client = make_client()
    assert client.login("canbo", DEMO_PASSWORD).status_code == 303
    page = client.get(f"/commendations/decisions/{decision_id}/print").get_data(as_text=True)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "ỦY BAN NHÂN DÂN HUYỆN MƯỜNG NHÉ Số: 2145/QĐ-UBND" in text
    assert f"Mường Nhé, ngày 20 tháng 12 năm {last_year}" in text
    assert "Tặng Giấy khen cho 2 tập thể và 10 cá nhân" in text
    assert "Tổng số tiền thưởng: 6.000.000 đồng (Sáu triệu đồng)" in text
    assert "Tổng cộng (12) 6.000.000" in text
    certificates = client.get(f"/commendations/decisions/{decision_id}/certificates")
    assert certificates.get_data(as_text=True).count("Số vào sổ: ") == 12
    assert f"Số vào sổ: 012/{last_year}" in certificates.get_data(as_text=True)

    # make run calls the demo on every start: a loaded database is left as it is.
    again = runner.invoke(args=["demo", "--if-empty"])
    assert again.exit_code == 0 and "bỏ qua" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CommendationProposal)) == counts
        assert db.session.scalar(select(func.count()).select_from(CommendationDecision)) == 1
