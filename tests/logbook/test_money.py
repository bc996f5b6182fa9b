"""Amounts in figures and in Vietnamese words, as payment requests and vouchers write them."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.logbook.money import amount_in_words, parse_amount
from app.text import format_number


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (101, "Một trăm linh một đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_000, "Một nghìn đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (1_015, "Một nghìn không trăm mười lăm đồng"),
        (45_000, "Bốn mươi lăm nghìn đồng"),
        (200_000, "Hai trăm nghìn đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (3_050_000, "Ba triệu không trăm năm mươi nghìn đồng"),
        (10_000_000, "Mười triệu đồng"),
        (100_100_100, "Một trăm triệu một trăm nghìn một trăm đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (1_001_000_000, "Một tỷ không trăm linh một triệu đồng"),
        (2_024_000_000_000, "Hai nghìn không trăm hai mươi tư tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


def test_the_south_says_le_for_a_zero_tens_digit():
    assert amount_in_words(105, odd="lẻ") == "Một trăm lẻ năm đồng"
    assert amount_in_words(1_005, odd="lẻ") == "Một nghìn không trăm lẻ năm đồng"


def test_a_negative_amount_is_a_programming_error():
    with pytest.raises(ValueError):
        amount_in_words(-1)


@given(st.integers(min_value=0, max_value=10**15))
def test_words_are_well_formed_for_any_amount(amount):
    words = amount_in_words(amount)
    assert words.endswith(" đồng") and words[0].isupper()
    assert "  " not in words
    # "mốt", "tư" and "lăm" only follow a tens word.
    tokens = words.lower().split()
    for word in ("mốt", "tư", "lăm"):
        for i, token in enumerate(tokens):
            if token == word:
                assert tokens[i - 1] in ("mươi", "mười"), words


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("200000", 200_000),
        ("200.000", 200_000),
        ("200 000", 200_000),
        ("200\u00a0000", 200_000),
        (" 1.250.000 đ ", 1_250_000),
        ("200000 đồng", 200_000),
        ("150000 VND", 150_000),
        ("0", 0),
    ],
)
def test_parse_amount_accepts_the_usual_ways_of_writing(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["", "abc", "200,000", "20.00", "2.00.000", "-5", "1e6", "٢٠٠"])
def test_parse_amount_refuses_what_is_not_a_whole_number_of_dong(text):
    assert parse_amount(text) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_format_and_parse_round_trip(amount):
    assert parse_amount(format_number(amount)) == amount
