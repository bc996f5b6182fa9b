"""The printed documents of commendation (issue 6 "Decisions … printed in the Decree 30/2020
layout with the list of recipients as an annex. Certificates … printed per recipient with a
serial number"): the decision and its annex, the certificates, and the refusals (a proposal
without a decision, a revoked award, a form without a certificate)."""

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import event

from app.commendations.models import CommendationAward, CommendationRevocation
from app.commendations.rules import number_key
from app.commendations.services import documents as d
from app.commendations.services import wording
from app.extensions import db
from app.registry.models import Mediator
from app.registry.services.mediators import create_mediator
from app.registry.services.teams import create_team
from app.units.models import Unit
from tests.commendations.factories import make_decision, make_proposal
from tests.test_authorization_matrix import fingerprint


def text_of(response) -> str:
    """What a reader sees in the page's main part: tags dropped, spaces squeezed."""
    page = response.get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def print_url(decision_id: int) -> str:
    return f"/commendations/decisions/{decision_id}/print"


def certificates_url(decision_id: int) -> str:
    return f"/commendations/decisions/{decision_id}/certificates"


def certificate_url(proposal_id: int) -> str:
    return f"/commendations/proposals/{proposal_id}/certificate"


def _mediator(app, village_id: int, name: str, sex: str, birth_year: int) -> int:
    with app.app_context():
        village = db.session.get(Unit, village_id)
        team = create_team(unit=village)
        mediator = create_mediator(
            team=team,
            values={
                "full_name": name,
                "sex": sex,
                "birth_year": birth_year,
                "ethnicity_code": "08",
            },
            decision={"decision_number": "02/QĐ-UBND", "decision_date": date(2023, 3, 1)},
        )
        db.session.commit()
        return mediator.id


@pytest.fixture
def big(app, world):
    """A decision of D1 for two mediators and a team (1.500.000 đ each), the team first in the
    annex; returns the ids."""
    man = _mediator(app, world.v1, "Vàng A Páo", "M", 1970)
    woman = world.mediator1
    with app.app_context():
        proposals = [
            make_proposal(
                mediator_id=man,
                holder_unit_id=world.d1,
                status="accepted",
                year=2025,
                achievement="Có thành tích hòa giải thành 12 vụ việc tranh chấp đất nương rẫy",
            ),
            make_proposal(mediator_id=woman, holder_unit_id=world.d1, status="accepted", year=2025),
            make_proposal(
                team_id=world.team1,
                holder_unit_id=world.d1,
                status="accepted",
                year=2025,
                achievement="Tổ hòa giải tiêu biểu năm 2025",
            ),
        ]
        decision = make_decision(
            unit_id=world.d1,
            proposals=proposals,
            number="2145/QĐ-UBND",
            amount_vnd=1_500_000,
            first_serial=14,
        )
        db.session.commit()
        return {
            "decision": decision.id,
            "man": proposals[0].id,
            "woman": proposals[1].id,
            "team": proposals[2].id,
        }


def revoke(app, proposal_id: int, number: str = "301/QĐ-UBND") -> None:
    """Mark the award of a proposal revoked by a revoking decision (as a row: this part reads
    revocations, the decisions part makes them)."""
    with app.app_context():
        award = db.session.scalar(
            db.select(CommendationAward).where(CommendationAward.proposal_id == proposal_id)
        )
        revocation = CommendationRevocation(
            decision_id=award.decision_id,
            number=number,
            number_folded=number_key(number),
            year=2026,
            signed_on=date(2026, 3, 2),
            signer_name="Lò Văn Thanh",
            reason="Hồ sơ đề nghị kê khai không đúng thành tích",
        )
        db.session.add(revocation)
        db.session.flush()
        award.revocation_id = revocation.id
        db.session.commit()


# The decision and its annex


def test_printed_decision_follows_decree_30_with_its_annex(world, big, login_as):
    page = text_of(login_as("officer").get(print_url(big["decision"])))
    for expected in (
        "ỦY BAN NHÂN DÂN HUYỆN BETA MARKER-D1",
        "Số: 2145/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc",
        "Beta MARKER-D1, ngày 20 tháng 12 năm 2025",
        "QUYẾT ĐỊNH Về việc tặng Giấy khen cho các tập thể và cá nhân đã có thành tích xuất "
        "sắc trong công tác hòa giải ở cơ sở năm 2025",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BETA MARKER-D1",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Xét đề nghị của Trưởng phòng Tư pháp huyện Beta MARKER-D1.",
        "QUYẾT ĐỊNH: Điều 1. Tặng Giấy khen cho 1 tập thể và 2 cá nhân có tên trong danh "
        "sách kèm theo, đã có thành tích xuất sắc",
        "Điều 2. Mỗi tập thể, cá nhân được thưởng 1.500.000 đồng (Một triệu năm trăm nghìn "
        "đồng). Tổng số tiền thưởng: 4.500.000 đồng (Bốn triệu năm trăm nghìn đồng)",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận: - Như Điều 3; - Lưu: VT.",
        "CHỦ TỊCH Lò Văn Thanh",
        "DANH SÁCH TẬP THỂ VÀ CÁ NHÂN ĐƯỢC TẶNG GIẤY KHEN",
        "(Kèm theo Quyết định số 2145/QĐ-UBND ngày 20 tháng 12 năm 2025 của Chủ tịch Ủy ban "
        "nhân dân Huyện Beta MARKER-D1)",
    ):
        assert expected in page, expected
    # The annex: the collective first, then the persons, each group numbered from 1.
    annex = page[page.index("DANH SÁCH") :]
    assert (
        annex.index("I. Tập thể (1)") < annex.index("Tổ hòa giải") < annex.index("II. Cá nhân (2)")
    )
    assert "1 Vàng A Páo 1970 Bản Delta MARKER-V1 Có thành tích hòa giải thành 12 vụ việc" in annex
    assert "1.500.000" in annex and "Tổng cộng (3) 4.500.000" in annex
    assert "data-print" in login_as("officer").get(print_url(big["decision"])).get_data(True)


def test_a_decision_without_money_has_no_article_on_it(app, world, login_as):
    with app.app_context():
        proposal = make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1)
        decision = make_decision(
            unit_id=world.d1,
            proposals=[proposal],
            number="9/QĐ-UBND",
            amount_vnd=0,
            signed_on=date(2026, 3, 1),
        )
        db.session.commit()
        decision_id = decision.id
    page = text_of(login_as("viewer").get(print_url(decision_id)))
    assert "tiền thưởng" not in page.lower()
    assert "Điều 2. Quyết định này có hiệu lực" in page and "Như Điều 2;" in page
    assert "Tặng Giấy khen cho 1 cá nhân" in page


def test_a_revoked_award_is_printed_as_revoked(app, world, big, login_as):
    revoke(app, big["woman"])
    page = text_of(login_as("officer").get(print_url(big["decision"])))
    assert (
        "Giàng Thị Mai MARKER-C1 (đã thu hồi theo Quyết định số 301/QĐ-UBND ngày 02/03/2026)"
        in page
    )
    # The decision still says what it gave when it was signed.
    assert "Tổng số tiền thưởng: 4.500.000 đồng" in page


def test_a_ministry_decision_is_headed_by_the_ministry(app, world, login_as):
    with app.app_context():
        proposal = make_proposal(
            mediator_id=world.mediator1, holder_unit_id=world.p1, form="bang_khen_bo"
        )
        decision = make_decision(
            unit_id=world.p1,
            proposals=[proposal],
            number="1234/QĐ-BTP",
            issuer_name="Bộ Tư pháp",
            signed_on=date(2026, 1, 5),
        )
        decision.signer_title = "Thứ trưởng"
        db.session.commit()
        decision_id, proposal_id = decision.id, proposal.id
    client = login_as("admin")
    page = text_of(client.get(print_url(decision_id)))
    assert "BỘ TƯ PHÁP Số: 1234/QĐ-BTP" in page
    assert "Hà Nội, ngày 05 tháng 01 năm 2026" in page
    assert "BỘ TRƯỞNG BỘ TƯ PHÁP" in page and "KT. BỘ TRƯỞNG THỨ TRƯỞNG Lò Văn Thanh" in page
    assert "Luật Tổ chức chính quyền địa phương" not in page
    assert "Xét đề nghị của Giám đốc Sở Tư pháp tỉnh Alpha MARKER-P1." in page
    certificate = text_of(client.get(certificate_url(proposal_id)))
    assert "BỘ TRƯỞNG BỘ TƯ PHÁP TẶNG BẰNG KHEN Bà Giàng Thị Mai MARKER-C1" in certificate


# Certificates


def test_certificates_of_a_decision_one_page_each_with_serials(app, world, big, login_as):
    response = login_as("viewer").get(certificates_url(big["decision"]))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count('class="doc contest-certificate') == 3
    page = text_of(response)
    for expected in (
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN BETA MARKER-D1 TẶNG GIẤY KHEN Tổ hòa giải",
        "GIẤY KHEN Ông Vàng A Páo",
        "GIẤY KHEN Bà Giàng Thị Mai MARKER-C1",
        "Đã có thành tích hòa giải thành 12 vụ việc tranh chấp đất nương rẫy",
        "Quyết định số 2145/QĐ-UBND ngày 20/12/2025",
        "Số vào sổ: 014/2025",
        "Số vào sổ: 015/2025",
        "Số vào sổ: 016/2025",
        "Beta MARKER-D1, ngày 20 tháng 12 năm 2025 CHỦ TỊCH Lò Văn Thanh",
    ):
        assert expected in page, expected
    assert "Ông Tổ hòa giải" not in page and "Bà Tổ hòa giải" not in page


def test_revoked_awards_get_no_certificate(app, world, big, login_as):
    revoke(app, big["woman"])
    client = login_as("officer")
    page = text_of(client.get(certificates_url(big["decision"])))
    assert "Giàng Thị Mai" not in page and "Vàng A Páo" in page
    assert page.count("Số vào sổ:") == 2
    before = fingerprint(app)
    refused = client.get(certificate_url(big["woman"]))
    assert refused.status_code == 422
    assert (
        "Khen thưởng này đã bị thu hồi theo Quyết định số 301/QĐ-UBND ngày 02/03/2026"
        in text_of(refused)
    )
    assert fingerprint(app) == before


def test_one_certificate_of_a_proposal(world, big, login_as):
    response = login_as("officer").get(certificate_url(big["man"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "Ông Vàng A Páo" in page and "Số vào sổ: 014/2025" in page
    assert "Giàng Thị Mai" not in page
    assert "In 1 giấy khen" in page


def test_no_certificate_before_a_decision(app, world, login_as):
    """The issue's bad input: certificate printing for a proposal that has no decision."""
    client = login_as("commune_staff")
    before = fingerprint(app)
    response = client.get(certificate_url(world.proposal1))
    assert response.status_code == 422
    page = text_of(response)
    assert "Đề nghị này chưa có quyết định khen thưởng: chưa in được giấy khen." in page
    assert f"/commendations/proposals/{world.proposal1}" in response.get_data(as_text=True)
    assert fingerprint(app) == before


@pytest.mark.parametrize("form", ["bieu_duong", "ky_niem_chuong"])
def test_no_certificate_for_a_form_without_one(app, world, login_as, form):
    with app.app_context():
        proposal = make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1, form=form)
        decision = make_decision(
            unit_id=world.d1,
            proposals=[proposal],
            number="31/QĐ-UBND",
            amount_vnd=0,
            signed_on=date(2026, 3, 1),
        )
        db.session.commit()
        decision_id, proposal_id = decision.id, proposal.id
    client = login_as("officer")
    before = fingerprint(app)
    label = {"bieu_duong": "Biểu dương", "ky_niem_chuong": "Kỷ niệm chương"}[form]
    for url in (certificates_url(decision_id), certificate_url(proposal_id)):
        response = client.get(url)
        assert response.status_code == 422, url
        page = text_of(response)
        assert f"Hình thức “{label}" in page and "không in giấy khen/bằng khen tại đây." in page
    assert fingerprint(app) == before
    # The decision itself prints.
    assert client.get(print_url(decision_id)).status_code == 200


def test_a_decision_whose_awards_are_all_revoked_prints_no_certificate(app, world, login_as):
    revoke(app, world.proposal2)
    response = login_as("officer").get(certificates_url(world.decision1))
    assert response.status_code == 422
    assert "Mọi khen thưởng của quyết định này đã bị thu hồi" in text_of(response)


def test_a_certificate_needs_the_decision_in_scope(app, world, login_as):
    """The commune's staff sees their team's proposal but not the district's decision: 404,
    nothing about the decision told."""
    with app.app_context():
        from app.commendations.models import CommendationProposal

        proposal = db.session.get(CommendationProposal, world.proposal1b)
        make_decision(unit_id=world.d1, proposals=[proposal], number="40/QĐ-UBND", first_serial=2)
        db.session.commit()
    assert login_as("commune_staff").get(certificate_url(world.proposal1b)).status_code == 404
    assert login_as("officer").get(certificate_url(world.proposal1b)).status_code == 200
    assert login_as("commune_staff").get(print_url(world.decision1)).status_code == 404


def test_htmx_requests_get_the_same_printable_page(world, big, login_as):
    client = login_as("officer")
    for url in (print_url(big["decision"]), certificates_url(big["decision"])):
        response = client.get(url, htmx=True)
        assert response.status_code == 200
        assert "Số vào sổ" in response.get_data(as_text=True) or "DANH SÁCH" in text_of(response)


def test_documents_run_a_fixed_number_of_queries(app, world, big, login_as):
    """QUALITY.md P3: no query per recipient."""
    client = login_as("officer")
    with app.app_context():
        engine = db.engine

    def count(url):
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    one = (count(print_url(world.decision1)), count(certificates_url(world.decision1)))
    three = (count(print_url(big["decision"])), count(certificates_url(big["decision"])))
    assert one == three


# Wording


def test_header_and_signature_words():
    assert wording.body_lines("Ủy ban nhân dân huyện Mường Nhé") == (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN MƯỜNG NHÉ",
    )
    assert wording.body_lines("UBND xã Sín Thầu") == ("ỦY BAN NHÂN DÂN", "XÃ SÍN THẦU")
    assert wording.body_lines("Bộ Tư pháp") == ("BỘ TƯ PHÁP",)
    assert wording.signature_lines("Chủ tịch") == ("CHỦ TỊCH",)
    assert wording.signature_lines("Phó Chủ tịch") == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert wording.signature_lines("Thứ trưởng") == ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")
    assert (
        wording.authority("Phó Chủ tịch", "UBND huyện Mường Nhé")
        == "Chủ tịch Ủy ban nhân dân huyện Mường Nhé"
    )


def test_achievement_and_recipient_words():
    assert wording.achievement_phrase("Đã có thành tích xuất sắc.") == "đã có thành tích xuất sắc"
    assert wording.achievement_phrase("Có thành tích tốt") == "đã có thành tích tốt"
    assert (
        wording.achievement_phrase("Hòa giải thành 5 vụ") == "đã có thành tích hòa giải thành 5 vụ"
    )
    assert wording.recipients_words(2, 10, counted=True) == "2 tập thể và 10 cá nhân"
    assert wording.recipients_words(0, 3, counted=True) == "3 cá nhân"
    assert wording.recipients_words(2, 10, counted=False) == "các tập thể và cá nhân"
    assert wording.recipients_words(1, 0, counted=False) == "tập thể"
    assert wording.grant_words("bieu_duong") == "biểu dương"
    assert wording.grant_words("bang_khen_tinh") == "tặng Bằng khen"
    assert wording.grant_words("ky_niem_chuong") == "tặng Kỷ niệm chương “Vì sự nghiệp Tư pháp”"


def test_dates_and_the_local_government_law_of_the_day():
    assert wording.long_date(date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert wording.long_date(date(2025, 12, 20)) == "ngày 20 tháng 12 năm 2025"
    assert "19 tháng 6 năm 2015" in wording.law_of_local_government(date(2025, 2, 28))
    assert "19 tháng 02 năm 2025" in wording.law_of_local_government(date(2025, 6, 30))
    assert "16 tháng 6 năm 2025" in wording.law_of_local_government(date(2025, 7, 1))
    typed = "Căn cứ Quyết định số 12/2024/QĐ-UBND;\n\n  Căn cứ   Luật Hòa giải ở cơ sở; "
    assert wording.basis_lines(typed, "giay_khen_huyen", date(2026, 1, 1)) == [
        "Căn cứ Quyết định số 12/2024/QĐ-UBND;",
        "Căn cứ Luật Hòa giải ở cơ sở;",
    ]


def test_mediator_fixture_is_what_the_annex_reads(app, world, big):
    """The annex's columns come from the proposal (name, birth year, detail) as made."""
    with app.app_context():
        mediator = db.session.get(Mediator, world.mediator1)
        (recipient,) = d.recipients_of(proposal_id=big["woman"])
        assert recipient.proposal.nominee_birth_year == mediator.birth_year
        assert recipient.salutation == "Bà" and recipient.serial == "015/2025"
