"""Named cases and property tests for numbers, dates and text normalisation."""

from __future__ import annotations

import unicodedata
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from borderstats.extract.dates import event_date, find_dates, parse_date_line, period_of
from borderstats.extract.figures import find_figures
from borderstats.extract.numbers import parse_number, parse_scaled
from borderstats.extract.sentences import split_sentences
from borderstats.text import normalize


def _figures(text: str, year: int | None = 2023):
    return find_figures(split_sentences(text, [(0, len(text))]), year)


def test_million_usd():
    f = _figures("6 tháng đầu năm, tổng giá trị xuất nhập khẩu ước đạt 27,47 triệu USD.")
    assert [(x.measure, x.value, x.unit, x.period) for x in f] == [("trade_total", 27470000.0, "USD", "2023-H1")]


def test_billion_dong():
    f = _figures("Thu ngân sách nhà nước năm 2022 đạt trên 2.200 tỷ đồng.")
    assert [(x.measure, x.value, x.unit, x.period) for x in f] == [("budget_revenue", 2.2e12, "VND", "2022")]


def test_change_rates_and_decrease():
    f = _figures("Năm 2022, kim ngạch đạt gần 1,7 tỷ USD, giảm 39,4% so với cùng kỳ năm 2021.")
    assert [(x.measure, x.value, x.unit) for x in f] == [("trade_total", 1.7e9, "USD"), ("trade_total", -39.4, "%")]


def test_target_is_not_a_figure():
    assert _figures("Hai bên phấn đấu nâng kim ngạch thương mại lên 5 tỷ USD.") == []


def test_ordinal_is_not_a_figure():
    f = _figures("Lễ chào mừng vị khách thứ 10 triệu qua cửa khẩu.")
    assert f == []


def test_yearless_date_takes_year_from_date_line():
    pub, _ = parse_date_line("Thứ sáu, 29/11/2024 - 16:05'")
    (_, _, d, m, y), *_ = find_dates("Chiều 29/10, tại Lai Châu, hai bên hội đàm.")
    assert y is None
    assert event_date(d, m, y, pub) == date(2024, 10, 29)


def test_yearless_date_without_date_line_has_no_date():
    (_, _, d, m, y), *_ = find_dates("Sáng 3/11, huyện Bát Xát ký kết")
    assert event_date(d, m, y, None) is None


def test_december_event_published_in_january():
    assert event_date(30, 12, None, date(2025, 1, 2)) == date(2024, 12, 30)


def test_periods():
    assert period_of("9 tháng năm 2022, tổng giá trị", None)[0] == "2022-01/2022-09"
    assert period_of("quý III/2023", None)[0] == "2023-Q3"
    assert period_of("4 tháng đầu năm", 2024)[0] == "2024-01/2024-04"
    # a quarter restated as "from the start of the year to the end of March" is still the quarter
    assert period_of("Trong quý I/2024 (từ đầu năm đến hết tháng 3), giá trị xuất khẩu", 2024)[0] == "2024-Q1"
    assert period_of("tính đến hết tháng 3, kim ngạch đạt", 2024)[0] == "2024-Q1"


def test_amount_in_a_later_paragraph_takes_the_pieces_only_period():
    text = (
        "Trong quý I/2024, giá trị xuất khẩu qua cửa khẩu Kim Thành đạt trên 145 triệu USD, tăng 86%.\n\n"
        "Thanh long và sầu riêng là hai mặt hàng lớn nhất, với giá trị đạt trên 80 triệu USD.\n\n"
        "Hiện nay, bình quân mỗi ngày tại Cửa khẩu Quốc tế đường bộ số II Kim Thành có trên 100 xe nông sản."
    )
    paras, pos = [], 0
    for part in text.split("\n\n"):
        paras.append((pos, pos + len(part)))
        pos += len(part) + 2
    f = find_figures(split_sentences(text, paras), 2024)
    got = [(x.value, x.unit, x.period) for x in f]
    # the per-day truck count has no period however far "mỗi ngày" is from the number
    assert got == [
        (145e6, "USD", "2024-Q1"),
        (86.0, "%", "2024-Q1"),
        (80e6, "USD", "2024-Q1"),
        (100.0, "vehicles", None),
    ]


def test_tone_placement_and_nfd():
    assert normalize("hoà bình, Thuỷ, khoẻ") == normalize("hòa bình, Thủy, khỏe")
    assert normalize(unicodedata.normalize("NFD", "Hồng Hà")) == "Hồng Hà"


# ---------------------------------------------------------------- properties
def _vn_format(x: int, decimals: str) -> str:
    s = f"{x:,}".replace(",", ".")
    return s + ("," + decimals if decimals else "")


@given(st.integers(min_value=0, max_value=10**12), st.text(alphabet="0123456789", max_size=4))
def test_number_roundtrip(x: int, decimals: str):
    v = parse_number(_vn_format(x, decimals))
    assert abs(v - float(f"{x}.{decimals or 0}")) <= 1e-6 * max(1.0, v)


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["nghìn", "triệu", "tỷ"]))
def test_scaled_number(x: int, scale: str):
    value, used = parse_scaled(str(x), f" {scale} USD")
    assert value == x * {"nghìn": 1e3, "triệu": 1e6, "tỷ": 1e9}[scale]
    assert used == len(scale) + 1


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31)), st.sampled_from(["/", ".", "-"]))
def test_date_line_roundtrip(d: date, sep: str):
    line = f"Thứ Hai, {d.day:02d}{sep}{d.month:02d}{sep}{d.year} - 08:30"
    assert parse_date_line(line) == (d, "08:30")


@given(st.dates(min_value=date(1990, 1, 10), max_value=date(2035, 12, 31)), st.integers(0, 6))
def test_yearless_date_never_after_publication_by_more_than_a_week(pub: date, back: int):
    from datetime import timedelta

    ev = pub - timedelta(days=back)
    got = event_date(ev.day, ev.month, None, pub)
    assert got == ev


@given(st.text(max_size=200))
def test_parsers_never_raise_on_text(s: str):
    find_dates(s)
    period_of(s, 2024)
    parse_date_line(s)
    _figures(s)


def test_revenue_from_trade_is_budget_revenue():
    (f,) = _figures("Thu ngân sách từ hoạt động xuất nhập khẩu đạt gần 140 tỷ đồng.", 2013)
    assert (f.measure, f.value, f.unit) == ("budget_revenue", 140e9, "VND")


def test_event_words_for_border_meetings_and_forums():
    from borderstats.extract.events import event_type_of

    assert event_type_of(None, "Ngày 25/4, hai đồn biên phòng tổ chức hội ngộ tại mốc số 3.") == "meeting"
    assert event_type_of(None, "Đồn Biên phòng Sen Thượng với Trạm Hội ngộ hội đàm.") == "talks"
    assert event_type_of("Cao Bằng dự Đại hội Hợp tác chuỗi cung ứng Trung Quốc – ASEAN", "") == "conference"
    # China's people's congress in an official's title is not the event
    lead = "Ông Triệu Côn, Chủ nhiệm Ủy ban Thường vụ Đại hội Đại biểu nhân dân quận, ký kết thỏa thuận."
    assert event_type_of(None, lead) == "signing"
