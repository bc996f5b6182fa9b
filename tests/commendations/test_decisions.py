"""Decisions (issue 6 "Decisions"): recording one over accepted proposals (an award each,
numbered in the issuing unit's book), the number unique for the body and the year, its page,
a correction, and revoking awards (never twice; revoked awards stay listed)."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.commendations.models import (
    CommendationAward,
    CommendationDecision,
    CommendationProposal,
    CommendationRevocation,
    ProposalStep,
)
from app.commendations.services import decisions as services
from app.commendations.services import revocations
from app.extensions import db
from tests.commendations.factories import make_decision, make_proposal
from tests.queries import count_queries
from tests.test_authorization_matrix import fingerprint

NEW = "/commendations/decisions/new"


def body(response) -> str:
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def decision_form(world, chosen, **values) -> dict:
    data = {
        "form": "giay_khen_huyen",
        "unit": str(world.d1),
        "proposals": [str(p) for p in chosen],
        "number": "20/QĐ-UBND",
        "signed_on": "15/01/2026",
        "issuer_name": "Ủy ban nhân dân huyện Beta",
        "signer_title": "Chủ tịch",
        "signer_name": "Lò Văn Thanh",
        "achievement": "Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm 2025",
        "amount_vnd": "500000",
        "legal_basis": services.DEFAULT_LEGAL_BASIS,
    }
    data.update(values)
    return data


def accepted(app, world, *, team=False, year=2026, form="giay_khen_huyen", **values) -> int:
    """One more accepted proposal in C1 held by D1 (mediator1, or team1)."""
    with app.app_context():
        nominee = {"team_id": world.team1} if team else {"mediator_id": world.mediator1}
        made = make_proposal(
            **nominee, holder_unit_id=world.d1, status="accepted", year=year, form=form, **values
        )
        db.session.commit()
        return made.id


def awards_of(app, decision_id) -> list[tuple]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    CommendationAward.proposal_id,
                    CommendationAward.serial,
                    CommendationAward.year,
                    CommendationAward.amount_vnd,
                    CommendationAward.revocation_id.is_not(None),
                )
                .where(CommendationAward.decision_id == decision_id)
                .order_by(CommendationAward.serial)
            )
        ]


def newest_decision(app) -> CommendationDecision:
    with app.app_context():
        found = db.session.scalars(
            select(CommendationDecision).order_by(CommendationDecision.id.desc())
        ).first()
        db.session.expunge(found)
        return found


def status_of(app, proposal_id) -> str:
    with app.app_context():
        return db.session.get(CommendationProposal, proposal_id).status


# The form


def test_the_form_offers_the_accepted_proposals_and_sensible_defaults(app, world, login_as):
    client = login_as("officer")
    page = client.get(NEW)
    assert page.status_code == 200
    html = body(page)
    # The district's own form, proposal1b (team1, accepted) ticked; nothing decided or pending.
    assert re.search(rf'name="proposals" value="{world.proposal1b}" checked', html)
    offered = re.findall(r'name="proposals" value="(\d+)"', html)
    assert offered == [str(world.proposal1b)]
    assert 'value="Ủy ban nhân dân huyện Beta MARKER-D1"' in html
    assert 'value="Chủ tịch"' in html
    assert "Căn cứ Luật Hòa giải ở cơ sở ngày 20 tháng 6 năm 2013;" in html
    assert "Hòa giải thành nhiều vụ việc MARKER-C1</textarea>" in html
    # The issuing units: the district and its communes.
    options = re.findall(r'<option (?:selected )?value="(\d+)"', html)
    assert {str(world.d1), str(world.c1), str(world.c2)} <= set(options)
    assert page.headers["Vary"] == "HX-Request" or "HX-Request" in page.headers["Vary"]


def test_choosing_a_form_swaps_the_candidates(app, world, login_as):
    medal = accepted(app, world, form="bang_khen_bo")
    client = login_as("officer")
    fragment = client.get(f"{NEW}?form=bang_khen_bo", htmx="decision-candidates")
    assert fragment.status_code == 200
    html = body(fragment)
    assert "<html" not in html and 'id="decision-candidates"' in html
    assert f'value="{medal}" checked' in html and f'value="{world.proposal1b}"' not in html
    assert '<input type="hidden" name="form" value="bang_khen_bo">' in html
    # The body and signer follow the form (out of band).
    assert 'hx-swap-oob="true"' in html
    assert 'value="Bộ Tư pháp"' in html and 'value="Bộ trưởng"' in html
    # Without JS, the same choice is a plain GET of the page.
    page = body(client.get(f"{NEW}?form=bang_khen_bo"))
    assert "<html" in page and 'value="Bộ Tư pháp"' in page
    empty = body(client.get(f"{NEW}?form=bieu_duong", htmx="decision-candidates"))
    assert "Chưa có đề nghị nào" in empty


# Recording a decision


def test_record_a_decision(app, world, login_as):
    client = login_as("officer")
    response = client.post(NEW, data=decision_form(world, [world.proposal1b]))
    assert response.status_code == 303, text_of(body(response))[:2000]
    decision = newest_decision(app)
    assert response.headers["Location"].endswith(f"/commendations/decisions/{decision.id}")
    assert (decision.number, decision.year, decision.unit_id) == ("20/QĐ-UBND", 2026, world.d1)
    assert (decision.district_id, decision.province_id) == (world.d1, world.p1)
    assert awards_of(app, decision.id) == [(world.proposal1b, 1, 2026, 500_000, False)]
    assert status_of(app, world.proposal1b) == "decided"
    with app.app_context():
        step = db.session.scalars(
            select(ProposalStep)
            .where(ProposalStep.proposal_id == world.proposal1b)
            .order_by(ProposalStep.id.desc())
        ).first()
        assert (step.action, step.reason) == ("decide", "20/QĐ-UBND")
        award = db.session.scalar(
            select(CommendationAward).where(CommendationAward.proposal_id == world.proposal1b)
        )
        assert (award.team_id, award.commune_id) == (world.team1, world.c1)
    page = client.get(f"/commendations/decisions/{decision.id}")
    words = text_of(body(page))
    assert "Đã ghi Quyết định số 20/QĐ-UBND: 1 khen thưởng." in words
    assert "001/2026" in words and "500.000 đ" in words


def test_serials_continue_in_the_book_and_restart_next_year(app, world, login_as):
    client = login_as("officer")
    # decision1 (D1, 2025) gave serial 1 of the 2025 book.
    first = accepted(app, world, year=2025)
    second = accepted(app, world, team=True, year=2025)
    response = client.post(
        NEW,
        data=decision_form(world, [first, second], number="30/QĐ-UBND", signed_on="20/12/2025"),
    )
    assert response.status_code == 303
    serials = [serial for _, serial, *_ in awards_of(app, newest_decision(app).id)]
    assert serials == [2, 3]
    response = client.post(NEW, data=decision_form(world, [world.proposal1b]))
    assert response.status_code == 303
    assert awards_of(app, newest_decision(app).id)[0][1:3] == (1, 2026)


def test_a_number_is_unique_for_the_body_and_the_year(app, world, login_as):
    client = login_as("officer")
    first = accepted(app, world, year=2025)
    before = fingerprint(app)
    # decision1: 15/QĐ-UBND of "Ủy ban nhân dân Huyện Beta MARKER-D1" in 2025; case,
    # spaces and diacritics do not make another number.
    response = client.post(
        NEW,
        data=decision_form(
            world,
            [first],
            number=" 15/qd-ubnd ",
            issuer_name="Ủy ban nhân dân  huyện Beta MARKER-D1",
            signed_on="01/12/2025",
        ),
    )
    assert response.status_code == 422
    assert (
        "Số quyết định 15/qd-ubnd đã dùng cho một quyết định khác của Ủy ban nhân dân  huyện "
        "Beta MARKER-D1 năm 2025." in body(response)
    )
    assert fingerprint(app) == before
    # The same number the next year, or of another body, is another decision.
    for values in (
        {"number": "15/QĐ-UBND", "issuer_name": "Ủy ban nhân dân huyện Beta MARKER-D1"},
        {
            "number": "15/QĐ-UBND",
            "signed_on": "01/12/2025",
            "issuer_name": "Ủy ban nhân dân xã Gamma",
        },
    ):
        target = accepted(app, world, year=2025)
        response = client.post(NEW, data=decision_form(world, [target], **values))
        assert response.status_code == 303, text_of(body(response))[:1500]


def test_a_number_taken_meanwhile_is_refused_with_the_same_words(app, world, login_as, monkeypatch):
    """Two saves at once: the check passed for both, the database refuses the second."""
    client = login_as("officer")
    monkeypatch.setattr(services, "_number_taken", lambda values, except_id: False)
    first = accepted(app, world, year=2025)
    before = fingerprint(app)
    response = client.post(
        NEW,
        data=decision_form(
            world,
            [first],
            number="15/QĐ-UBND",
            issuer_name="Ủy ban nhân dân Huyện Beta MARKER-D1",
            signed_on="01/12/2025",
        ),
    )
    assert response.status_code == 422
    assert "Số quyết định 15/QĐ-UBND đã dùng cho một quyết định khác" in body(response)
    assert fingerprint(app) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"amount_vnd": "-1"}, "Số tiền thưởng không được âm."),
        ({"amount_vnd": "5tr"}, "Nhập số tiền bằng chữ số"),
        ({"number": ""}, "Nhập số quyết định."),
        ({"number": "QĐ 12"}, "Số quyết định viết như “123/QĐ-UBND”"),
        ({"signed_on": ""}, "Nhập ngày ký quyết định."),
        ({"signed_on": "31/02/2026"}, "Ngày không hợp lệ"),
        ({"signed_on": "01/01/2099"}, "Ngày ký không được sau ngày hôm nay."),
        ({"signer_name": " "}, "Nhập họ tên người ký."),
        ({"achievement": ""}, "Nhập thành tích được khen thưởng."),
        ({"proposals": []}, "Chọn ít nhất một đề nghị đã được chấp thuận."),
        ({"unit": "999999"}, "Chọn cơ quan ban hành trong phạm vi của bạn"),
    ],
)
def test_bad_input_is_refused_next_to_its_field(app, world, login_as, values, message):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(NEW, data=decision_form(world, [world.proposal1b], **values))
    assert response.status_code == 422
    assert message in body(response)
    assert '<p class="error"' in body(response)
    assert fingerprint(app) == before


def test_proposals_a_decision_may_not_cover(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    # Not accepted (proposal1 is waiting for review).
    response = client.post(NEW, data=decision_form(world, [world.proposal1b, world.proposal1]))
    assert response.status_code == 422
    assert "Giàng Thị Mai MARKER-C1: chưa được chấp thuận (chờ xét)" in body(response)
    # Decided already (proposal2, by decision1).
    response = client.post(NEW, data=decision_form(world, [world.proposal2]))
    assert "chưa được chấp thuận (đã có quyết định)" in body(response)
    # Another form.
    response = client.post(
        NEW, data=decision_form(world, [world.proposal1b], form="bang_khen_tinh")
    )
    assert "đề nghị hình thức khác (Giấy khen của Chủ tịch UBND cấp huyện)" in body(response)
    # A commune's body covers its own nominees only (team1 is in C1, not C2).
    response = client.post(NEW, data=decision_form(world, [world.proposal1b], unit=str(world.c2)))
    assert "không thuộc Xã Epsilon MARKER-C2" in body(response)
    # Another province's proposal is not named.
    response = client.post(NEW, data=decision_form(world, [world.proposal1b, world.proposal3]))
    assert response.status_code == 422
    assert "không có hoặc không thuộc phạm vi của bạn" in body(response)
    assert "MARKER-C3" not in body(response)
    # Another province's body.
    response = client.post(NEW, data=decision_form(world, [world.proposal1b], unit=str(world.p2)))
    assert "Chọn cơ quan ban hành trong phạm vi của bạn" in body(response)
    assert fingerprint(app) == before


def test_the_medal_given_already_is_refused_in_a_decision(app, world, login_as):
    with app.app_context():
        first = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
            year=2024,
        )
        make_decision(
            unit_id=world.p1,
            proposals=[first],
            number="88/QĐ-BTP",
            issuer_name="Bộ Tư pháp",
            signed_on=date(2024, 11, 5),
        )
        second = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
        )
        db.session.commit()
        second_id = second.id
    client = login_as("admin")
    before = fingerprint(app)
    response = client.post(
        NEW,
        data=decision_form(
            world,
            [second_id],
            form="ky_niem_chuong",
            unit=str(world.p1),
            issuer_name="Bộ Tư pháp",
            signer_title="Bộ trưởng",
        ),
    )
    assert response.status_code == 422
    assert "chỉ tặng một lần trong đời" in body(response)
    assert fingerprint(app) == before


# Its page


def test_the_decision_page(app, world, login_as):
    for role in ("officer", "viewer", "admin"):
        page = login_as(role).get(f"/commendations/decisions/{world.decision1}")
        assert page.status_code == 200
        words = text_of(body(page))
        assert "Quyết định số 15/QĐ-UBND ngày 20/12/2025" in words
        assert "001/2025 Giàng Thị Mai MARKER-C2" in words
        assert "Tổng tiền thưởng 500.000 đ" in words
        assert "In quyết định" in words and "In giấy khen" in words
        assert ("Đính chính" in words) == (role != "viewer")
    assert (
        login_as("commune_staff").get(f"/commendations/decisions/{world.decision1}").status_code
        == 404
    )
    assert login_as("officer").get(f"/commendations/decisions/{world.decision3}").status_code == 404
    html = body(login_as("officer").get(f"/commendations/decisions/{world.decision1}", htmx=True))
    assert f'href="/commendations/proposals/{world.proposal2}"' in html
    # The proposal's page shows its award and links back.
    words = text_of(body(login_as("officer").get(f"/commendations/proposals/{world.proposal2}")))
    assert "Quyết định số 15/QĐ-UBND ngày 20/12/2025" in words and "001/2025" in words


def test_the_page_runs_a_fixed_number_of_queries(app, world, login_as):
    """P3: three recipients (one revoked) cost what one does."""
    client = login_as("officer")
    path = f"/commendations/decisions/{world.decision1}"
    one = count_queries(app, client, path)
    with app.app_context():
        decision = db.session.get(CommendationDecision, world.decision1)
        for n, team in enumerate((False, True), start=2):
            nominee = {"team_id": world.team2} if team else {"mediator_id": world.mediator1}
            p = make_proposal(**nominee, holder_unit_id=world.d1, status="decided", year=2025)
            db.session.add(
                CommendationAward(
                    decision_id=decision.id,
                    proposal_id=p.id,
                    form=decision.form,
                    year=2025,
                    book_unit_id=world.d1,
                    serial=n,
                    amount_vnd=500_000,
                    unit_id=p.unit_id,
                    commune_id=p.commune_id,
                    district_id=p.district_id,
                    province_id=p.province_id,
                )
            )
        db.session.commit()
    assert count_queries(app, client, path) == one


# Correcting it


def edit_form(**values) -> dict:
    data = {
        "number": "15/QĐ-UBND",
        "signed_on": "22/12/2025",
        "issuer_name": "Ủy ban nhân dân Huyện Beta MARKER-D1",
        "signer_title": "Phó Chủ tịch",
        "signer_name": "Quàng Văn Ươi",
        "achievement": "Đã có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm 2025",
        "amount_vnd": "700000",
        "legal_basis": "Căn cứ Luật Hòa giải ở cơ sở;",
        "note": "",
        "version": "1",
    }
    data.update(values)
    return data


def test_correct_a_decision(app, world, login_as):
    client = login_as("officer")
    path = f"/commendations/decisions/{world.decision1}/edit"
    page = client.get(path)
    assert page.status_code == 200
    assert 'value="15/QĐ-UBND"' in body(page) and "nhật ký hệ thống" in body(page)
    response = client.post(path, data=edit_form())
    assert response.status_code == 303
    with app.app_context():
        decision = db.session.get(CommendationDecision, world.decision1)
        assert (decision.signer_title, decision.signer_name) == ("Phó Chủ tịch", "Quàng Văn Ươi")
        assert decision.signed_on == date(2025, 12, 22) and decision.amount_vnd == 700_000
    assert awards_of(app, world.decision1) == [(world.proposal2, 1, 2025, 700_000, False)]
    # The form read at version 1 is stale now.
    stale = client.post(path, data=edit_form(signer_name="Người Khác"))
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(CommendationDecision, world.decision1).signer_name == "Quàng Văn Ươi"


def test_a_correction_keeps_the_rules(app, world, login_as):
    client = login_as("officer")
    path = f"/commendations/decisions/{world.decision1}/edit"
    with app.app_context():
        other = make_proposal(
            mediator_id=world.mediator1, holder_unit_id=world.d1, status="accepted", year=2025
        )
        make_decision(unit_id=world.d1, proposals=[other], number="16/QĐ-UBND", first_serial=2)
        db.session.commit()
    before = fingerprint(app)
    for values, message in (
        ({"number": "16/QĐ-UBND"}, "Số quyết định 16/QĐ-UBND đã dùng"),
        ({"signed_on": "05/01/2026"}, "Ngày ký phải trong năm 2025"),
        ({"amount_vnd": "-5"}, "Số tiền thưởng không được âm."),
    ):
        response = client.post(path, data=edit_form(**values))
        assert response.status_code == 422
        assert message in body(response)
    assert fingerprint(app) == before
    assert login_as("viewer").get(path).status_code == 403
    assert (
        login_as("officer").get(f"/commendations/decisions/{world.decision3}/edit").status_code
        == 404
    )


# Revoking awards


def revoke_form(chosen, **values) -> dict:
    data = {
        "awards": [str(a) for a in chosen],
        "number": "45/QĐ-UBND",
        "signed_on": "10/03/2026",
        "signer_name": "Lò Văn Thanh",
        "reason": "Phát hiện vụ việc hòa giải trái pháp luật.",
    }
    data.update(values)
    return data


@pytest.fixture
def two_awards(app, world):
    """A decision of D1 in 2026 with two awards: mediator1 (serial 1) and team1 (serial 2)."""
    with app.app_context():
        people = [
            make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1, status="accepted"),
            make_proposal(team_id=world.team1, holder_unit_id=world.d1, status="accepted"),
        ]
        decision = make_decision(
            unit_id=world.d1, proposals=people, number="21/QĐ-UBND", signed_on=date(2026, 2, 1)
        )
        db.session.commit()
        awards = db.session.scalars(
            select(CommendationAward.id)
            .where(CommendationAward.decision_id == decision.id)
            .order_by(CommendationAward.serial)
        ).all()
        return decision.id, awards, [p.id for p in people]


def test_revoke_some_awards(app, world, login_as, two_awards):
    decision_id, (first, second), (proposal_a, _) = two_awards
    client = login_as("officer")
    path = f"/commendations/decisions/{decision_id}/revoke"
    page = body(client.get(path))
    assert f'value="{first}" checked' in page and f'value="{second}" checked' in page
    response = client.post(path, data=revoke_form([first]))
    assert response.status_code == 303
    assert [revoked for *_, revoked in awards_of(app, decision_id)] == [True, False]
    with app.app_context():
        revocation = db.session.scalar(select(CommendationRevocation))
        assert (revocation.number, revocation.year, revocation.decision_id) == (
            "45/QĐ-UBND",
            2026,
            decision_id,
        )
        step = db.session.scalars(
            select(ProposalStep)
            .where(ProposalStep.proposal_id == proposal_a)
            .order_by(ProposalStep.id.desc())
        ).first()
        assert step.action == "revoke" and "45/QĐ-UBND" in step.reason
    # The revoked award stays listed, marked; the revocation is shown with its count.
    words = text_of(body(client.get(f"/commendations/decisions/{decision_id}")))
    assert "Đã thu hồi khen thưởng của" not in words
    assert "001/2026 Giàng Thị Mai MARKER-C1" in words and "Đã thu hồi" in words
    assert (
        "Số 45/QĐ-UBND 10/03/2026 Lò Văn Thanh Phát hiện vụ việc hòa giải trái pháp luật. 1"
        in words
    )
    assert "còn hiệu lực 500.000 đ" in words
    # Its proposal shows it revoked, with no certificate to print.
    proposal_page = text_of(body(client.get(f"/commendations/proposals/{proposal_a}")))
    assert (
        "Đã thu hồi" in proposal_page
        and "Quyết định số 45/QĐ-UBND ngày 10/03/2026" in proposal_page
    )
    assert "In giấy khen" not in proposal_page
    # Only the award still standing is offered next time.
    page = body(client.get(path))
    assert f'value="{first}"' not in page and f'value="{second}" checked' in page


def test_revoking_twice_is_refused(app, world, login_as, two_awards):
    decision_id, (first, second), _ = two_awards
    client = login_as("officer")
    path = f"/commendations/decisions/{decision_id}/revoke"
    assert client.post(path, data=revoke_form([first])).status_code == 303
    before = fingerprint(app)
    response = client.post(path, data=revoke_form([first, second], number="46/QĐ-UBND"))
    assert response.status_code == 422
    assert (
        "Khen thưởng của Giàng Thị Mai MARKER-C1 đã bị thu hồi theo Quyết định số 45/QĐ-UBND."
        in body(response)
    )
    assert fingerprint(app) == before


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reason": " "}, "Nhập lý do thu hồi."),
        ({"number": ""}, "Nhập số quyết định."),
        ({"signed_on": ""}, "Nhập ngày ký quyết định thu hồi."),
        ({"signed_on": "01/01/2026"}, "không được trước ngày ký quyết định khen thưởng"),
        ({"awards": []}, "Chọn ít nhất một khen thưởng để thu hồi."),
    ],
)
def test_revocation_bad_input(app, world, login_as, two_awards, values, message):
    decision_id, awards, _ = two_awards
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/commendations/decisions/{decision_id}/revoke", data=revoke_form(awards, **values)
    )
    assert response.status_code == 422
    assert message in body(response)
    assert fingerprint(app) == before


def test_an_award_of_another_decision_is_refused(app, world, login_as, two_awards):
    decision_id, _, _ = two_awards
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"/commendations/decisions/{decision_id}/revoke", data=revoke_form([world.award2])
    )
    assert response.status_code == 422
    assert "không thuộc quyết định này" in body(response)
    assert fingerprint(app) == before


def test_a_revoked_medal_may_be_proposed_again(app, world):
    """The once-in-a-lifetime rule counts awards not revoked."""
    from app.commendations.services import once_in_lifetime_problem

    with app.app_context():
        medal = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
            year=2024,
        )
        decision = make_decision(
            unit_id=world.p1, proposals=[medal], number="88/QĐ-BTP", signed_on=date(2024, 11, 5)
        )
        assert once_in_lifetime_problem("ky_niem_chuong", world.mediator1)
        award = db.session.scalar(
            select(CommendationAward.id).where(CommendationAward.proposal_id == medal.id)
        )
        revocations.revoke_awards(
            decision, None, [award], "9/QĐ-BTP", date(2025, 1, 2), None, "Nhầm người."
        )
        assert once_in_lifetime_problem("ky_niem_chuong", world.mediator1) is None
        assert db.session.scalar(select(func.count()).select_from(CommendationAward)) >= 3
        db.session.rollback()


def test_a_correction_changes_neither_form_nor_unit(app, world, login_as):
    """S3: the form and the issuing unit are set when the decision is recorded."""
    client = login_as("officer")
    path = f"/commendations/decisions/{world.decision1}/edit"
    extra = {"form": "bang_khen_tinh", "unit": str(world.c1), "unit_id": str(world.c1)}
    assert client.post(path, data=edit_form(**extra)).status_code == 303
    with app.app_context():
        decision = db.session.get(CommendationDecision, world.decision1)
        assert (decision.form, decision.unit_id, decision.year) == (
            "giay_khen_huyen",
            world.d1,
            2025,
        )
