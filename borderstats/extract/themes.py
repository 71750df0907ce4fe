"""Topics and commodities: keyword lists from ``topics.csv`` and ``commodities.csv``.

A topic counts when its keywords occur in the article body at least ``min_hits`` times; each hit
keeps its sentence as evidence. Commodities need one hit.
"""

from __future__ import annotations

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
    sentences: list[Sentence],
    matchers: dict[str, AliasMatcher],
    min_hits: dict[str, int] | None = None,
    strong: dict[str, set[str]] | None = None,
    exclude: dict[str, AliasMatcher] | None = None,
) -> list[ThemeHit]:
    """Themes whose keywords occur in ``sentences`` at least ``min_hits[theme]`` times (default 1),
    or whose ``strong`` keywords occur at all. Hits inside an ``exclude`` phrase ("quan tâm đầu tư"
    is infrastructure spending, not investment cooperation) do not count."""
    out = []
    for theme, rx in matchers.items():
        first = None
        n = 0
        is_strong = False
        ex = (exclude or {}).get(theme)
        for s in sentences:
            masks = [(x.start, x.end) for x in ex.find(s.text)] if ex else []
            for m in rx.find(s.text):
                if any(a <= m.start and m.end <= b for a, b in masks):
                    continue
                n += 1
                is_strong = is_strong or m.alias.lower() in (strong or {}).get(theme, ())
                if first is None:
                    first = (m, s)
        if first is not None and (n >= (min_hits or {}).get(theme, 1) or is_strong):
            m, s = first
            out.append(ThemeHit(theme, m.alias, s.start + m.start, s.start + m.end, s, n))
    return out
