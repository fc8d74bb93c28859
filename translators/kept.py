"""Patterns of what must come through translation unchanged: URLs, e-mail addresses, phone numbers."""

from __future__ import annotations

import re

__all__ = ["EMAIL", "PHONE", "URL", "phone_key", "url_of"]

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A URL with its scheme or www., or a bare domain of the endings the office's texts cite
# (wsb.shfao.gov.cn): letters right before it would make it part of a word or an e-mail address.
URL = re.compile(
    r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
    r"|(?<![A-Za-z0-9@.\-])(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:cn|com|org|net|gov|edu|int)"
    r"(?![A-Za-z0-9-])(?:/[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]*)?"
)
# Chinese phone numbers: +86 and area-code forms, (021) 6321 7000, mobiles. A bare 8-digit local
# number or a 5-digit hotline is not taken for a phone: it cannot be told from an amount.
PHONE = re.compile(
    r"(?:\+86[ -]?)?(?:\(0\d{2,3}\)[ -]?|0\d{2,3}[ -]|(?<=\+86 )\d{2,3}[ -]|(?<=\+86-)\d{2,3}[ -])"
    r"\d{3,4}[ -]?\d{4}(?!\d)"
    r"|(?<!\d)(?:\+86[ -]?)?1[3-9]\d{9}(?!\d)"
)
_URL_TAIL = ".,;:!?'\")]"


def url_of(match: str) -> str:
    """A matched URL without the sentence punctuation that followed it."""
    return match.rstrip(_URL_TAIL)


def phone_key(phone: str) -> str:
    """A phone number as the digits a caller dials from inside China: +86 21 … and 021-… agree."""
    digits = re.sub(r"\D", "", phone)
    if phone.lstrip().startswith("+86") and digits.startswith("86"):
        digits = digits[2:]
        if not digits.startswith("1"):
            digits = "0" + digits  # area codes lose their 0 after +86
    return digits
