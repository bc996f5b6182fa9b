"""QUALITY.md S7: length, no composition rules, common passwords refused, 64 chars accepted."""

import pytest

from app.security.passwords import hash_password, password_problems, verify_password


@pytest.mark.parametrize(
    "password",
    ["mật khẩu dài", "abcdefgh-ijkl", "x" * 7 + "yz", "Đ" * 64, "một câu rất dài " * 4],
)
def test_acceptable_passwords(ctx, password):
    assert password_problems(password[:128], "canbo") == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("ngắn", "ít nhất 8"),
        ("1234567", "ít nhất 8"),
        ("password", "phổ biến"),
        ("12345678", "phổ biến"),
        ("matkhau123", "phổ biến"),
        ("Mật Khẩu 123", "phổ biến"),
        ("canbo-2026-x", "tên đăng nhập"),
        ("x" * 129, "tối đa"),
    ],
)
def test_refused_passwords(ctx, password, reason):
    problems = " ".join(password_problems(password, "canbo"))
    assert reason in problems


def test_hash_and_verify(ctx):
    hashed = hash_password("một mật khẩu tốt")
    assert hashed != "một mật khẩu tốt"
    assert verify_password(hashed, "một mật khẩu tốt")
    assert not verify_password(hashed, "một mật khẩu khác")
    assert not verify_password(None, "bất kỳ")


def test_64_character_password_works_end_to_end(world, login_as, make_client):
    client = login_as("officer")
    long_password = "dài" * 21 + "x"
    assert len(long_password) == 64
    response = client.post(
        "/account/password",
        data={
            "current_password": "mật khẩu đủ dài 2026",
            "new_password": long_password,
            "confirm": long_password,
        },
    )
    assert response.status_code == 303
    assert make_client().login("canbo", long_password).status_code == 303
