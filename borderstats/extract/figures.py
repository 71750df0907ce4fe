"""Quantitative figures: value in base units, unit, measure, period and the unit they describe.

A figure is a Vietnamese number with a unit from the vocabulary (USD, VND, CNY, %, km, persons,
tonnes, vehicles). Its measure is the nearest measure phrase before it in the sentence ("kim ngạch
xuất nhập khẩu" → trade_total, "xuất khẩu" → export…); a change rate ("tăng 7,1%", "giảm 39,4%",
"bằng 186,24% so với cùng kỳ") belongs to the measure of the figure before it. Ordinals ("thứ 10
triệu"), targets ("phấn đấu đạt") and per-day averages' periods are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import COMPARISON, period_of
from .numbers import NUMBER, parse_scaled
from .sentences import Sentence

__all__ = ["Figure", "find_figures"]

_UNITS = [
    (r"đô\s*la\s*Mỹ|đô-la\s*Mỹ|đô\s*la|đôla|USD|US\$", "USD"),
    (r"nhân\s*dân\s*tệ|NDT|CNY|tệ", "CNY"),
    (r"đồng|VNĐ|VND", "VND"),
    (r"%", "%"),
    (r"km\b|ki-lô-mét|kilômét", "km"),
    (r"lượt\s+xe|lượt\s+phương\s+tiện|phương\s+tiện|xe\s+hàng|xe\s+container|xe", "vehicles"),
    (r"tấn", "tonnes"),
    (
        r"lượt\s+người|lượt\s+khách|lượt\s+du\s+khách|lượt|du\s+khách|khách|đại\s+biểu|người|lao\s+động|công\s+dân|đối\s+tượng",
        "persons",
    ),
]
_UNIT_RX = re.compile("|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UNITS)), re.I)
_FIG = re.compile(
    rf"(?<![\d.,/])(?P<num>{NUMBER})(?!\s*[/.-]\s*\d)(?P<scale>\s*(?:nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ|tỉ)\b)?"
    r"\s*(?P<unit>" + "|".join(p for p, _ in _UNITS) + r")(?![^\W\d_])",
    re.I,
)
# measure phrases, longest first; the nearest one before a figure names its measure
_MEASURES = [
    (r"hàng\s+(?:hóa\s+)?địa\s+phương\s+xuất\s+khẩu|xuất\s+khẩu\s+hàng\s+(?:hóa\s+)?địa\s+phương", "local_export"),
    (
        r"xuất\s+nhập\s+khẩu|xuất,\s*nhập\s+khẩu|XNK|kim\s+ngạch\s+thương\s+mại|thương\s+mại\s+song\s+phương|"
        r"kim\s+ngạch|trao\s+đổi\s+thương\s+mại|giá\s+trị\s+thương\s+mại|(?:tổng\s+)?(?:giá\s+trị|trị\s+giá)\s+hàng\s+hóa",
        "trade_total",
    ),
    (r"xuất\s+khẩu", "export"),
    (r"nhập\s+khẩu", "import"),
    (r"bình\s+quân\s+đầu\s+người|thu\s+nhập\s+bình\s+quân", "gdp_per_capita"),
    (r"GRDP|GDP|tổng\s+sản\s+phẩm\s+(?:trên\s+địa\s+bàn|trong\s+tỉnh)|tăng\s+trưởng\s+kinh\s+tế", "grdp_growth"),
    (r"thu\s+ngân\s+sách", "budget_revenue"),
    (r"(?:đường|chiều\s+dài)\s+biên\s+giới(?:\s+dài)?|biên\s+giới\s+dài", "border_length"),
    (r"lượt\s+khách|du\s+khách|khách\s+du\s+lịch|lượng\s+khách|xuất\s+nhập\s+cảnh|xuất\s+cảnh|nhập\s+cảnh", "visitors"),
    (r"vốn\s+đầu\s+tư|tổng\s+mức\s+đầu\s+tư|đầu\s+tư", "investment"),
    (r"loại\s+hình\s+khác|cư\s+dân\s+biên\s+giới|chiếm|đại\s+biểu|phương\s+tiện|lượt\s+xe", "other"),
]
_MEASURE_RX = re.compile("|".join(f"(?P<m{i}>{p})" for i, (p, _) in enumerate(_MEASURES)), re.I)
_TARGET = re.compile(
    r"phấn\s+đấu|mục\s+tiêu|hướng\s+tới|dự\s+kiến|dự\s+báo|có\s+thể\s+đạt|kế\s+hoạch\s+đề\s+ra|nâng\s+(?:\S+\s+){0,6}lên",
    re.I,
)
_ORDINAL = re.compile(r"(?:thứ|lần\s+thứ|số)\s+$", re.I)
_CHANGE = re.compile(r"(?P<dir>tăng|giảm|bằng|đạt)\s+(?:bình\s+quân\s+)?(?:hơn\s+|gần\s+|trên\s+|khoảng\s+)?$", re.I)
_PER_DAY_AFTER = re.compile(r"\s*/\s*ngày|\s+(?:mỗi|một|hằng|hàng)\s+ngày", re.I)
_PER_DAY_BEFORE = re.compile(
    r"(?:mỗi\s+ngày|một\s+ngày|hằng\s+ngày|hàng\s+ngày|bình\s+quân\s+mỗi|ngày\s+cao\s+điểm)[^,;.]{0,80}$", re.I
)
_SAME_TIME = re.compile(
    r"^\s*(?:(?:cùng\s+kỳ|cùng\s+thời\s+gian(?:\s+này|\s+trên)?|cũng\s+trong\s+thời\s+gian\s+này|"
    r"trong\s+cùng\s+thời\s+gian|trong\s+đó)\s*,|riêng\s)",
    re.I,
)
_PLAN = re.compile(r"\s*(?:so\s+với\s+)?(?:kế\s+hoạch|chỉ\s+tiêu|dự\s+toán)", re.I)
_MAYBE = re.compile(r"\d|năm nay|nửa đầu năm|tháng")
_SAME_PERIOD = re.compile(r"^\s*so\s+với\s+cùng\s+kỳ", re.I)


@dataclass
class Figure:
    """One quantitative fact with its span in ``Article.text`` and sentence."""

    measure: str
    value: float
    unit: str
    period: str | None
    start: int
    end: int
    sentence: Sentence
    raw: str
    rate_measure: str = ""  # the measure a change rate after this figure belongs to


def _unit(m: re.Match[str]) -> str:
    um = _UNIT_RX.fullmatch(m.group("unit"))
    if um is None:
        return ""
    return next(_UNITS[i][1] for i in range(len(_UNITS)) if um.group(f"u{i}"))


# "thu ngân sách từ hoạt động xuất nhập khẩu": a measure after "từ" names the source of the one before
_SOURCE_OF = re.compile(r"\btừ\s+(?:(?:các\s+)?hoạt\s+động\s+)?$", re.I)


def _measure_before(text: str) -> tuple[str | None, int]:
    last = None
    for m in _MEASURE_RX.finditer(text):
        if last is not None and _SOURCE_OF.search(text[max(0, m.start() - 24) : m.start()]):
            continue
        kind = next(_MEASURES[i][1] for i in range(len(_MEASURES)) if m.group(f"m{i}"))
        last = (kind, m.end())
    return last if last else (None, -1)


def find_figures(
    sentences: list[Sentence], published_year: int | None, default_period: str | None = None
) -> list[Figure]:
    """Figures in the body sentences, in text order.

    The period is the one the sentence names; else the one named earlier in the same paragraph.
    A period without its year takes the publication year when it says "đầu năm"/"năm nay", and
    otherwise the last year the text named. ``default_period`` (the period the title names, e.g.
    "… trong quý I/2023") applies to figures whose paragraph names none.
    """
    out: list[Figure] = []
    para_period: dict[int, str | None] = {}
    last_year: int | None = None
    last_period: str | None = None
    for sent in sentences:
        text = sent.text
        if not _MAYBE.search(text):
            continue  # no number and no period phrase: nothing to find or carry
        plain = COMPARISON.sub(" ", text)
        explicit = [int(y) for y in re.findall(r"(?<!\d)(?:năm\s+|/)((?:19|20)\d{2})(?!\d)", plain)]
        anaphoric_default = last_year or published_year
        this_year_default = published_year or last_year
        default = this_year_default if re.search(r"đầu\s+năm|năm\s+nay", text) else anaphoric_default
        # the period of each ";"-clause; a figure takes its clause's, else an earlier clause's, else
        # the one named earlier in the paragraph
        clauses, pos = [], 0
        for part in re.split(r"(?<=;)", text):
            clauses.append((pos, pos + len(part), period_of(part, default)[0]))
            pos += len(part)
        annual = re.search(r"hằng\s+năm|hàng\s+năm|mỗi\s+năm|bình\s+quân\s+(?:mỗi\s+)?năm|/năm", text, re.I)
        if explicit:
            last_year = explicit[-1]

        # "Cùng kỳ, …" / "Cùng thời gian này, …" opens a sentence about the period just named
        same_time = _SAME_TIME.match(text)

        def period_at(
            i: int, _counted: bool, _clauses=clauses, _para=sent.para, _same=same_time, _last=last_period
        ) -> str | None:
            k = next(j for j, (a, b, _) in enumerate(_clauses) if a <= i < b or j == len(_clauses) - 1)
            for _, _, p in reversed(_clauses[: k + 1]):
                if p is not None:
                    return p
            if _same:
                return _last
            if _para in para_period or default_period is not None:
                return para_period.get(_para, default_period)
            # an amount in a later paragraph of a piece about one period ("Thanh long … trên 80 triệu USD")
            return _last if _counted and len(set(para_period.values())) == 1 else None

        prev: Figure | None = None  # the last figure that is not a rate: rates qualify it
        for m in _FIG.finditer(text):
            unit = _unit(m)
            before = text[: m.start()]
            if not unit or _ORDINAL.search(before[-12:]):
                continue
            clause_start = max(before.rfind(";"), 0)
            if _TARGET.search(before[clause_start:]):
                continue
            value, _ = parse_scaled(m.group("num"), m.group("scale") or "")
            after = text[m.end() :]
            change = _CHANGE.search(before[-40:]) if unit == "%" else None
            measure, mpos = _measure_before(before)
            if unit == "%" and change:
                if change.group("dir").lower() == "bằng" and _SAME_PERIOD.match(after):
                    value = round(value - 100, 6)
                elif change.group("dir").lower() == "giảm":
                    value = -value
                elif change.group("dir").lower() == "đạt" and not _SAME_PERIOD.match(after):
                    measure = measure if measure in ("grdp_growth",) else "other"
                if _PLAN.match(after):
                    measure = "other"  # plan fulfilment ("đạt 60,9% kế hoạch năm")
                elif prev is not None and (mpos < prev.end - sent.start):
                    measure = prev.rate_measure
            elif unit == "%" and re.search(r"chiếm\s+(?:khoảng\s+|hơn\s+|gần\s+)?$", before[-30:]):
                measure = "other"
            if unit == "persons":
                measure = (
                    "visitors"
                    if re.search(r"khách|lượt|xuất\s+nhập\s+cảnh", m.group("unit") + " " + before[-60:], re.I)
                    and not re.search(r"đại\s+biểu|người", m.group("unit"))
                    else "other"
                )
                if re.search(r"lượt\s+người", m.group("unit")):
                    measure = "visitors"
            elif unit == "vehicles" or unit == "tonnes":
                # tonnes exported or imported keep their direction; totals and vehicle counts are "other"
                measure = measure if measure in ("export", "import") and unit == "tonnes" else "other"
            elif unit == "km":
                measure = "border_length" if measure == "border_length" else "other"
            elif measure is None or measure == "border_length" or (measure == "visitors" and unit != "%"):
                measure = "other"
            rate_measure = measure  # what a following change rate refers to ("GDP … đạt X, tăng Y%")
            if measure == "grdp_growth" and unit != "%":
                measure = "other"
            fig_period = None if annual else period_at(m.start(), unit != "%")
            if unit in ("vehicles", "persons", "tonnes") and (
                _PER_DAY_AFTER.match(after) or _PER_DAY_BEFORE.search(before)
            ):
                fig_period = None  # a per-day average ("4.509 tấn/ngày", "bình quân mỗi ngày có 300 xe")
            if measure == "other" and unit == "persons" and re.search(r"đại\s+biểu|người|lao\s+động", m.group("unit")):
                fig_period = None
            if measure == "border_length":
                fig_period = None
            f = Figure(
                measure,
                value,
                unit,
                fig_period,
                sent.start + m.start(),
                sent.start + m.end(),
                sent,
                m.group(0),
                rate_measure if rate_measure else measure,
            )
            twin = next(
                (
                    k
                    for k, g in enumerate(out)
                    if g.value == f.value and g.unit == f.unit and g.sentence.para != f.sentence.para
                ),
                None,
            )
            if twin is not None:  # the same number again in another paragraph (a table, a caption): one fact,
                if out[twin].measure == "other" and f.measure != "other":  # kept where its measure is named
                    out[twin] = f
                    prev = f if unit != "%" else prev
                continue
            out.append(f)
            if unit != "%":
                prev = f
        found = [p for _, _, p in clauses if p is not None]
        if found:
            para_period[sent.para] = found[-1]
            last_period = found[-1]
    return out
