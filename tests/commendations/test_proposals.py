"""Proposals for commendation: one at a time (a mediator, a team, another person), many at
once from a filtered list, changing, resubmitting after a return and withdrawing (issue 6
"Proposals"; DOMAIN.md §6)."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from app.clock import today
from app.commendations.models import CommendationProposal, ProposalStep
from app.commendations.services.basis import service_years
from app.extensions import db
from app.logbook.queries import team_tally
from app.registry.models import Team
from tests.commendations.factories import make_decision, make_proposal
from tests.test_authorization_matrix import fingerprint

YEAR = today().year
NEW = "/commendations/proposals/new"
BULK = "/commendations/proposals/bulk"
OUT_OF_SCOPE = "Hòa giải viên này không thuộc phạm vi quản lý của bạn."


def page(response) -> str:
    return response.get_data(as_text=True)


def values(**changes) -> dict:
    data = {
        "form": "giay_khen_huyen",
        "achievement": "Hòa giải thành 12/14 vụ việc, giữ gìn đoàn kết trong bản",
        "period_start": "2025",
        "period_end": "2025",
        "basis_note": "",
    }
    data.update(changes)
    return data


def proposals(app, **where) -> list[CommendationProposal]:
    with app.app_context():
        stmt = select(CommendationProposal).order_by(CommendationProposal.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(CommendationProposal, key) == value)
        found = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return found


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CommendationProposal))


def steps(app, proposal_id) -> list[ProposalStep]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(ProposalStep)
                .where(ProposalStep.proposal_id == proposal_id)
                .order_by(ProposalStep.id)
            )
        )
        db.session.expunge_all()
        return found


# One at a time


def test_commune_proposes_a_mediator_with_the_basis_pulled(app, world, login_as):
    client = login_as("commune_staff")
    form_page = client.get(f"{NEW}?mediator={world.mediator1}")
    assert form_page.status_code == 200
    html = page(form_page)
    assert "Giàng Thị Mai MARKER-C1" in html and "Căn cứ sẽ được lấy từ sổ sách" in html
    before = count(app)
    # Extra fields (status, unit, holder) change nothing they are not meant to (S3).
    posted = values(status="decided", unit_id=str(world.c3), holder_unit_id=str(world.p2))
    response = client.post(f"{NEW}?mediator={world.mediator1}", data=posted)
    assert response.status_code == 303
    made = proposals(app)[before:]
    assert len(made) == 1
    p = made[0]
    assert response.headers["Location"].endswith(f"/commendations/proposals/{p.id}")
    assert (p.nominee_kind, p.mediator_id, p.status) == ("mediator", world.mediator1, "submitted")
    assert (p.unit_id, p.commune_id, p.district_id) == (world.v1, world.c1, world.d1)
    assert (p.proposer_unit_id, p.holder_unit_id) == (world.c1, world.d1)
    assert p.nominee_detail == "Hòa giải viên, Tổ hòa giải Bản Delta MARKER-V1, Xã Gamma MARKER-C1"
    assert (p.nominee_birth_year, p.nominee_sex, p.year) == (1980, "F", YEAR)
    with app.app_context():
        tally = team_tally(world.team1, date(2025, 1, 1), date(2025, 12, 31))
        team = db.session.get(Team, world.team1)
        assert (p.basis_successful, p.basis_failed) == (tally.successful, tally.failed) == (1, 1)
        assert p.basis_compliant is team.is_compliant
        assert p.basis_team_id == world.team1
    assert p.basis_service_years == service_years(date(2024, 3, 1))
    assert p.basis_trained is False
    assert [(s.action, s.from_unit_id, s.to_unit_id) for s in steps(app, p.id)] == [
        ("submit", world.c1, world.d1)
    ]


def test_officer_proposes_a_team_and_the_office_is_their_own(app, world, login_as):
    client = login_as("officer")
    response = client.post(f"{NEW}?team={world.team1}", data=values(form="giay_khen_huyen"))
    assert response.status_code == 303
    p = proposals(app, team_id=world.team1, status="submitted")[-1]
    assert (p.nominee_kind, p.nominee_name) == ("team", "Tổ hòa giải Bản Delta MARKER-V1")
    assert (p.proposer_unit_id, p.holder_unit_id) == (world.d1, world.d1)
    assert p.basis_service_years is None and p.basis_trained is None
    assert (p.basis_successful, p.basis_failed) == (1, 1)


def test_a_person_outside_the_registry(app, world, login_as):
    client = login_as("officer")
    form_page = page(client.get(f"{NEW}?other=person"))
    assert "Họ tên / tên tập thể" in form_page and "Xã Gamma MARKER-C1" in form_page
    response = client.post(
        f"{NEW}?other=person",
        data=values(
            nominee_name="  Lò Văn   Thanh ",
            nominee_birth_year="1978",
            nominee_sex="M",
            nominee_detail="Trưởng Công an xã Gamma",
            nominee_unit=str(world.c1),
        ),
    )
    assert response.status_code == 303
    p = proposals(app, nominee_kind="person")[-1]
    assert (p.nominee_name, p.nominee_birth_year, p.nominee_sex) == ("Lò Văn Thanh", 1978, "M")
    assert (p.unit_id, p.commune_id, p.district_id) == (world.c1, world.c1, world.d1)
    assert (p.proposer_unit_id, p.holder_unit_id) == (world.d1, world.d1)
    assert p.basis_successful is None and p.basis_team_id is None


def test_an_organisation_may_not_get_a_persons_only_form(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(
        f"{NEW}?other=organisation",
        data=values(form="ky_niem_chuong", nominee_name="Hội Phụ nữ xã", nominee_unit=world.c1),
    )
    assert response.status_code == 422
    assert "chỉ tặng cho cá nhân" in page(response)
    response = client.post(f"{NEW}?team={world.team1}", data=values(form="ky_niem_chuong"))
    assert response.status_code == 422 and "chỉ tặng cho cá nhân" in page(response)
    assert fingerprint(app) == before


def test_the_unit_of_another_person_must_be_in_scope(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    response = client.post(
        f"{NEW}?other=person", data=values(nominee_name="Lò Văn Thanh", nominee_unit=world.c2)
    )
    assert response.status_code == 422
    assert "Đơn vị này không thuộc phạm vi quản lý của bạn." in page(response)
    response = client.post(f"{NEW}?other=person", data=values(nominee_name=""))
    assert response.status_code == 422
    assert "Nhập họ tên người hoặc tên tập thể được đề nghị." in page(response)
    assert fingerprint(app) == before


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_mediator_outside_the_scope_is_refused_and_nothing_changes(app, world, login_as, method):
    client = login_as("commune_staff")
    before = fingerprint(app)
    with app.app_context():
        unknown = db.session.scalar(select(func.max(CommendationProposal.id))) + 10_000
    for url in (f"{NEW}?mediator={world.mediator2}", f"{NEW}?mediator={unknown}"):
        response = getattr(client, method)(url, **({"data": values()} if method == "post" else {}))
        assert response.status_code == 404
        assert OUT_OF_SCOPE in page(response)
    for url in (f"{NEW}?mediator=abc", f"{NEW}?team=-1"):
        assert getattr(client, method)(url).status_code == 404
    assert fingerprint(app) == before


def test_bad_input_is_refused_next_to_its_field(app, world, login_as):
    client = login_as("commune_staff")
    url = f"{NEW}?mediator={world.mediator1}"
    before = count(app)
    cases = [
        (values(achievement="   "), "Nhập thành tích của người/tập thể được đề nghị."),
        (values(achievement="x" * 2001), "Thành tích viết tối đa 2000 ký tự."),
        (values(period_start="2025", period_end="2024"), "Năm kết thúc không được trước"),
        (values(period_end=str(YEAR + 1)), f"Năm kết thúc phải từ 2000 đến {YEAR}."),
        (values(period_start="1999"), f"Năm bắt đầu phải từ 2000 đến {YEAR}."),
        (values(period_start="20x5"), "Nhập năm gồm 4 chữ số"),
        (values(form=""), "Chọn hình thức khen thưởng."),
        (values(form="huan_chuong"), "Chọn hình thức khen thưởng."),
    ]
    for data, message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 422, message
        html = page(response)
        assert message in html, message
        assert 'class="error"' in html
    assert count(app) == before


def test_the_medal_for_someone_who_has_it_is_refused(app, world, login_as):
    with app.app_context():
        medal = make_proposal(
            mediator_id=world.mediator1,
            holder_unit_id=world.p1,
            form="ky_niem_chuong",
            status="accepted",
            year=2025,
        )
        make_decision(unit_id=world.p1, proposals=[medal], number="3/QĐ-BTP")
        db.session.commit()
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(f"{NEW}?mediator={world.mediator1}", data=values(form="ky_niem_chuong"))
    assert response.status_code == 422
    html = page(response)
    assert "đã được tặng Kỷ niệm chương" in html and "Quyết định số 3/QĐ-BTP" in html
    assert "chỉ tặng một lần trong đời" in html
    assert fingerprint(app) == before


def test_the_medal_while_another_proposal_for_it_is_open_is_refused(app, world, login_as):
    with app.app_context():
        open_one = make_proposal(
            mediator_id=world.mediator1, holder_unit_id=world.d1, form="ky_niem_chuong"
        ).id
        db.session.commit()
    client = login_as("commune_staff")
    before = fingerprint(app)
    response = client.post(f"{NEW}?mediator={world.mediator1}", data=values(form="ky_niem_chuong"))
    assert response.status_code == 422
    assert "đang có một đề nghị tặng Kỷ niệm chương" in page(response)
    assert f"đề nghị số {open_one}" in page(response)
    assert fingerprint(app) == before


def test_a_dismissed_mediator_may_be_proposed(app, world, login_as):
    with app.app_context():
        from app.registry.models import Mediator

        db.session.get(Mediator, world.mediator1).status = "dismissed"
        db.session.commit()
    client = login_as("commune_staff")
    assert "Đã thôi làm hòa giải viên" in page(client.get(f"{NEW}?mediator={world.mediator1}"))
    assert client.post(f"{NEW}?mediator={world.mediator1}", data=values()).status_code == 303


# The search and the live preview (htmx: full page and fragment)


def test_nominee_search_page_and_fragment(world, login_as):
    client = login_as("commune_staff")
    full = page(client.get(f"{NEW}?q=giang thi"))
    assert "<html" in full and 'id="nominee-results"' in full
    assert f"?mediator={world.mediator1}" in full and "MARKER-C2" not in full
    fragment = client.get(f"{NEW}?q=giàng", htmx="nominee-results")
    body = page(fragment)
    assert fragment.status_code == 200 and "<html" not in body
    assert f"?mediator={world.mediator1}" in body and "MARKER-C2" not in body
    teams = page(client.get(f"{NEW}?q=ban delta", htmx="nominee-results"))
    assert f"?team={world.team1}" in teams
    short = page(client.get(f"{NEW}?q=g", htmx="nominee-results"))
    assert "Gõ ít nhất 2 chữ" in short
    officer = page(login_as("officer").get(f"{NEW}?q=giang", htmx="nominee-results"))
    assert f"?mediator={world.mediator2}" in officer and "MARKER-C3" not in officer


def test_basis_preview_follows_the_period(world, login_as):
    client = login_as("commune_staff")
    url = f"{NEW}?mediator={world.mediator1}&period_start=2025&period_end=2025"
    fragment = client.get(url, htmx="basis-preview")
    body = page(fragment)
    assert fragment.status_code == 200 and "<html" not in body
    assert 'id="basis-preview"' in body and "1 thành / 1 không thành" in body and "50%" in body
    empty = page(client.get(url.replace("2025", "2024"), htmx="basis-preview"))
    assert "0 thành / 0 không thành" in empty
    full = page(client.get(url))
    assert "<html" in full and "1 thành / 1 không thành" in full


def test_readers_cannot_propose(world, login_as):
    for role in ("viewer", "judge"):
        client = login_as(role)
        assert client.get(NEW).status_code == 403
        assert client.get(BULK).status_code == 403


# Many at once


def bulk(world, *keys, **changes) -> dict:
    data = values(**changes)
    data.update({"kind": "mediator", "active": "1"})
    data["nominee"] = list(keys)
    return data


def test_bulk_page_and_fragment(world, login_as):
    client = login_as("officer")
    full = page(client.get(BULK))
    assert "<html" in full and 'id="bulk-rows"' in full
    assert f'value="m{world.mediator1}"' in full and f'value="m{world.mediator2}"' in full
    assert "MARKER-C3" not in full
    fragment = client.get(f"{BULK}?kind=team&unit={world.c1}&period_start=2025", htmx="bulk-rows")
    body = page(fragment)
    assert fragment.status_code == 200 and "<html" not in body
    assert f'value="t{world.team1}"' in body and f'value="t{world.team2}"' not in body
    assert "1/2 (50%)" in body
    staff = page(login_as("commune_staff").get(BULK))
    assert f'value="m{world.mediator1}"' in staff and "MARKER-C2" not in staff


def test_bulk_creates_one_proposal_per_checked_nominee(app, world, login_as):
    client = login_as("officer")
    before = count(app)
    response = client.post(BULK, data=bulk(world, f"m{world.mediator1}", f"m{world.mediator2}"))
    assert response.status_code == 303
    made = proposals(app)[before:]
    assert sorted(p.mediator_id for p in made) == sorted([world.mediator1, world.mediator2])
    assert {(p.proposer_unit_id, p.holder_unit_id, p.period_start) for p in made} == {
        (world.d1, world.d1, 2025)
    }
    assert {(p.basis_successful, p.basis_failed) for p in made} == {(1, 1)}


def test_bulk_is_all_or_nothing_and_names_every_refusal(app, world, login_as):
    with app.app_context():
        make_proposal(mediator_id=world.mediator1, holder_unit_id=world.d1, form="ky_niem_chuong")
        db.session.commit()
    client = login_as("officer")
    before = fingerprint(app)
    data = bulk(world, f"m{world.mediator1}", f"m{world.mediator2}", form="ky_niem_chuong")
    response = client.post(BULK, data=data)
    assert response.status_code == 422
    html = page(response)
    assert "Giàng Thị Mai MARKER-C1: Người này đang có một đề nghị" in html
    assert "Chưa đề nghị ai" not in html or "1 người/tổ" in html
    # The list is shown again, with the boxes still checked.
    assert f'value="m{world.mediator2}" checked' in html
    assert fingerprint(app) == before
    teams = bulk(world, f"t{world.team1}", f"t{world.team2}", form="ky_niem_chuong")
    teams["kind"] = "team"
    response = client.post(BULK, data=teams)
    assert response.status_code == 422
    html = page(response)
    assert html.count("chỉ tặng cho cá nhân") == 2 and "Chưa đề nghị ai: 2" in html
    assert fingerprint(app) == before


def test_bulk_refuses_common_bad_input_and_an_empty_choice(app, world, login_as):
    client = login_as("officer")
    before = fingerprint(app)
    response = client.post(BULK, data=bulk(world, achievement=""))
    assert response.status_code == 422
    assert "Nhập thành tích" in page(response)
    response = client.post(BULK, data=bulk(world))
    assert response.status_code == 422
    assert "Đánh dấu ít nhất một người hoặc tổ để đề nghị." in page(response)
    assert fingerprint(app) == before


def test_bulk_refuses_a_nominee_outside_the_scope(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    for key in (f"m{world.mediator2}", "m99999999", f"t{world.team3}"):
        response = client.post(BULK, data=bulk(world, f"m{world.mediator1}", key))
        assert response.status_code == 404, key
    assert fingerprint(app) == before


def test_bulk_page_makes_a_fixed_number_of_queries(app, world, login_as):
    from app.registry.services.mediators import create_mediator

    client = login_as("officer")
    with app.app_context():
        engine = db.engine

    def count_queries() -> int:
        seen = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            response = client.get(f"{BULK}?kind=mediator&active=1&period_start=2025")
            assert response.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    few = count_queries()
    with app.app_context():
        for n, team_id in enumerate([world.team1, world.team2] * 6):
            create_mediator(
                team=db.session.get(Team, team_id),
                values={
                    "full_name": f"Lý A Sử {n}",
                    "sex": "M",
                    "birth_year": 1970 + n,
                    "ethnicity_code": "08",
                },
                decision={"decision_number": f"{n}/QĐ-UBND", "decision_date": date(2023, 1, 1)},
            )
        db.session.commit()
    html = page(client.get(BULK))
    assert "Lý A Sử 11" in html
    assert count_queries() == few


# Changing, resubmitting, withdrawing


def returned(app, world, reason="Thiếu số liệu vụ việc năm 2025") -> int:
    with app.app_context():
        p = db.session.get(CommendationProposal, world.proposal1)
        p.status, p.return_reason = "returned", reason
        db.session.commit()
        return p.version


def test_edit_page_and_a_plain_change(app, world, login_as):
    client = login_as("commune_staff")
    html = page(client.get(f"/commendations/proposals/{world.proposal1}/edit"))
    assert "Giàng Thị Mai MARKER-C1" in html and ">Lưu<" in html
    response = client.post(
        f"/commendations/proposals/{world.proposal1}/edit",
        data=values(form="giay_khen_xa", version="1", period_end=str(YEAR)),
    )
    assert response.status_code == 303
    (p,) = proposals(app, id=world.proposal1)
    assert (p.form, p.status, p.holder_unit_id) == ("giay_khen_xa", "submitted", world.d1)
    assert p.achievement.startswith("Hòa giải thành 12/14")
    assert [s.action for s in steps(app, p.id)] == ["submit"]


def test_saving_a_returned_proposal_resubmits_it(app, world, login_as):
    version = returned(app, world)
    client = login_as("commune_staff")
    html = page(client.get(f"/commendations/proposals/{world.proposal1}/edit"))
    assert "Lưu và đề nghị lại" in html and "Thiếu số liệu vụ việc năm 2025" in html
    response = client.post(
        f"/commendations/proposals/{world.proposal1}/edit",
        data=values(version=str(version), period_start="2024", period_end="2025"),
    )
    assert response.status_code == 303
    (p,) = proposals(app, id=world.proposal1)
    assert (p.status, p.holder_unit_id, p.return_reason) == ("submitted", world.d1, None)
    # The period changed: the basis is pulled again for 2024-2025.
    assert (p.period_start, p.period_end, p.basis_successful, p.basis_failed) == (2024, 2025, 1, 1)
    last = steps(app, p.id)[-1]
    assert (last.action, last.reason) == ("resubmit", "Thiếu số liệu vụ việc năm 2025")
    assert (last.from_unit_id, last.to_unit_id) == (p.proposer_unit_id, world.d1)


def test_a_stale_edit_is_refused(app, world, login_as):
    client = login_as("commune_staff")
    returned(app, world)  # someone else's save since version 1
    before = fingerprint(app)
    response = client.post(
        f"/commendations/proposals/{world.proposal1}/edit", data=values(version="1")
    )
    assert response.status_code == 409
    assert "vừa được người khác sửa" in page(response)
    assert fingerprint(app) == before


def test_an_edit_with_bad_input_changes_nothing(app, world, login_as):
    client = login_as("commune_staff")
    before = fingerprint(app)
    response = client.post(
        f"/commendations/proposals/{world.proposal1}/edit",
        data=values(version="1", achievement=""),
    )
    assert response.status_code == 422
    assert fingerprint(app) == before


def test_accepted_or_decided_proposals_are_no_longer_changed(app, world, login_as):
    client, staff = login_as("officer"), login_as("commune_staff")
    before = fingerprint(app)
    for proposal_id, reason in (
        (world.proposal1b, "Đề nghị đã được chấp thuận"),
        (world.proposal2, "Đề nghị đã có quyết định khen thưởng"),
    ):
        for url in (f"/commendations/proposals/{proposal_id}/edit",):
            response = client.get(url)
            assert response.status_code == 403 and reason in page(response)
        response = client.post(
            f"/commendations/proposals/{proposal_id}/withdraw", data={"reason": "x"}
        )
        assert response.status_code == 403 and reason in page(response)
    # Another unit's staff do not even learn that it exists.
    assert staff.get(f"/commendations/proposals/{world.proposal3}/edit").status_code == 404
    assert fingerprint(app) == before


def test_withdraw_after_a_confirmation(app, world, login_as):
    client = login_as("commune_staff")
    confirm = page(client.get(f"/commendations/proposals/{world.proposal1}/withdraw"))
    assert "Rút đề nghị khen thưởng" in confirm and 'name="reason"' in confirm
    response = client.post(
        f"/commendations/proposals/{world.proposal1}/withdraw",
        data={"reason": "Gia đình xin không nhận"},
    )
    assert response.status_code == 303
    (p,) = proposals(app, id=world.proposal1)
    assert p.status == "withdrawn"
    last = steps(app, p.id)[-1]
    assert (last.action, last.reason) == ("withdraw", "Gia đình xin không nhận")
    again = client.post(f"/commendations/proposals/{world.proposal1}/withdraw")
    assert again.status_code == 403 and "Đề nghị này đã được rút." in page(again)
    assert client.get(f"/commendations/proposals/{world.proposal1}/edit").status_code == 403


def test_a_returned_proposal_may_be_withdrawn(app, world, login_as):
    returned(app, world)
    response = login_as("officer").post(f"/commendations/proposals/{world.proposal1}/withdraw")
    assert response.status_code == 303
    assert proposals(app, id=world.proposal1)[0].status == "withdrawn"


def test_proposal_forms_survive_fuzzing(app, world, login_as):
    """R7: any post to the proposal forms is answered without a 500; a refusal saves nothing."""
    client = login_as("commune_staff")
    text = st.one_of(
        st.text(max_size=40),
        st.sampled_from(["", "0", "-1", "2025", "99999", "m1", "t1", "ky_niem_chuong", "\x00"]),
    )
    fields = ["form", "achievement", "period_start", "period_end", "basis_note", "nominee"]
    other = ["nominee_name", "nominee_birth_year", "nominee_sex", "nominee_unit", "kind"]
    urls = [
        f"{NEW}?mediator={world.mediator1}",
        f"{NEW}?other=person",
        BULK,
        f"/commendations/proposals/{world.proposal1}/edit",
    ]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.sampled_from(urls),
        st.fixed_dictionaries({}, optional=dict.fromkeys(fields + other, text)),
    )
    def run(url, data):
        before = fingerprint(app)
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, data)
        if response.status_code != 303:
            assert fingerprint(app) == before

    run()
