"""Places: Vietnamese provinces and Chinese units taking part, border gates, routes, the venue.

Mentions come from the gazetteer. The parties of the main event are read from the title and the
lead paragraph; a place that is only a venue ("tại Hà Nội") in the title does not make its province
a party. Gates need a gate word before them ("cửa khẩu", "lối mở", "cặp cửa khẩu"…) or a VN–CN
pair ("Ma Lù Thàng – Kim Thủy Hà"); a pair is one gate, named by its Vietnamese side. Routes are
named corridors, railways, expressways and bridges followed by two or more known places joined by
dashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..gazetteer import Gazetteer, Match
from ..text import fold

__all__ = ["Mention", "find_gates", "find_places", "find_routes", "location_of", "unmapped_names"]


@dataclass(frozen=True)
class Mention:
    """A place mention in ``Article.text``: ``side`` VN|CN, ``key`` province/place/unit id."""

    start: int
    end: int
    side: str
    key: str
    unit_id: str  # province ISO code (VN) or unit id (CN)
    alias: str


_NOT_A_PLACE_BEFORE = re.compile(
    r"(?:\bxã|\bphường|\bthôn|\bbản|thị trấn|\bđường|(?<!thành )\bphố|khách sạn|công ty|tập đoàn)\s+$", re.I
)


def find_places(text: str, gaz: Gazetteer, masks: list[tuple[int, int]] = ()) -> list[Mention]:
    """VN and CN place mentions in ``text``, skipping spans in ``masks`` (people, gates).

    Examples
    --------
    >>> from borderstats.gazetteer import gazetteer
    >>> [(m.side, m.unit_id) for m in find_places("huyện Mường Tè, tỉnh Lai Châu và châu Hồng Hà", gazetteer())]
    [('VN', 'VN-01'), ('VN', 'VN-01'), ('CN', 'honghe')]
    """
    out = []
    for m in gaz.vn.find(text):
        if _masked(m, masks) or _NOT_A_PLACE_BEFORE.search(text[max(0, m.start - 12) : m.start]):
            continue
        prov = gaz.vn_province(m.key)
        if prov:
            out.append(Mention(m.start, m.end, "VN", m.key, prov, m.alias))
    for m in gaz.cn.find(text):
        if _masked(m, masks) or _NOT_A_PLACE_BEFORE.search(text[max(0, m.start - 12) : m.start]):
            continue
        out.append(Mention(m.start, m.end, "CN", m.key, m.key, m.alias))
    out.sort(key=lambda x: (x.start, -x.end))
    # drop mentions nested in a longer one (e.g. "Hà Giang" inside "Thành phố Hà Giang")
    kept: list[Mention] = []
    for x in out:
        if kept and x.start < kept[-1].end:
            continue
        kept.append(x)
    return kept


def _masked(m: Match, masks) -> bool:
    return any(s < m.end and m.start < e for s, e in masks)


# ----------------------------------------------------------------------------- gates
_GATE_CUE = re.compile(
    r"\b(?:cặp cửa khẩu|cửa khẩu|lối mở|lối thông quan|điểm thông quan|cặp chợ biên giới|"
    r"khu vực cửa khẩu|điểm xuất nhập cảnh)\b",
    re.I,
)
# "Khu kinh tế cửa khẩu X" (a zone), "Đồn Biên phòng cửa khẩu X" (a border post): not crossings
_CUE_BLOCK = re.compile(
    r"(?:kinh tế|Đồn Biên phòng|Đồn biên phòng|Trạm Biên phòng|Trạm kiểm soát biên phòng)\s+$", re.I
)
_GATE_BLOCK = re.compile(r"(?:Đồn Biên phòng|Trạm|mốc|xã|phường|huyện|thị trấn|Trung tâm|Đồn)\s+$", re.I)


@dataclass(frozen=True)
class GateMention:
    start: int
    end: int
    gate_id: str
    alias: str


def find_gates(text: str, gaz: Gazetteer) -> list[GateMention]:
    """Border gates named in ``text`` with a gate word before them or as a VN–CN pair.

    Examples
    --------
    >>> from borderstats.gazetteer import gazetteer
    >>> [(g.gate_id, g.alias) for g in find_gates("nâng cấp cửa khẩu Ma Lù Thàng - Kim Thủy Hà", gazetteer())]
    [('ma-lu-thang', 'Ma Lù Thàng'), ('ma-lu-thang', 'Kim Thủy Hà')]
    >>> find_gates("Khu hợp tác kinh tế qua biên giới Lào Cai (Việt Nam) – Hà Khẩu (Trung Quốc)", gazetteer())
    []
    """
    hits = sorted([*gaz.gate_vn.find(text), *gaz.gate_cn.find(text)], key=lambda m: m.start)
    # "Khu kinh tế cửa khẩu X" names an economic zone, not a crossing
    cues = [
        c.end() for c in _GATE_CUE.finditer(text) if not _CUE_BLOCK.search(text[max(0, c.start() - 24) : c.start()])
    ]
    out = []
    for m in hits:
        if _GATE_BLOCK.search(text[max(0, m.start - 16) : m.start]):
            continue
        cue_ok = any(c <= m.start and _window_ok(text[c : m.start], hits) for c in cues)
        ps = _pair_start(text, m, gaz)
        if cue_ok or (ps is not None and not _PAIR_BLOCK.search(text[max(0, ps - 60) : ps])):
            out.append(GateMention(m.start, m.end, m.key, m.alias))
    return out


_QUALIFIERS = re.compile(
    r"\b(?:quốc tế|chính|phụ|song phương|đường bộ|đường sắt|số\s+[IVX\d]+|[IVX]+|cặp|các|như|là|gồm|và|"
    r"hai|trên địa bàn|đường bộ số|thông quan|tạm thời|biên giới|hàng hóa|nông sản|cầu)\b",
    re.I,
)
# a pair preceded by these names two places or a zone, not a crossing
_PAIR_BLOCK = re.compile(
    r"(?:khu (?:hợp tác )?kinh tế[^.;]*|hai thành phố|thành phố|huyện|giữa|hai địa phương|kết nghĩa|\bcầu)\s*$", re.I
)


def _window_ok(between: str, hits: list[Match]) -> bool:
    """A name belongs to a gate word when only gate names, qualifiers and separators lie between."""
    if len(between) > 120:
        return False
    rest = between
    for h in hits:
        rest = rest.replace(h.alias, " ")
    rest = _QUALIFIERS.sub(" ", rest)
    rest = re.sub(r"\([^)]{0,40}\)", " ", rest)
    return not re.search(r"[^\s,–—\-/]", rest)


_ADMIN_GAP = r"(?:\s*(?:\([^)]{0,40}\)|,\s*(?:huyện|tỉnh|xã|thị trấn|thành phố|châu|thị xã)\s+[^,;.()–-]{1,25}))*"


@cache
def _pair_rx(other: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(after, before) patterns joining a gate name to its counterpart ``other`` by a dash."""
    return (
        re.compile(rf"{_ADMIN_GAP}\s*[-–]\s*{re.escape(other)}\b"),
        re.compile(rf"\b{re.escape(other)}{_ADMIN_GAP}\s*[-–]\s*$"),
    )


def _pair_start(text: str, m: Match, gaz: Gazetteer) -> int | None:
    """Start of the VN–CN pair ("Ma Lù Thàng – Kim Thủy Hà") that ``m`` belongs to, if any."""
    g = gaz.gates[m.key]
    after = text[m.end : m.end + 120]
    before = text[max(0, m.start - 120) : m.start]
    for o in (g.get("cn_name_vi", ""), g["name_vi"]):
        if not o or o == m.alias:
            continue
        rx_after, rx_before = _pair_rx(o)
        if rx_after.match(after):
            return m.start
        b = rx_before.search(before)
        if b:
            return m.start - len(before) + b.start()
    return None


# ----------------------------------------------------------------------------- routes
_ROUTE_CUE = re.compile(
    r"\b(?:hành lang kinh tế|hành lang|cao tốc|đường cao tốc|tuyến đường sắt|đường sắt|tuyến đường bộ|"
    r"tuyến đường|quốc lộ|tuyến|cầu vượt biển|cầu|kết nối|chuyến tàu|đoàn tàu|tàu)\b",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]+")
_DASH = r"\s*(?:[-–—]|→)\s*"


@dataclass(frozen=True)
class RouteMention:
    start: int
    end: int
    waypoints: tuple[str, ...]  # English names
    kind: str


def find_routes(text: str, gaz: Gazetteer, places: list[Mention]) -> list[RouteMention]:
    """Named corridors/railways/expressways: a route word then ≥ 2 known places joined by dashes.

    Examples
    --------
    >>> from borderstats.gazetteer import gazetteer
    >>> g = gazetteer()
    >>> t = "hành lang kinh tế Côn Minh - Lào Cai - Hà Nội - Hải Phòng - Quảng Ninh"
    >>> [r.waypoints for r in find_routes(t, g, find_places(t, g))]
    [('Kunming', 'Lao Cai', 'Hanoi', 'Hai Phong', 'Quang Ninh')]
    """
    by_start = {p.start: p for p in places}
    out: list[RouteMention] = []
    for c in _ROUTE_CUE.finditer(text):
        pos = c.end()
        # up to four lower-case words between the route word and its first place ("tuyến tàu liên vận
        # hành khách Hà Nội – Nam Ninh", "đường sắt khổ tiêu chuẩn Lào Cai – Hà Nội")
        for w in _WORD.finditer(text, pos, min(len(text), pos + 60)):
            if text[pos : w.start()].strip() or w.group(0)[0].isupper():
                pos = w.start() if not text[pos : w.start()].strip() else pos
                break
            pos = w.end()  # a lower-case word between the route word and its first place
        seq: list[Mention] = []
        while pos in by_start:
            p = by_start[pos]
            seq.append(p)
            d = re.match(_DASH, text[p.end :])
            if not d:
                break
            pos = p.end + d.end()
        if len(seq) < 2:
            seq = _from_to(text, c.end(), places)
        if len(seq) >= 2 and (not out or seq[0].start >= out[-1].end):
            names = tuple(_english(gaz, p) for p in seq)
            if len(set(names)) >= 2:
                out.append(RouteMention(seq[0].start, seq[-1].end, names, fold(c.group(0))))
    return out


_FROM = re.compile(r"\btừ\s+$")
_TO = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:đến|tới)\s+(?:(?:cảng|cửa ngõ|thành phố|tỉnh|thủ đô)\s+){0,3}$")


def _from_to(text: str, cue_end: int, places: list[Mention]) -> list[Mention]:
    """A route written "từ X (…) đến/tới Y" shortly after a route word."""
    window = [p for p in places if cue_end <= p.start <= cue_end + 80]
    for i, p in enumerate(window):
        if not _FROM.search(text[max(cue_end, p.start - 8) : p.start]) or re.search(r"[.;]", text[cue_end : p.start]):
            continue
        for q in window[i + 1 :]:
            if _TO.match(text[p.end : q.start]):
                return [p, q]
    return []


def _english(gaz: Gazetteer, p: Mention) -> str:
    if p.side == "CN":
        return gaz.cn_units[p.key]["name_en"]
    if p.key in gaz.places:
        return gaz.places[p.key]["name_en"]
    return gaz.provinces[p.key]["name_en"]


# ----------------------------------------------------------------------------- venue
_AT = re.compile(r"\btại\s+(?:(?:trụ sở|khách sạn|trung tâm hội nghị|hội trường|nhà khách|thủ đô)\s+[^,(]*?\s*)?", re.I)


def location_of(lead: str, lead_start: int, places: list[Mention], gaz: Gazetteer) -> str | None:
    """English name of the city/province after the first "tại" in the lead, if it names a place."""
    for m in _AT.finditer(lead):
        s = lead_start + m.end()
        near = [p for p in places if s <= p.start <= s + 60]
        if near:
            p = near[0]
            if p.side == "CN":  # a town or district is replaced by its city (prefecture)
                uid = p.key
                if gaz.cn_units[uid]["level"] in ("town", "district"):
                    uid = next((a for a in gaz.cn_ancestors(uid) if gaz.cn_units[a]["level"] == "prefecture"), uid)
                return gaz.cn_units[uid]["name_en"]
            place = gaz.places.get(p.key)
            if place and place["kind"] in ("city", "town"):
                return place["name_en"]
            return gaz.provinces[p.unit_id]["name_en"]
    return None


_ADMIN_NAME = re.compile(r"\b(?:tỉnh|châu|huyện|thành phố|thị xã|quận|khu tự trị|trấn)\s+((?:\w+)(?:\s+\w+){0,3})")
_COUNTRIES = {"Việt Nam", "Trung Quốc", "Lào", "Campuchia", "Âu", "Á", "Phi", "Mỹ", "Úc"}  # and "châu Âu": continents


def unmapped_names(text: str, places: list[Mention]) -> list[str]:
    """Capitalised names after an administrative word ("tỉnh X", "huyện X") that the gazetteer
    did not recognise, for the build's warnings.

    Examples
    --------
    >>> unmapped_names("đoàn công tác huyện Mường Lát, tỉnh Thanh Hóa đã", [])
    ['Mường Lát', 'Thanh Hóa']
    """
    out = []
    for m in _ADMIN_NAME.finditer(text):
        words = []
        for w in re.finditer(r"\w+", m.group(1)):
            if not w.group(0)[0].isupper():
                break
            words.append(w)
        if not words:
            continue
        s, e = m.start(1), m.start(1) + words[-1].end()
        name = text[s:e]
        if name not in _COUNTRIES and not any(p.start < e and s < p.end for p in places):
            out.append(name)
    return out
