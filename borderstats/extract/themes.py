"""Topics and commodities: keyword lists from ``topics.csv`` and ``commodities.csv``.

A topic counts when its keywords occur in the article body at least ``min_hits`` times; each hit
keeps its sentence as evidence. Commodities need one hit.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..gazetteer import AliasMatcher
from .sentences import Sentence

__all__ = ["ThemeHit", "find_themes"]


@dataclass(frozen=True)
class ThemeHit:
    """A theme (topic or commodity) with the first keyword hit and the number of hits."""

    theme: str
    keyword: str
    start: int
    end: int
    sentence: Sentence
    hits: int


def find_themes(
    text: str,
    sentences: list[Sentence],
    matcher: AliasMatcher,
    min_hits: dict[str, int] | None = None,
    strong: dict[str, set[str]] | None = None,
    exclude: AliasMatcher | None = None,
) -> list[ThemeHit]:
    """Themes whose keywords occur in ``sentences`` (spans of ``text``) at least ``min_hits[theme]``
    times (default 1), or whose ``strong`` keywords occur at all. Hits inside an ``exclude`` phrase
    of the same theme ("quan tâm đầu tư" is infrastructure spending, not investment cooperation)
    do not count. The matcher's keys are themes joined by "|"; it runs once over the whole text."""
    starts = [s.start for s in sentences]

    def sentence_at(pos: int) -> Sentence | None:
        k = bisect_right(starts, pos) - 1
        return sentences[k] if k >= 0 and pos < sentences[k].end else None

    masks: dict[str, list[tuple[int, int]]] = {}
    for x in exclude.find(text) if exclude else []:
        for theme in x.key.split("|"):
            masks.setdefault(theme, []).append((x.start, x.end))
    first: dict[str, tuple] = {}
    n: dict[str, int] = {}
    is_strong: dict[str, bool] = {}
    for m in matcher.find(text):
        sent = sentence_at(m.start)
        if sent is None or m.end > sent.end:
            continue
        for theme in m.key.split("|"):
            if any(a <= m.start and m.end <= b for a, b in masks.get(theme, ())):
                continue
            n[theme] = n.get(theme, 0) + 1
            is_strong[theme] = is_strong.get(theme, False) or m.alias.lower() in (strong or {}).get(theme, ())
            first.setdefault(theme, (m, sent))
    out = []
    for theme in sorted(first):
        if n[theme] >= (min_hits or {}).get(theme, 1) or is_strong[theme]:
            m, sent = first[theme]
            out.append(ThemeHit(theme, m.alias, m.start, m.end, sent, n[theme]))
    return out
