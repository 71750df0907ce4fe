"""Dates: the article's own date line, event dates in the text (with or without a year), periods.

A yearless date ("Chiều 29/10") takes its year from the article's own date line, and the year
before when that would put the event after publication; with no date line there is no year and so
no date. Site clocks and sidebar dates never reach this module: cleaning removed them.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = ["event_date", "find_dates", "parse_date_line", "period_of"]

_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y = r"(?P<y>(?:19|20)\d{2})"
_TIME = re.compile(r"(?<!\d)(?P<H>[01]?\d|2[0-3])\s*[:hg]\s*(?P<MM>[0-5]\d)(?!\d)")
_DMY = re.compile(rf"(?<!\d){_D}\s*[/.-]\s*{_M}\s*[/.-]\s*{_Y}(?!\d)")
_WORDY = re.compile(rf"ngày\s+{_D}\s+tháng\s+{_M}\s+năm\s+{_Y}", re.I)
_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<MM>\d{2}))?")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def parse_date_line(line: str | None) -> tuple[date | None, str | None]:
    """Parse an article's date line; return ``(date, "HH:MM" or None)``.

    Examples
    --------
    >>> parse_date_line("Thứ sáu, 28/07/2023 - 23:13'")
    (datetime.date(2023, 7, 28), '23:13')
    >>> parse_date_line("07:45 | 31/10/2025 GMT+7")
    (datetime.date(2025, 10, 31), '07:45')
    >>> parse_date_line("Thứ Tư, 26/06/2019")
    (datetime.date(2019, 6, 26), None)
    >>> parse_date_line("2020-09-29T15:41:00+07:00")
    (datetime.date(2020, 9, 29), '15:41')
    >>> parse_date_line("1 giờ trước")
    (None, None)
    """
    if not line:
        return None, None
    m = _ISO.search(line)
    if m:
        d = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        return d, (f"{m['H']}:{m['MM']}" if m["H"] and d else None)
    m = _DMY.search(line) or _WORDY.search(line)
    if not m:
        return None, None
    d = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
    if d is None:
        return None, None
    rest = line[: m.start()] + " " + line[m.end() :]
    t = _TIME.search(rest)
    return d, (f"{int(t['H']):02d}:{t['MM']}" if t else None)


# day-part or "ngày" cue, then d/m[/y] (also "d-m", "d.m"), or "ngày d tháng m [năm y]"
_CUE = (
    r"(?:sáng|chiều|trưa|tối|đêm|ngày|hôm|từ ngày|từ|chiều ngày|sáng ngày|tối ngày|trong hai ngày|"
    r"trong các ngày|hai ngày|hôm nay|hôm qua|sáng nay|chiều nay|tối qua|sáng qua|chiều qua)"
)
_EVENT_NUMERIC = re.compile(
    rf"\b{_CUE}\s+\(?(?:(?P<d0>\d{{1,2}})\s*[-–]\s*)?{_D}\s*(?P<sep>[/.-])\s*{_M}(?:\s*(?P=sep)\s*{_Y})?(?![\d])", re.I
)
# "từ ngày 15 đến ngày 17-12-2025": a multi-day event starts on the first day
_EVENT_RANGE = re.compile(
    rf"\btừ\s+ngày\s+(?P<d>\d{{1,2}})\s+(?:đến|tới)\s+(?:ngày\s+)?\d{{1,2}}\s*(?P<sep>[/.-])\s*{_M}(?:\s*(?P=sep)\s*{_Y})?(?!\d)",
    re.I,
)
_EVENT_WORDY = re.compile(rf"\b{_CUE}\s+{_D}\s+tháng\s+{_M}(?:\s+năm\s+{_Y})?", re.I)


def find_dates(text: str) -> list[tuple[int, int, int, int, int | None]]:
    """Day-dates with a cue word in ``text``: ``(start, end, day, month, year or None)``.

    Examples
    --------
    >>> [(d, m, y) for _, _, d, m, y in find_dates("Chiều 29/10, tại Lai Châu; ngày 18/5/2021")]
    [(29, 10, None), (18, 5, 2021)]
    >>> [(d, m, y) for _, _, d, m, y in find_dates("Từ ngày 29.8 đến 2.9, đoàn")]
    [(29, 8, None)]
    >>> [(d, m, y) for _, _, d, m, y in find_dates("Ngày 16 tháng 3 năm 2021, Sở")]
    [(16, 3, 2021)]
    >>> [(d, m, y) for _, _, d, m, y in find_dates("Hôm nay (14/3), tại Lạng Sơn")]
    [(14, 3, None)]
    >>> [(d, m, y) for _, _, d, m, y in find_dates("từ ngày 15 đến ngày 17-12-2025, Đoàn")][0]
    (15, 12, 2025)
    """
    out = []
    found = sorted(
        [*_EVENT_RANGE.finditer(text), *_EVENT_NUMERIC.finditer(text), *_EVENT_WORDY.finditer(text)],
        key=lambda m: (m.start(), -m.end()),
    )
    for m in found:
        first = m.groupdict().get("d0")  # "Trong hai ngày 10 - 11/4" → the 10th
        d, mo = int(first or m["d"]), int(m["m"])
        y = int(m["y"]) if m["y"] else None
        if 1 <= d <= 31 and 1 <= mo <= 12:
            out.append((m.start(), m.end(), d, mo, y))
    return out


def event_date(day: int, month: int, year: int | None, published: date | None) -> date | None:
    """Resolve a possibly yearless day/month against the publication date.

    Examples
    --------
    >>> event_date(29, 10, None, date(2024, 10, 30))
    datetime.date(2024, 10, 29)
    >>> event_date(29, 12, None, date(2025, 1, 2))
    datetime.date(2024, 12, 29)
    >>> event_date(29, 10, None, None) is None
    True
    """
    if year is not None:
        return _valid(year, month, day)
    if published is None:
        return None
    d = _valid(published.year, month, day)
    if d is not None and (d - published).days > 7:
        d = _valid(published.year - 1, month, day)
    return d


_Y4 = r"(?P<y>(?:19|20)\d{2})"
_PERIOD_PATTERNS = [
    (
        re.compile(
            r"\btừ\b[^;]{0,60}?(?:ngày\s+\d{1,2}\s*/\s*|tháng\s+)(?P<m1>\d{1,2})\s*/\s*(?P<y1>(?:19|20)\d{2})\s+"
            r"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+\d{1,2}\s*/\s*|tháng\s+)(?P<m2>\d{1,2})(?:\s*/\s*(?P<y2>(?:19|20)\d{2}))?",
            re.I,
        ),
        "range",
    ),
    (
        re.compile(
            r"\b(?:tính\s+)?(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+\d{1,2}\s*/\s*(?P<m>\d{1,2})|tháng\s+(?P<mm>\d{1,2}))"
            r"(?:\s*/\s*(?P<y>(?:19|20)\d{2}))?(?!\s*/?\d)",
            re.I,
        ),
        "to_date",
    ),
    (
        re.compile(
            rf"\b(\d{{1,2}}|sáu|chín|ba|bốn|mười)\s+tháng(?:\s+đầu)?(?:\s+(?:của\s+)?năm)?(?:\s+{_Y4})?\b", re.I
        ),
        "months",
    ),
    (re.compile(rf"\bnửa\s+đầu\s+năm(?:\s+{_Y4})?\b", re.I), "half"),
    (re.compile(r"\btháng\s+(?P<m>\d{1,2})\s*/\s*(?P<y>(?:19|20)\d{2})\b", re.I), "month"),
    (re.compile(rf"\bquý\s+(?P<q>I{{1,3}}V?|IV|[1-4])\s*(?:[/-]\s*|\s+năm\s+)?{_Y4}?", re.I), "quarter"),
    (re.compile(r"\bgiai đoạn\s+(?P<y1>(?:19|20)\d{2})\s*[-–]\s*(?P<y2>(?:19|20)\d{2})", re.I), "span"),
    (re.compile(rf"\bnăm\s+{_Y4}\b", re.I), "year"),
    (re.compile(r"\bnăm nay\b", re.I), "this_year"),
]
#: comparison phrases whose year is the base of a change, not the period of the figure
COMPARISON = re.compile(
    r"(?:so\s+với\s+)?(?:cùng\s+kỳ|năm\s+trước|năm\s+ngoái)(?:\s+năm)?(?:\s+(?:19|20)\d{2})?|so\s+với(?:\s+năm)?\s+(?:19|20)\d{2}",
    re.I,
)
_WORD_NUM = {"ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "chín": 9, "mười": 10}
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def period_of(text: str, default_year: int | None) -> tuple[str | None, int]:
    """The reporting period named in ``text`` (a clause), as ``(period, position)``.

    Periods: ``"2022"``, ``"2023-H1"``, ``"2023-Q3"``, ``"2023-01/2023-10"`` (first ten months),
    ``"2021-01/2025-12"`` (a span of years); ``None`` when the text names none. A period without a
    year ("6 tháng đầu năm") takes ``default_year``; without one it is ``None``.

    Examples
    --------
    >>> period_of("6 tháng đầu năm, tổng giá trị xuất nhập khẩu", 2023)[0]
    '2023-H1'
    >>> period_of("9 tháng năm 2022, tổng giá trị", None)[0]
    '2022-01/2022-09'
    >>> period_of("quý I/2023 đạt 640 triệu USD", None)[0]
    '2023-Q1'
    >>> period_of("từ ngày 15/9/2023 đến ngày 10/10 vừa qua, đón 18 nghìn lượt khách", 2024)[0]
    '2023-09/2024-10'
    >>> period_of("tính đến hết ngày 30/9 đạt 1,05 tỷ USD", 2023)[0]
    '2023-01/2023-09'
    >>> period_of("giai đoạn 2021 – 2025", None)[0]
    '2021-01/2025-12'
    >>> period_of("GRDP năm 2022 đạt 9,0%", None)[0]
    '2022'
    >>> period_of("9 tháng ước đạt 708 triệu USD, giảm 31% so với cùng kỳ năm 2021", 2022)[0]
    '2022-01/2022-09'
    """
    best: tuple[str | None, int] = (None, -1)
    text = COMPARISON.sub(lambda m: " " * len(m.group(0)), text)  # "so với cùng kỳ năm 2021" is not the period
    for rx, kind in _PERIOD_PATTERNS:
        for m in rx.finditer(text):
            p = _period(m, kind, default_year)
            if p is not None:
                return p, m.start()
    return best


def _period(m: re.Match[str], kind: str, default_year: int | None) -> str | None:
    if kind == "months":
        n_raw = m.group(1).lower()
        n = _WORD_NUM.get(n_raw) or (int(n_raw) if n_raw.isdigit() else 0)
        y = int(m["y"]) if m["y"] else default_year
        if not y or not 1 <= n <= 12:
            return None
        if n == 12:
            return str(y)
        if n == 6:
            return f"{y}-H1"
        if n == 3:
            return f"{y}-Q1"
        return f"{y}-01/{y}-{n:02d}"
    if kind == "quarter":
        q = _ROMAN.get(m["q"].upper()) or (int(m["q"]) if m["q"].isdigit() else 0)
        y = int(m["y"]) if m["y"] else default_year
        return f"{y}-Q{q}" if y and q else None
    if kind == "range":
        y2 = int(m["y2"]) if m["y2"] else default_year
        m1, m2 = int(m["m1"]), int(m["m2"])
        if not y2 or not (1 <= m1 <= 12 and 1 <= m2 <= 12):
            return None
        return f"{m['y1']}-{m1:02d}/{y2}-{m2:02d}"
    if kind == "to_date":  # "tính đến hết ngày 30/9": year to date
        mo = int(m["m"] or m["mm"])
        y = int(m["y"]) if m["y"] else default_year
        if not y or not 1 <= mo <= 12:
            return None
        return {12: str(y), 6: f"{y}-H1", 3: f"{y}-Q1"}.get(mo, f"{y}-01/{y}-{mo:02d}")
    if kind == "month":
        mo = int(m["m"])
        return f"{m['y']}-{mo:02d}/{m['y']}-{mo:02d}" if 1 <= mo <= 12 else None
    if kind == "half":
        y = int(m["y"]) if m["y"] else default_year
        return f"{y}-H1" if y else None
    if kind == "span":
        return f"{m['y1']}-01/{m['y2']}-12"
    if kind == "year":
        return m["y"]
    if kind == "this_year":
        return str(default_year) if default_year else None
    return None


def to_datetime(d: date | None, hhmm: str | None) -> datetime | None:
    """Combine a date and an ``HH:MM`` string into a naive local datetime."""
    if d is None:
        return None
    if hhmm:
        h, m = map(int, hhmm.split(":"))
        return datetime(d.year, d.month, d.day, h, m)
    return datetime(d.year, d.month, d.day)
