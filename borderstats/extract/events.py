"""The main event: relevance, type, online or not, and date.

Relevance: the title or lead names a Chinese unit of the border region (Yunnan, Guangxi or a unit
under them); or a Chinese unit together with a Vietnamese province; or a Vietnamese border
province with "Trung Quốc" and a border gate. The event type comes from the first event word of
the title, then of the lead (``EVENT_WORDS``). The event date is the first cue-marked date in the
lead, with its year from the text or from the article's own date line.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import event_date, find_dates

__all__ = ["EVENT_WORDS", "event_type_of", "is_online", "main_event_date"]

# (pattern, type), matched in order of position in the text; earlier in the title wins
EVENT_WORDS = [
    (r"hội đàm", "talks"),
    (
        r"hội kiến|tiếp xã giao|chào xã giao|gặp mặt|gặp gỡ|làm việc với|làm việc tại|thăm và làm việc|"
        r"thăm, làm việc|tiếp đoàn|tiếp (?:Đoàn|đoàn|Thị|thị|Bí|bí|Chủ|Tỉnh)|đã tiếp|chúc mừng|chúc Tết|"
        r"(?<!Trạm )(?<!trạm )hội ngộ",  # border posts' meetings; "Trạm Hội ngộ" is a Chinese post's name
        "meeting",
    ),
    # "Đại hội" is a congress or forum, but "Đại hội Đại biểu nhân dân" is China's people's congress
    # (in officials' titles) and "Đại hội XIX/Đảng" a party congress referred to
    (r"hội nghị|phiên họp|diễn đàn|tọa đàm|đại hội(?!\s+(?:đại biểu|Đại biểu|đảng|Đảng|[XVIL]+\b))", "conference"),
    (r"(?:lễ\s+)?ký kết|ký biên bản|ký bản ghi nhớ|ký thỏa thuận|lễ ký", "signing"),
    (
        r"hội chợ|lễ hội|liên hoan|lễ\b|trao tặng|bàn giao|khai trương|giải đấu|triển lãm|đón vị khách|"
        r"chính thức vận hành|khánh thành|khởi công",
        "other",
    ),
    (r"khảo sát|kiểm tra liên hợp|kiểm tra thực địa|thăm\b", "visit"),
]
_EVENT_RX = [(re.compile(p, re.I), t) for p, t in EVENT_WORDS]


def event_type_of(title: str | None, lead: str) -> str | None:
    """Type of the main event from the title, else from the lead; None for overview pieces.

    Examples
    --------
    >>> event_type_of("Hội kiến song phương giữa Bí thư Tỉnh ủy Điện Biên với Bí thư Tỉnh ủy Vân Nam", "")
    'meeting'
    >>> event_type_of("Lào Cai chủ động mở rộng hợp tác đối ngoại", "Triển khai Nghị quyết số 59…")
    """
    for text in (title or "", lead):
        # earliest event word wins; at the same place the longer phrase ("Lễ ký kết" over "Lễ")
        hits = [(m.start(), -len(m.group(0)), t) for rx, t in _EVENT_RX for m in rx.finditer(text)]
        if hits:
            first = min(hits)[2]
            # in the lead, "đón tiếp và hội đàm": the talks are the event, the welcome its prelude
            if text is lead and first == "meeting" and any(t == "talks" for *_, t in hits):
                return "talks"
            return first
    return None


def is_online(text: str) -> bool:
    """True when the event was held online ("trực tuyến", "hình thức trực tuyến").

    Examples
    --------
    >>> is_online("Hội nghị trực tuyến giữa Bí thư Tỉnh ủy")
    True
    """
    return bool(re.search(r"trực tuyến|trực\s+tuyến|online|điểm cầu", text, re.I))


def main_event_date(lead: str, published: date | None) -> tuple[date | None, tuple[int, int] | None]:
    """The first cue-marked date in ``lead`` resolved against ``published``; with its span."""
    for s, e, d, m, y in find_dates(lead):
        if y is None and published is None:
            # no date line: the lead may still name the year ("lần thứ 12 năm 2024")
            years = set(re.findall(r"\bnăm\s+((?:19|20)\d{2})\b", lead))
            if len(years) == 1:
                y = int(years.pop())
        ev = event_date(d, m, y, published)
        return ev, (s, e)
    return None, None
