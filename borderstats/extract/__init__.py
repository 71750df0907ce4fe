"""Extract stage: a cleaned :class:`~borderstats.clean.Article` → fact rows with evidence.

:func:`extract_article` runs every fact module on one article and returns plain records, one list
per table; each fact carries the sentence it came from and the character span of that sentence
and of the matched phrase in the source document (``evidence``, ``evidence_start``/``_end``,
``span_start``/``_end``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from ..clean import Article
from ..gazetteer import Gazetteer
from ..text import short_hash, slug
from .dates import parse_date_line, period_of, to_datetime
from .events import event_type_of, is_online, main_event_date
from .figures import find_figures
from .people import ROLE_ORDER, find_people
from .places import Mention, find_gates, find_places, find_routes, location_of, unmapped_names
from .sentences import Sentence, split_sentences
from .themes import find_themes

__all__ = ["EXTRACTOR_VERSION", "extract_article"]

#: bump when extraction rules change in a way the reference data's digest does not capture
EXTRACTOR_VERSION = "2026.12.04-2"

_BORDER_CN = {"yunnan", "guangxi"}
_EARLIER = re.compile(r"^(?:Trước đó|Sau đó|Kết thúc)\b")
_AT_BEFORE = re.compile(r"\btại\s+(?:(?:tỉnh|thành phố|TP\.?|huyện|thị xã)\s+)?$", re.I)


def _paragraphs(a: Article) -> list[tuple[int, int]]:
    return [(s, s + len(b.text)) for s, b in a.segments]


def extract_article(a: Article, gaz: Gazetteer, *, article_id: str, encoding: str) -> dict[str, list[dict[str, Any]]]:
    """All facts of one article, as lists of records keyed by table name.

    The ``articles`` list holds exactly one record. Offsets in evidence columns refer to the
    decoded, normalised source document (see :class:`borderstats.read.Document`).
    """
    text = a.text
    paras = _paragraphs(a)
    has_title = a.title is not None
    n_head = int(has_title) + int(a.date_line is not None)
    body_paras = paras[n_head:]
    sents_all = split_sentences(text, paras)
    body_sents = [s for s in sents_all if s.start >= a.body_start]
    title_span = paras[0] if has_title else (0, 0)
    lead_end = body_paras[0][1] if body_paras else a.body_start
    if body_paras and lead_end - body_paras[0][0] < 160 and len(body_paras) > 1:
        lead_end = body_paras[1][1]
    lead_span = (a.body_start, lead_end)
    lead = text[lead_span[0] : lead_span[1]]
    title = a.title or ""

    # dates
    pub_d, pub_t = parse_date_line(a.date_line)
    if pub_d is None and a.meta_published:
        pub_d, pub_t = parse_date_line(a.meta_published)
    published_at = to_datetime(pub_d, pub_t)

    # places, gates, people (people and gates mask place matching)
    gates = find_gates(text, gaz)
    # a gate and the parenthesis after it ("Ái Điểm (huyện Ninh Minh)") name a crossing, not a party
    parens = [(g.end, g.end + _paren_len(text, g.end)) for g in gates]
    places0 = find_places(text, gaz, [(g.start, pe) for g, (_, pe) in zip(gates, parens, strict=True)])
    all_places = find_places(text, gaz)  # unmasked
    # … unless nobody else is named: "cửa khẩu Bắc Sơn (huyện Hà Khẩu, tỉnh Vân Nam)" in an overview
    gate_paren_cn = [p for p in all_places if p.side == "CN" and any(s <= p.start < e for s, e in parens)]
    place_tuples = [(p.start, p.end, p.side, p.unit_id) for p in places0]
    # gate names (Lý Vạn, Ma Lù Thàng) are never person names: people skip them like places
    place_tuples += [(g.start, g.end, "GATE", g.gate_id) for g in gates]
    # a paragraph opening "Trước đó" (earlier) reports another meeting: its people are not participants
    earlier = {i for i, (ps, pe) in enumerate(paras) if _EARLIER.match(text[ps:pe])}
    people = find_people(text, [s for s in sents_all if s.para not in earlier], gaz, place_tuples)
    person_masks = [(i, i + len(p.name)) for p in people for i in _occurrences(p.name, text)]

    def not_a_person(ms: list[Mention]) -> list[Mention]:
        return [p for p in ms if not any(s < p.end and p.start < e for s, e in person_masks)]

    places = not_a_person(places0)
    # a route may run through a gate town ("đường sắt Móng Cái – Đông Hưng"): match places unmasked
    routes = find_routes(text, gaz, not_a_person(all_places))

    def in_span(p, span):
        return span[0] <= p.start and p.end <= span[1]

    # event
    etype = event_type_of(title, lead)
    ev_date, ev_span = main_event_date(lead, pub_d)
    if etype is None:
        ev_date = None
    online = is_online(title + " " + lead)

    # parties: VN from the title (not mere venues) or else the lead; CN from both
    def is_venue(p) -> bool:
        return bool(_AT_BEFORE.search(text[max(0, p.start - 30) : p.start]))

    title_vn = [p for p in places if p.side == "VN" and in_span(p, title_span) and not is_venue(p)]
    lead_all = [p for p in places if p.side == "VN" and in_span(p, lead_span)]
    lead_vn = [p for p in lead_all if not is_venue(p)] or lead_all  # a venue counts when no one else is named
    # "Bí thư Tỉnh ủy Trịnh Việt Hùng hội kiến …": the official named in the title gives the province
    title_people_vn = [
        Mention(pe.start, pe.end, "VN", pe.unit_id, pe.unit_id, pe.name)
        for pe in people
        if has_title and pe.side == "VN" and pe.unit_id in gaz.provinces and text.find(pe.name, *title_span) >= 0
    ]
    vn_src = title_vn or title_people_vn or lead_vn
    if not vn_src:  # "xuất khẩu qua cửa khẩu Lào Cai": the gate names its province
        vn_src = [
            Mention(g.start, g.end, "VN", g.gate_id, gaz.gates[g.gate_id]["vn_province"], g.alias)
            for g in gates
            if g.start < lead_span[1] and gaz.gates[g.gate_id].get("vn_province")
        ]
    cn_all = [p for p in places if p.side == "CN" and (in_span(p, title_span) or in_span(p, lead_span))]
    cn_src = [p for p in cn_all if not is_venue(p)] or cn_all
    when = ev_date or pub_d
    vn_units: dict[str, Any] = {}
    for p in vn_src:
        code = gaz.province_on(p.unit_id, when)
        vn_units.setdefault(code, p)
    in_route = [(r.start, r.end) for r in routes]  # "hành lang Côn Minh – Lào Cai…" names no partner
    cn_body = [
        p
        for p in places
        if p.side == "CN" and p.start >= a.body_start and not any(x <= p.start < y for x, y in in_route)
    ]
    if etype is None or not cn_src:  # overview piece, or partners named after the lead
        cn_src = sorted([*cn_src, *cn_body], key=lambda p: p.start)
    cn_units: dict[str, Any] = {}
    for p in cn_src:
        cn_units.setdefault(p.unit_id, p)
    # the units of the named officials take part too ("Phó Thị trưởng … thành phố Sùng Tả")
    for pe in people:
        if pe.unit_id in gaz.cn_units and pe.side == "CN":
            cn_units.setdefault(pe.unit_id, Mention(pe.start, pe.end, "CN", pe.unit_id, pe.unit_id, pe.name))
        elif pe.side == "VN" and pe.unit_id in gaz.provinces and not vn_units:
            vn_units.setdefault(
                gaz.province_on(pe.unit_id, when), Mention(pe.start, pe.end, "VN", pe.unit_id, pe.unit_id, pe.name)
            )

    if not cn_units:
        for p in gate_paren_cn:
            if p.start < lead_span[1]:
                cn_units.setdefault(p.unit_id, p)

    # relevance: a Chinese border-region unit taking part (not merely the venue of a national meeting)
    has_cn_border = any((gaz.cn_province(u) or "") in _BORDER_CN and not is_venue(p) for u, p in cn_units.items())
    vn_border = any(gaz.provinces.get(c, {}).get("is_border") == "True" for c in vn_units) or any(
        gaz.provinces.get(p.unit_id, {}).get("is_border") == "True" for p in vn_src
    )
    china_named = bool(re.search(r"Trung Quốc|Trung Hoa", title + " " + lead))
    body_border_cn = sum((gaz.cn_province(p.unit_id) or "") in _BORDER_CN for p in cn_body)
    relevant = (
        has_cn_border
        or bool(
            cn_units and vn_units and (vn_border or any((gaz.cn_province(u) or "") in _BORDER_CN for u in cn_units))
        )
        or (bool(vn_units) and body_border_cn >= 2)
        or (vn_border and china_named and bool(gates))
        or (vn_border and any(g.start < lead_span[1] for g in gates))  # a VN–CN gate in the title or lead
    )

    # themes
    theme_sents = [s for s in sents_all if s.para == 0 and has_title] + body_sents
    topics = (
        find_themes(text, theme_sents, gaz.topic_rx, gaz.topic_min_hits, gaz.topic_strong, gaz.topic_exclude)
        if relevant
        else []
    )
    commodities = find_themes(text, body_sents, gaz.commodity_rx) if relevant else []
    year = (pub_d or ev_date).year if (pub_d or ev_date) else None
    title_period = period_of(title, year)[0] if title else None
    figures = find_figures(body_sents, year, title_period) if relevant else []

    main_vn = next(iter(vn_units), None)
    main_cn = next(iter(cn_units), None)

    def ev(start: int, end: int, sent: Sentence | None) -> dict[str, Any]:
        ss, se = a.to_source(start, end)
        if sent is None:
            return {
                "evidence": text[start:end],
                "evidence_start": ss,
                "evidence_end": se,
                "span_start": ss,
                "span_end": se,
            }
        es, ee = a.to_source(sent.start, sent.end)
        return {"evidence": sent.text, "evidence_start": es, "evidence_end": ee, "span_start": ss, "span_end": se}

    def sent_of(pos: int) -> Sentence | None:
        return next((s for s in sents_all if s.start <= pos < s.end), None)

    out: dict[str, list[dict[str, Any]]] = {
        k: []
        for k in ("parties", "participants", "gate_mentions", "route_mentions", "topics", "commodities", "figures")
    }
    if relevant:
        for code, p in vn_units.items():
            r = gaz.provinces.get(code, {})
            out["parties"].append(
                {
                    "article_id": article_id,
                    "side": "VN",
                    "unit_id": code,
                    "unit_name": r.get("name_vi"),
                    "unit_name_en": r.get("name_en"),
                    "unit_level": "province",
                    **ev(p.start, p.end, sent_of(p.start)),
                }
            )
        for uid, p in cn_units.items():
            r = gaz.cn_units[uid]
            out["parties"].append(
                {
                    "article_id": article_id,
                    "side": "CN",
                    "unit_id": uid,
                    "unit_name": r["name_vi"],
                    "unit_name_en": r["name_en"],
                    "unit_level": r["level"],
                    **ev(p.start, p.end, sent_of(p.start)),
                }
            )
        for pe in people:
            unit = pe.unit_id
            if unit and pe.side == "VN" and unit.startswith("VN-"):
                unit = gaz.province_on(unit, when)
            if unit is None:
                unit = main_vn if pe.side == "VN" else main_cn
            out["participants"].append(
                {
                    "article_id": article_id,
                    "person_name": pe.name,
                    "person_slug": slug(pe.name),
                    "side": pe.side,
                    "role": pe.role,
                    "unit_id": unit,
                    **ev(pe.start, pe.end, pe.sentence),
                }
            )
        seen_g = set()
        for g in gates:
            if g.gate_id in seen_g:
                continue
            seen_g.add(g.gate_id)
            r = gaz.gates[g.gate_id]
            out["gate_mentions"].append(
                {
                    "article_id": article_id,
                    "gate_id": g.gate_id,
                    "gate_name": r["name_vi"],
                    "cn_gate_name": r.get("cn_name_vi") or None,
                    **ev(g.start, g.end, sent_of(g.start)),
                }
            )
        seen_r = set()
        for rt in routes:
            rid = "-".join(w.lower().replace(" ", "") for w in rt.waypoints)
            if rid in seen_r:
                continue
            seen_r.add(rid)
            out["route_mentions"].append(
                {
                    "article_id": article_id,
                    "route_id": rid,
                    "route_kind": rt.kind,
                    "waypoints_en": list(rt.waypoints),
                    **ev(rt.start, rt.end, sent_of(rt.start)),
                }
            )
        for t in topics:
            out["topics"].append(
                {
                    "article_id": article_id,
                    "topic": t.theme,
                    "keyword": t.keyword,
                    "n_hits": t.hits,
                    **ev(t.start, t.end, t.sentence),
                }
            )
        for c in commodities:
            out["commodities"].append(
                {
                    "article_id": article_id,
                    "commodity": c.theme,
                    "keyword": c.keyword,
                    "n_hits": c.hits,
                    **ev(c.start, c.end, c.sentence),
                }
            )
        for i, f in enumerate(figures):
            of = _figure_subject(f, places, gaz, main_vn, when)
            out["figures"].append(
                {
                    "article_id": article_id,
                    "figure_no": i,
                    "measure": f.measure,
                    "value": float(f.value),
                    "unit": f.unit,
                    "period": f.period,
                    "of": of,
                    "raw_text": f.raw,
                    **ev(f.start, f.end, f.sentence),
                }
            )

    level = None
    ranked = [pe for pe in people if relevant]
    if ranked:
        top = min(ranked, key=lambda pe: ROLE_ORDER.index(pe.role))
        level = top.role
    words = len(re.findall(r"\w+", "\n".join(a.body)))
    out["articles"] = [
        {
            "article_id": article_id,
            "source": a.source,
            "title": a.title,
            "date_line": a.date_line,
            "published_at": published_at,
            "published_has_time": pub_t is not None,
            "event_date": ev_date,
            "event_type": etype if relevant else None,
            "is_online": bool(online and relevant),
            "location_en": location_of(lead, lead_span[0], places, gaz) if relevant and not online else None,
            "is_relevant": relevant,
            "level": level,
            "encoding": encoding,
            "n_words": words,
            "n_removed_blocks": len(a.removed),
            "event_date_evidence": lead[ev_span[0] : ev_span[1]] if ev_span and ev_date else None,
        }
    ]
    if not relevant:
        out["articles"][0]["event_date"] = None
    # names the gazetteer could not map, and the aliases it used (for the build's warnings)
    names = {pe.name for pe in people}
    out["_unmapped"] = []
    if relevant:
        # any gazetteer match counts as mapped, also where a gate, a person or a post masked it as a party
        known = [Mention(m.start, m.end, "", m.key, m.key, m.alias) for f in (gaz.vn, gaz.cn) for m in f.find(text)]
        out["_unmapped"] = [{"name": n} for n in unmapped_names(text, known) if n not in names]
    used = {f"{p.side.lower()}:{p.alias.lower()}" for p in places} | {f"gate:{g.alias.lower()}" for g in gates}
    out["_aliases"] = [{"alias": a} for a in sorted(used)]
    return out


def _occurrences(needle: str, text: str) -> Iterator[int]:
    """Start of every non-overlapping occurrence of ``needle`` in ``text``."""
    i = text.find(needle)
    while i >= 0 and needle:
        yield i
        i = text.find(needle, i + len(needle))


def _paren_len(text: str, pos: int) -> int:
    m = re.match(r"\s*\([^()]{0,80}\)", text[pos:])
    return m.end() if m else 0


def _figure_subject(f, places, gaz: Gazetteer, main_vn: str | None, when: date | None) -> str | None:
    """The unit a figure describes: the last Vietnamese (else Chinese) place named before it in its
    sentence; "VN-CN" for bilateral national totals; else the article's main Vietnamese province."""
    s = f.sentence
    before = [p for p in places if s.start <= p.start < f.start]
    before = [p for p in before if p.side == "VN"] or before  # VN press: a VN province first
    if before:
        p = before[-1]
        return gaz.province_on(p.unit_id, when) if p.side == "VN" else p.unit_id
    if re.search(r"hai nước|Việt Nam\s*[-–]\s*Trung Quốc", s.text):
        return "VN-CN"
    return main_vn


def article_id_of(a: Article) -> str:
    """Stable id from the cleaned text: the same article in NFC, NFD or cp1258 gets the same id."""
    return short_hash(a.text)
