"""Named officials: who took part, on which side, in what role, for which unit.

A person is a run of capitalised syllables that starts with a known surname (2–4 syllables, not a
place name), with an official title right before it ("Bí thư Tỉnh ủy Lai Châu Lê Minh Ngân") or
in the appositive chain after it ("đồng chí Vương Ninh, Bí thư Tỉnh ủy Vân Nam"). Roles come from
``roles.csv``; a person with several posts takes the highest by the annotation convention (party
secretary, then the state post). Side and unit come from the place named in the title, from
"X tại Y" for diplomats, or from the nearest place before the name in the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..gazetteer import Gazetteer, reference_table
from .sentences import Sentence

__all__ = ["ROLE_ORDER", "Person", "find_people"]

ROLE_ORDER = [
    "party_secretary",
    "chairman",
    "council_chairman",
    "minister",
    "ambassador",
    "deputy_minister",
    "consul_general",
    "vice_chairman",
    "department_director",
    "deputy_department_director",
    "deputy_party_secretary",
    "other",
]
_HONORIFIC = {"ông", "bà", "đồng", "chí", "đồng chí", "đại", "tá"}
_TOKEN = re.compile(r"[^\W\d_]+", re.U)
_COUNTRY = re.compile(r"(?P<vn>Việt Nam)|(?P<cn>Trung Quốc|Trung Hoa)")
_VN_MINISTRY = re.compile(
    r"\bBộ\s+(?:Ngoại giao|Công Thương|Kế hoạch|Tài chính|Quốc phòng|Công an|Giao thông|Nông nghiệp|Văn hóa|Y tế|"
    r"Giáo dục|Xây dựng|Tư pháp|Nội vụ)"
)
_ORGAN = re.compile(r"\s*(?:Bộ|Ban|Sở|Văn phòng|Cục|Tổng cục|Ủy ban|UBND|Đại sứ quán|Tổng Lãnh sự quán)\b")
_SEGMENT_START = re.compile(r"(?:[,(–-]|\bkiêm|\bđồng thời là)\s*$")
_BUSINESS = re.compile(
    r"\b(?:Công ty|công ty|Tập đoàn|tập đoàn|doanh nghiệp|HĐQT|Hội đồng quản trị|Ngân hàng|Hợp tác xã)\b"
)
_CHAIN_STOP = re.compile(r"[.;:!?]\s|\s(?:và|cùng|với)\s+(?:đồng chí|ông|bà)\b|\sđã\s|\slàm\s+trưởng\s+đoàn", re.I)


@dataclass
class Person:
    """A named official, with the span of the mention that gave the role."""

    name: str
    side: str
    role: str
    unit_id: str | None
    start: int
    end: int
    sentence: Sentence
    rank: int


@cache
def _surnames() -> frozenset[str]:
    return frozenset(r["surname_vi"] for r in reference_table("surnames"))


_UPPER = "".join(re.escape(chr(c)) for c in range(0x10000) if chr(c).isupper() and _TOKEN.fullmatch(chr(c)))
# a run: capitalised letter tokens separated by single spaces, starting at a token boundary
_RUN = re.compile(rf"(?<![^\W\d_])[{_UPPER}][^\W\d_]*(?: [{_UPPER}][^\W\d_]*)*")


def _name_runs(text: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of consecutive capitalised tokens separated by single spaces, with their token spans.

    Examples
    --------
    >>> text = "Ông Nguyễn Văn An, Bí thư"
    >>> [text[s:e] for s, e, _ in _name_runs(text)]
    ['Ông Nguyễn Văn An', 'Bí']
    """
    out = []
    for m in _RUN.finditer(text):
        pos, toks = m.start(), []
        for w in m.group(0).split(" "):
            toks.append((pos, pos + len(w)))
            pos += len(w) + 1
        out.append((m.start(), m.end(), toks))
    return out


class _Roles:
    """Title matches of one sentence, found once; ``in_(a, b)`` lists those inside ``[a, b)``
    (sentence offsets), re-based to ``a``."""

    def __init__(self, gaz: Gazetteer, text: str):
        self.hits = [(m.start, m.end, gaz.roles[int(m.key)]) for m in gaz.role.find(text)]

    def in_(self, a: int, b: int) -> list[tuple[int, int, dict[str, str]]]:
        return [(s - a, e - a, r) for s, e, r in self.hits if a <= s and e <= b]


def _best(roles: list[dict[str, str]]) -> dict[str, str] | None:
    posts = [r for r in roles if r["role"] != "member"]
    if not posts:
        return None
    return min(posts, key=lambda r: (ROLE_ORDER.index(r["role"]), int(r["rank"])))


def find_people(text: str, sentences: list[Sentence], gaz: Gazetteer, places: list) -> list[Person]:
    """Named officials in ``sentences`` of ``text``.

    ``places`` is a list of ``(start, end, side, unit_id)`` place mentions in ``text`` (VN and CN),
    used to skip place names and to infer side and unit.
    """
    found: dict[str, Person] = {}
    for sent in sentences:
        cands = _candidates(sent, places)
        if not cands:
            continue
        roles = _Roles(gaz, sent.text)
        cands = [c for c in cands if not any(s < c[1] and c[0] < e for s, e, _ in roles.hits)]
        for j, (ns, ne, name) in enumerate(cands):
            lo = cands[j - 1][1] if j else 0
            hi = cands[j + 1][0] if j + 1 < len(cands) else len(sent.text)
            p = _person(gaz, roles, sent, sent.text, ns, ne, name, places, lo, hi)
            if p is None:
                continue
            old = found.get(name)
            if old is None or ROLE_ORDER.index(p.role) < ROLE_ORDER.index(old.role):
                if old is not None and p.unit_id is None and old.unit_id is not None:
                    p.unit_id, p.side = old.unit_id, old.side
                found[name] = p
            elif old.unit_id is None and p.unit_id is not None:  # a later mention names the unit
                old.unit_id, old.side = p.unit_id, p.side
    return [p for p in found.values() if p.rank > 0]


def _candidates(sent: Sentence, places: list) -> list[tuple[int, int, str]]:
    """Person-name spans (relative to the sentence) in one sentence."""
    surnames = _surnames()
    stext = sent.text
    spans = [(s - sent.start, e - sent.start) for s, e, *_ in places if sent.start <= s < sent.end]
    span_at = dict(spans)
    out = []
    for _rs, _re, toks in _name_runs(stext):
        if not any(stext[a:b] in surnames for a, b in toks):
            continue
        i = 0
        while i < len(toks) and stext[toks[i][0] : toks[i][1]].lower() in _HONORIFIC:
            i += 1
        while i < len(toks):
            end = span_at.get(toks[i][0])
            if end is None:  # a place that starts before the run ("thành phố Móng Cái Hồ Quang Huy")
                end = next((e for s, e in spans if s < toks[i][0] < e), None)
            hit = (toks[i][0], end) if end is not None else None
            if hit is None:
                break
            while i < len(toks) and toks[i][1] <= hit[1]:
                i += 1
        toks = toks[i:]
        if len(toks) > 4:
            toks = toks[:4]
        if len(toks) < 2 or stext[toks[0][0] : toks[0][1]] not in surnames:
            continue
        ns, ne = toks[0][0], toks[-1][1]
        if any(s <= ns and ne <= e for s, e in spans):
            continue  # the run is a place name (Hồ Chí Minh city, Hoàng Su Phì…)
        out.append((ns, ne, stext[ns:ne]))
    return out


def _person(gaz, roles: _Roles, sent, stext, ns, ne, name, places, lo, hi) -> Person | None:
    # title before the name, with nothing but title words in between
    pre_start = max(lo, max(stext.rfind(c, 0, ns) for c in ",;:") + 1)
    # earlier comma-separated posts of the same person ("Phó Chủ tịch UBND tỉnh, Trưởng Ban … Tên")
    while pre_start > lo + 1 and stext[pre_start - 1] == ",":
        prev = max(lo, max(stext.rfind(c, 0, pre_start - 1) for c in ",;:") + 1)
        seg = stext[prev : pre_start - 1]
        first = roles.in_(prev, pre_start - 1)
        if not first or first[0][0] != len(seg) - len(seg.lstrip()):
            break
        pre_start = prev
    pre = stext[pre_start:ns]
    pre_roles = roles.in_(pre_start, ns)
    pre_seg = ""
    if pre_roles:
        rs = (
            next(r[0] for r in pre_roles if not re.search(r"\s(?:và|với|của|có)\s", pre[r[0] :]))
            if any(not re.search(r"\s(?:và|với|của|có)\s", pre[r[0] :]) for r in pre_roles)
            else None
        )
        pre_seg = pre[rs:] if rs is not None else ""
    # appositive chain after the name
    post = stext[ne:hi]
    chain = ""
    if re.match(r"\s*[,(–-]", post):
        stop = _CHAIN_STOP.search(post, 1)
        chain = post[: stop.start() if stop else 200][:200]
        if hi < len(stext) and len(chain) == len(post):
            # the chain runs into the next name: its last title segment is that person's
            cut = chain.rfind(",")
            if cut > 0 and roles.in_(ne + cut, ne + len(chain)) and not re.search(r"\s(?:và|cùng|với)\s*$", chain):
                chain = chain[:cut]
    # in the appositive chain, a post counts only where a comma-separated segment begins with it
    # ("X, Ủy viên …, Bí thư Tỉnh ủy" but not "… phát biểu … Bí thư" further on)
    chain_roles = [r for r in roles.in_(ne, ne + len(chain)) if _SEGMENT_START.search(chain[: r[0]]) or r[0] == 0]
    if chain_roles:  # the chain ends with the segment of its last post (and its organ: ", Bộ Ngoại giao")
        last = chain_roles[-1][1]
        end = last
        while True:
            nxt = re.search(r"[,;]", chain[end:])
            if nxt is None:
                end = len(chain)
                break
            end += nxt.start()
            if not _ORGAN.match(chain[end + 1 :]):
                break
            end += 1
        chain = chain[:end]
    seg_roles = roles.in_(ns - len(pre_seg), ns) + chain_roles
    best = _best([r for _, _, r in seg_roles])
    if best is None or _BUSINESS.search(pre_seg + " " + chain):
        return None  # no official post, or a company post
    # side and unit
    role_text = pre_seg + " " + chain
    side, unit = None, None
    national = best["role"] in ("ambassador", "consul_general", "minister", "deputy_minister") or (
        best["role"] == "other" and int(best["rank"]) <= 1
    )
    cm = _COUNTRY.search(role_text)
    if cm is None and _VN_MINISTRY.search(role_text):
        national, cm = True, _COUNTRY.search("Việt Nam")  # "Vụ trưởng …, Bộ Ngoại giao": a Vietnamese ministry
    if national and cm:
        side = "VN" if cm.group("vn") else "CN"
        unit = side
    if side is None:
        abs_lo, _abs_hi = sent.start, sent.end
        seg_abs = [(sent.start + ns - len(pre_seg), sent.start + ns), (sent.start + ne, sent.start + ne + len(chain))]
        in_title = [p for p in places if p[2] != "GATE" and any(a <= p[0] and p[1] <= b for a, b in seg_abs)]
        if in_title:
            side, unit = in_title[0][2], in_title[0][3]
        elif best["side_hint"]:
            side = best["side_hint"]
        else:
            before = [p for p in places if p[2] != "GATE" and abs_lo <= p[0] and p[1] <= sent.start + ns]
            if before:
                side, unit = before[-1][2], before[-1][3]
            elif cm:
                side = "VN" if cm.group("vn") else "CN"
    if side is None:
        side = "VN"
    if national and unit is None and best["role"] != "other":
        unit = side
    return Person(name, side, best["role"], unit, sent.start + ns, sent.start + ne, sent, int(best["rank"]))
