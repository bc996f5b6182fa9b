"""The pure rules of commendation: who may grant a form, the warnings, decision numbers."""

import pytest

from app.commendations import rules
from app.units.models import Level


@pytest.mark.parametrize(
    ("form", "office", "top", "allowed"),
    [
        ("giay_khen_xa", Level.DISTRICT, False, True),
        ("giay_khen_huyen", Level.DISTRICT, False, True),
        ("bang_khen_tinh", Level.DISTRICT, False, False),
        ("bang_khen_tinh", Level.PROVINCE, True, True),
        ("giay_khen_huyen", Level.PROVINCE, True, True),
        # The Ministry's forms: only the top office of the tree accepts (to submit them).
        ("bang_khen_bo", Level.PROVINCE, True, True),
        ("ky_niem_chuong", Level.DISTRICT, False, False),
        ("ky_niem_chuong", Level.PROVINCE, True, True),
    ],
)
def test_an_office_accepts_up_to_its_own_level(form, office, top, allowed):
    assert rules.may_accept(form, office, top) is allowed


def test_the_medal_is_for_persons_and_once_in_a_lifetime():
    medal = rules.FORMS["ky_niem_chuong"]
    assert medal.once_in_lifetime and medal.persons_only
    assert "ky_niem_chuong" not in dict(rules.form_choices("team"))
    assert "ky_niem_chuong" not in dict(rules.form_choices("organisation"))
    assert "ky_niem_chuong" in dict(rules.form_choices("mediator"))
    assert sum(f.once_in_lifetime for f in rules.FORMS.values()) == 1


def test_warnings_say_what_argues_against_a_proposal():
    assert rules.warnings() == []
    found = rules.warnings(dismissed=True, team_compliant=False, team_name="Tổ hòa giải bản Pá")
    assert found == [
        "Người được đề nghị đã thôi làm hòa giải viên.",
        "Tổ hòa giải bản Pá hiện chưa đủ số lượng, thành phần theo quy định.",
    ]
    # An unknown compliance (no team) says nothing.
    assert rules.warnings(team_compliant=None) == []


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("123/QĐ-UBND", None),
        ("5/QĐ-STP", None),
        ("2145/QĐ-UBND", None),
        ("", "Nhập số quyết định."),
        ("   ", "Nhập số quyết định."),
        ("QĐ-UBND", "Số quyết định viết như"),
        ("123/", "Số quyết định viết như"),
        ("12 3/QĐ", "Số quyết định viết như"),
    ],
)
def test_decision_numbers(number, problem):
    found = rules.number_problem(number)
    if problem is None:
        assert found is None
    else:
        assert found.startswith(problem)


def test_the_same_number_is_the_same_whatever_the_case_spaces_or_marks():
    assert rules.number_key("123/QĐ-UBND") == rules.number_key("123/qd-ubnd")
    assert rules.number_key("123/QĐ-UBND") == rules.number_key("123 / QĐ-UBND")
    assert rules.number_key("123/QĐ-UBND") != rules.number_key("124/QĐ-UBND")
    assert rules.issuer_key("Ủy ban nhân dân  huyện Mường Nhé") == rules.issuer_key(
        "UỶ BAN NHÂN DÂN HUYỆN MƯỜNG NHÉ"
    )


def test_serials_and_amounts_as_printed():
    assert rules.serial_text(15, 2026) == "015/2026"
    assert rules.serial_text(1234, 2026) == "1234/2026"
    assert rules.amount_text(1_500_000) == "1.500.000"
    assert rules.amount_text(0) == "0"
