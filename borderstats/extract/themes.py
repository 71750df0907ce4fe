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


def find_themes(sentences: list[Sentence], matchers: dict[str, AliasMatcher], min_hits: int = 1) -> list[ThemeHit]:
    """Themes whose keywords occur in ``sentences`` at least ``min_hits`` times."""
    out = []
    for theme, rx in matchers.items():
        first = None
        n = 0
        for s in sentences:
            for m in rx.find(s.text):
                n += 1
                if first is None:
                    first = (m, s)
        if first is not None and n >= min_hits:
            m, s = first
            out.append(ThemeHit(theme, m.alias, s.start + m.start, s.start + m.end, s, n))
    return out
