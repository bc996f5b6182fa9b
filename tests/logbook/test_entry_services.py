"""Keeping the logbook: every bad input of a case gets a clear Vietnamese message and saves
nothing; numbers restart each year; a party asking to stop counts as failed; paid cases stay."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.logbook.models import LogbookEntry, LogbookMediator, LogbookParty
from app.logbook.queries import team_tally
from app.logbook.rules import Party, result_choice, split_result
from app.logbook.services import (
    EntryValues,
    LogbookError,
    create_entry,
    delete_entry,
    next_number,
    update_entry,
)
from app.registry.models import Mediator, Team
from app.registry.services.mediators import create_mediator, dismiss_mediator

DAY = date(2026, 3, 10)


def values(world, **changes) -> EntryValues:
    """A valid successful case of team1, changed where a test says."""
    base = EntryValues(
        received_on=DAY,
        started_on=DAY,
        ended_on=DAY,
        content="Tranh chấp lối đi chung giữa hai hộ",
        scope="civil",
        result="successful",
        agreement="Hai bên thống nhất mở lối đi rộng 2 m.",
        parties=[Party("Thào Thị Dợ", 40, "Bản Delta"), Party("Mùa A Chư", 38, None)],
        mediator_ids=[world.mediator1],
    )
    return replace(base, **changes)


def team(n=1) -> Team:
    return db.session.scalars(select(Team).order_by(Team.id)).all()[n - 1]


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(LogbookEntry.id))),
        db.session.scalar(select(func.count(LogbookParty.id))),
        db.session.scalar(select(func.count(LogbookMediator.id))),
    )


def refused(world, the_team, vals, entry=None) -> list[tuple[str, str]]:
    """The errors of a save that must be refused; the database is unchanged after it."""
    before = counts()
    with pytest.raises(LogbookError) as caught:
        if entry is None:
            create_entry(the_team, vals)
        else:
            update_entry(entry, vals)
    db.session.rollback()
    assert counts() == before
    return caught.value.errors


def test_a_valid_case_is_saved_with_its_parties_and_mediators(ctx, world):
    entry = create_entry(team(), values(world))
    assert (entry.year, entry.number, entry.party_count) == (2026, 1, 2)
    assert (entry.commune_id, entry.unit_id) == (world.c1, world.v1)
    assert db.session.scalar(select(func.count()).where(LogbookMediator.entry_id == entry.id)) == 1


def test_result_date_before_received_date(ctx, world):
    errors = refused(world, team(), values(world, ended_on=date(2026, 3, 9)))
    assert ("ended_on", "Ngày kết thúc không thể trước ngày tiếp nhận.") in errors
    errors = refused(world, team(), values(world, started_on=date(2026, 3, 1)))
    assert ("started_on", "Ngày bắt đầu hòa giải không thể trước ngày tiếp nhận.") in errors


def test_an_ended_case_needs_its_end_date_and_an_open_one_has_none(ctx, world):
    errors = refused(world, team(), values(world, ended_on=None))
    assert ("ended_on", "Vụ việc đã kết thúc: nhập ngày kết thúc hòa giải.") in errors
    errors = refused(world, team(), values(world, result="in_progress", agreement=None))
    assert errors[0][0] == "ended_on" and "chưa kết thúc" in errors[0][1]


def test_successful_without_agreement(ctx, world):
    for agreement in (None, "", "   "):
        errors = refused(world, team(), values(world, agreement=agreement))
        assert errors == [
            ("agreement", "Vụ việc hòa giải thành phải ghi nội dung thỏa thuận đạt được.")
        ]
    create_entry(team(), values(world, result="failed", agreement=None))


@pytest.mark.parametrize("age", [-1, 121])
def test_a_party_of_an_impossible_age(ctx, world, age):
    parties = [Party("Thào Thị Dợ", 40, None), Party("Mùa A Chư", age, None)]
    errors = refused(world, team(), values(world, parties=parties))
    assert errors == [("parties", "Bên thứ 2: tuổi phải từ 0 đến 120.")]


@pytest.mark.parametrize("age", [0, 120, None])
def test_ages_at_the_limits_are_accepted(ctx, world, age):
    parties = [Party("Thào Thị Dợ", age, None)]
    assert create_entry(team(), values(world, parties=parties)).party_count == 1


def test_a_case_needs_a_party_with_a_name(ctx, world):
    errors = refused(world, team(), values(world, parties=[]))
    assert errors == [("parties", "Nhập ít nhất một bên tranh chấp.")]
    errors = refused(world, team(), values(world, parties=[Party("", 30, "Bản Delta")]))
    assert errors == [("parties", "Bên thứ 1: nhập họ và tên.")]


def test_a_dismissed_mediator_only_on_cases_received_before_the_dismissal(ctx, world):
    mediator = db.session.get(Mediator, world.mediator1)
    dismiss_mediator(mediator, "own_wish", {"decision_date": date(2026, 3, 1)})
    db.session.commit()
    errors = refused(world, team(), values(world))
    assert errors == [
        (
            "mediators",
            "Giàng Thị Mai MARKER-C1 đã thôi làm hòa giải viên từ 01/03/2026, trước ngày "
            "tiếp nhận vụ việc.",
        )
    ]
    day = date(2026, 2, 20)
    earlier = values(world, received_on=day, started_on=day, ended_on=day)
    assert create_entry(team(), earlier).number == 1


def test_mediators_must_be_of_the_teams_commune(ctx, world):
    errors = refused(world, team(), values(world, mediator_ids=[world.mediator3]))
    assert errors == [("mediators", "Chỉ chọn hòa giải viên của xã có tổ hòa giải này.")]
    errors = refused(world, team(), values(world, mediator_ids=[]))
    assert errors == [("mediators", "Chọn ít nhất một hòa giải viên tiến hành hòa giải.")]


def test_a_mediator_of_another_team_of_the_commune_may_help(ctx, world):
    from app.registry.services.teams import create_team
    from app.units.models import Unit

    other = create_team(unit=db.session.get(Unit, world.v1), name="Tổ hai")
    helper = create_mediator(
        team=other,
        values={
            "full_name": "Lò Văn Thanh",
            "sex": "M",
            "birth_year": 1970,
            "ethnicity_code": "03",
        },
        decision={"decision_number": "5/QĐ-UBND", "decision_date": date(2024, 1, 5)},
    )
    entry = create_entry(team(), values(world, mediator_ids=[world.mediator1, helper.id]))
    assert entry.id


def test_a_number_already_used_in_the_same_team_and_year(ctx, world):
    create_entry(team(), values(world, number=7))
    db.session.commit()
    errors = refused(world, team(), values(world, number=7))
    assert errors == [
        (
            "number",
            "Số 7/2026 đã dùng trong sổ của tổ này (vụ việc tiếp nhận ngày 10/03/2026). "
            "Số tiếp theo còn trống: 8.",
        )
    ]


def test_the_same_number_in_another_year_or_another_team_is_fine(ctx, world):
    create_entry(team(), values(world, number=7))
    day = date(2024, 5, 2)
    other_year = create_entry(
        team(), values(world, number=7, received_on=day, started_on=day, ended_on=day)
    )
    assert (other_year.number, other_year.year) == (7, 2024)
    other_team = create_entry(team(2), values(world, number=7, mediator_ids=[world.mediator2]))
    assert (other_team.number, other_team.year) == (7, 2026)


def test_numbering_restarts_each_year(ctx, world):
    first = create_entry(team(), values(world))
    second = create_entry(team(), values(world))
    assert (first.number, second.number) == (1, 2)
    # The world's cases of team1 were received in 2025: its 2025 book goes on from 3.
    assert next_number(team().id, 2025) == 3
    assert next_number(team().id, 2026) == 3
    assert next_number(team().id, 2027) == 1
    day = date(2025, 12, 31)
    late = create_entry(team(), values(world, received_on=day, started_on=day, ended_on=day))
    assert (late.number, late.year) == (3, 2025)


def test_numbers_must_be_positive(ctx, world):
    errors = refused(world, team(), values(world, number=0, page_number=-2))
    assert ("number", "Số thứ tự phải là số nguyên dương.") in errors
    assert ("page_number", "Số trang phải là số nguyên dương.") in errors


def test_a_party_asking_to_stop_counts_as_failed(ctx, world):
    assert split_result("stopped") == ("failed", True)
    assert result_choice("failed", True) == "stopped"
    before = team_tally(team().id, date(2026, 1, 1), date(2026, 12, 31))
    result, stop = split_result("stopped")
    entry = create_entry(team(), values(world, result=result, stop_requested=stop, agreement=None))
    assert (entry.result, entry.stop_requested) == ("failed", True)
    assert entry.result_label == "Hòa giải không thành (một bên yêu cầu chấm dứt)"
    after = team_tally(team().id, date(2026, 1, 1), date(2026, 12, 31))
    assert (after.failed, after.ended) == (before.failed + 1, before.ended + 1)
    # A case still in progress never keeps the flag.
    update_entry(entry, values(world, result="in_progress", ended_on=None, stop_requested=True))
    assert entry.stop_requested is False


def test_editing_a_paid_cases_result_or_end_date_is_refused(ctx, world):
    paid = db.session.get(LogbookEntry, world.paid_entry1)
    day = paid.received_on
    kept = values(world, received_on=day, started_on=day, ended_on=day, number=paid.number)
    failed = replace(kept, result="failed", agreement=None)
    for change in (
        {"result": "pending", "ended_on": None},
        {"result": "in_progress", "ended_on": None},
        {"ended_on": date(2025, 2, 4)},
    ):
        changed = replace(failed, **change)
        errors = refused(world, team(), changed, entry=paid)
        assert (
            "result",
            "Vụ việc đã được chi thù lao: hủy đợt chi trả trước khi đổi kết quả "
            "hoặc ngày kết thúc.",
        ) in errors
        paid = db.session.get(LogbookEntry, world.paid_entry1)
        assert (paid.result, paid.ended_on) == ("failed", day)
    # What was not paid for may still be corrected: the remuneration is the same for a
    # successful and a failed case, so the services let one become the other.
    update_entry(paid, replace(failed, note="Sửa ghi chú"))
    assert paid.note == "Sửa ghi chú"


def test_deleting_a_paid_case_is_refused(ctx, world):
    paid = db.session.get(LogbookEntry, world.paid_entry1)
    before = counts()
    with pytest.raises(LogbookError) as caught:
        delete_entry(paid)
    assert caught.value.errors == [
        ("entry", "Vụ việc đã được chi thù lao: hủy đợt chi trả trước khi xóa vụ việc.")
    ]
    db.session.rollback()
    assert counts() == before


def test_deleting_an_unpaid_case_removes_its_parties_and_mediators(ctx, world):
    before = counts()
    delete_entry(db.session.get(LogbookEntry, world.entry1))
    assert counts() == (before[0] - 1, before[1] - 2, before[2] - 1)


def test_a_dissolved_team_takes_no_new_case(ctx, world):
    the_team = team()
    the_team.dissolved_on = date(2026, 1, 1)
    errors = refused(world, the_team, values(world))
    assert errors == [("team", "Tổ hòa giải đã giải thể: không thể ghi thêm vụ việc.")]
