"""Amounts of money as Vietnamese offices write them: in figures and in words.

Plain functions over plain values, used by the payment request (giấy đề nghị thanh toán) and
the pay-rate form.
"""

import re

from app.text import format_number

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Each group of three digits, from the lowest: units, thousands, millions. Above a billion
# the words repeat: 1.000.000.000.000 is "một nghìn tỷ".
GROUPS = ("", "nghìn", "triệu")
BILLION = 10**9

# "200000", "200.000", "200 000" (with ordinary or non-breaking spaces), optionally followed
# by đ, đồng, VND or VNĐ. A comma is refused: in Vietnamese it is the decimal separator.
_AMOUNT = re.compile(
    r"^([0-9]{1,3}(?:[. \u00a0\u202f][0-9]{3})+|[0-9]+)\s*(?:đ|đồng|vnd|vnđ)?$", re.IGNORECASE
)


def parse_amount(text: str | None) -> int | None:
    """A whole number of đồng typed with or without separators; None when it is not one."""
    text = (text or "").strip()
    match = _AMOUNT.match(text)
    if match is None:
        return None
    digits = re.sub(r"[^0-9]", "", match.group(1))
    return int(digits) if len(digits) <= 15 else None


def vnd(amount: int | None) -> str:
    """12.345.000 đ"""
    return "—" if amount is None else f"{format_number(amount)} đ"


def _tens_and_units(n: int, after_hundreds: bool, odd: str) -> list[str]:
    """Words for 0-99. ``after_hundreds``: a hundreds word came before (so 5 is "linh năm")."""
    tens, units = divmod(n, 10)
    words = []
    if tens == 0:
        if units and after_hundreds:
            words.append(odd)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 4 and tens >= 2:
        words.append("tư")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    else:
        words.append(DIGITS[units])
    return words


def _group(n: int, leading: bool, odd: str) -> list[str]:
    """Words for one group of three digits (1-999). A group after a larger one says its
    hundreds even when they are zero: 1.005 is "một nghìn không trăm linh năm"."""
    hundreds, rest = divmod(n, 100)
    words = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    return words + _tens_and_units(rest, after_hundreds=bool(words), odd=odd)


def _below_billion(n: int, leading: bool, odd: str) -> list[str]:
    groups = []
    for name in GROUPS:
        n, value = divmod(n, 1000)
        groups.append((value, name))
        if not n:
            break
    words: list[str] = []
    top = len(groups) - 1
    for index in range(top, -1, -1):
        value, name = groups[index]
        if value == 0:
            continue
        words += _group(value, leading=leading and index == top, odd=odd)
        if name:
            words.append(name)
    return words


def _words(n: int, leading: bool, odd: str) -> list[str]:
    if n < BILLION:
        return _below_billion(n, leading, odd)
    billions, rest = divmod(n, BILLION)
    words = [*_words(billions, leading, odd), "tỷ"]
    if rest:
        words += _below_billion(rest, leading=False, odd=odd)
    return words


def amount_in_words(amount: int, odd: str = "linh") -> str:
    """1250000 -> "Một triệu hai trăm năm mươi nghìn đồng".

    ``odd`` is the word for a zero tens digit before a unit: "linh" (the North's and the
    usual one on vouchers) or "lẻ" (the South's): 105 is "một trăm linh năm".
    """
    if amount < 0:
        raise ValueError("amount_in_words takes a non-negative amount")
    words = _words(amount, leading=True, odd=odd) if amount else [DIGITS[0]]
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]
