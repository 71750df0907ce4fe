"""Vietnamese number parsing: ``,`` is the decimal mark, ``.`` groups thousands.

``27,47`` → 27.47; ``2.200`` → 2200; ``1.234.567,8`` → 1234567.8; scale words multiply
(``nghìn``/``ngàn`` 10³, ``triệu`` 10⁶, ``tỷ``/``tỉ`` 10⁹) and combine (``nghìn tỷ`` 10¹²).
"""

from __future__ import annotations

import re

__all__ = ["NUMBER", "SCALES", "parse_number", "parse_scaled"]

# a number as Vietnamese writes it: thousands groups with "." (or a space), decimals with ","
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_SCALE_RX = re.compile(r"\s*(nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ|tỉ)\b", re.I)


def parse_number(s: str) -> float:
    """Parse one Vietnamese-formatted number.

    Examples
    --------
    >>> parse_number("27,47")
    27.47
    >>> parse_number("2.200")
    2200.0
    >>> parse_number("265,165")
    265.165
    >>> parse_number("1.234.567,8")
    1234567.8
    """
    s = s.strip()
    if not re.fullmatch(NUMBER, s):
        raise ValueError(f"not a Vietnamese number: {s!r}")
    return float(s.replace(".", "").replace(",", "."))


def parse_scaled(number: str, rest: str = "") -> tuple[float, int]:
    """Parse ``number`` and a scale word at the start of ``rest``; return (value, chars of rest used).

    Examples
    --------
    >>> parse_scaled("27,47", " triệu USD")
    (27470000.0, 6)
    >>> parse_scaled("2.200", " tỷ đồng")
    (2200000000000.0, 3)
    >>> parse_scaled("5", " nghìn tỷ đồng")
    (5000000000000.0, 9)
    """
    value = parse_number(number)
    m = _SCALE_RX.match(rest)
    if not m:
        return value, 0
    factor = 1.0
    for word in m.group(1).lower().split():
        factor *= SCALES[word]
    return round(value * factor, 6), m.end()
