"""The legal rules of DOMAIN.md §3 as pure functions."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.registry.rules import (
    NO_LEADER,
    NO_MINORITY,
    NO_WOMAN,
    TOO_FEW,
    Member,
    add_months,
    age_problem,
    compliance_issues,
    describe_issues,
    ethnic_groups,
    is_minority,
    is_training_overdue,
    training_due,
)


def member(sex="F", ethnicity="08", leader=False, active=True):
    return Member(active=active, sex=sex, ethnicity_code=ethnicity, is_leader=leader)


def test_54_official_groups_with_kinh_first():
    groups = ethnic_groups()
    assert len(groups) == 54
    assert groups["01"] == "Kinh" and groups["08"] == "Mông" and groups["54"] == "Rơ-măm"
    assert not is_minority("01") and is_minority("08") and not is_minority("99")


def test_a_compliant_team():
    team = [member(leader=True), member(sex="M"), member(sex="M", ethnicity="01")]
    assert compliance_issues(team, ethnic_minority_area=True) == 0
    assert describe_issues(0) == []


@pytest.mark.parametrize(
    ("team", "area", "expected"),
    [
        ([member(leader=True), member()], False, TOO_FEW),
        ([member(sex="M", leader=True), member(sex="M"), member(sex="M")], False, NO_WOMAN),
        (
            [member(ethnicity="01", leader=True), member(ethnicity="01"), member(ethnicity="01")],
            True,
            NO_MINORITY,
        ),
        (
            [member(ethnicity="01", leader=True), member(ethnicity="01"), member(ethnicity="01")],
            False,
            0,
        ),
        ([member(), member(), member()], False, NO_LEADER),
        ([member(leader=True, active=False), member(), member(), member()], False, NO_LEADER),
        ([], True, TOO_FEW | NO_WOMAN | NO_MINORITY | NO_LEADER),
    ],
)
def test_each_rule(team, area, expected):
    assert compliance_issues(team, area) == expected


def test_problems_in_words():
    assert describe_issues(NO_WOMAN | NO_LEADER) == [
        "Thiếu hòa giải viên nữ",
        "Chưa có tổ trưởng được công nhận",
    ]


@given(
    st.lists(
        st.builds(
            member,
            sex=st.sampled_from("FM"),
            ethnicity=st.sampled_from(["01", "08", "03"]),
            leader=st.booleans(),
            active=st.booleans(),
        ),
        max_size=10,
    ),
    st.booleans(),
)
def test_dismissed_members_never_count(team, area):
    with_dismissed = [*team, member(leader=True, active=False)]
    assert compliance_issues(with_dismissed, area) == compliance_issues(team, area)


def test_training_due_six_months_after_recognition():
    assert training_due(date(2025, 1, 15)) == date(2025, 7, 15)
    assert training_due(date(2025, 8, 31)) == date(2026, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert training_due(None) is None


def test_overdue():
    today = date(2026, 1, 1)
    assert is_training_overdue(date(2025, 6, 1), None, True, today)
    assert not is_training_overdue(date(2025, 8, 1), None, True, today)
    assert not is_training_overdue(date(2025, 6, 1), date(2025, 9, 1), True, today)
    assert not is_training_overdue(date(2025, 6, 1), None, False, today)


def test_age_rules():
    today = date(2026, 11, 21)
    assert age_problem(2027, today) == "Năm sinh không được ở tương lai."
    assert "18 tuổi" in age_problem(2010, today)
    assert age_problem(2008, today) is None
    assert age_problem(1900, today) == "Năm sinh không hợp lệ."
