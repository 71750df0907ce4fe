"""Reference data (package CSVs) and alias matching over article text.

Each CSV row carries its aliases and a ``source``. :class:`Gazetteer` compiles one matcher per kind
of name (Vietnamese provinces and places, Chinese units, gates, route waypoints, roles, topics,
commodities); matches are case-insensitive but must contain a capital letter where the alias has
one, so that "hữu nghị" (friendship) never matches the Hữu Nghị gate. It records which aliases
were used, so that :meth:`Gazetteer.unused_aliases` can warn about dead reference data.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from .text import fold, normalize

__all__ = ["Gazetteer", "Match", "gazetteer", "reference_table", "reference_version"]


@dataclass(frozen=True)
class Match:
    """A gazetteer hit: ``[start, end)`` in the searched text, the entry key and the alias text."""

    start: int
    end: int
    key: str
    alias: str


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("borderstats").joinpath("reference", name).open(encoding="utf-8") as f:
        return [{k: normalize(v or "").strip() for k, v in r.items()} for r in csv.DictReader(f)]


def reference_table(name: str) -> list[dict[str, str]]:
    """Rows of a reference CSV (``provinces``, ``cn_units``, ``gates``…), normalised.

    Examples
    --------
    >>> next(r for r in reference_table("provinces") if r["unit_id"] == "VN-03")["code_2025"]
    'VN-07'
    """
    return _rows(f"{name}.csv")


@cache
def reference_version() -> str:
    """A digest of every reference CSV: part of the extraction cache key."""
    import hashlib

    h = hashlib.sha256()
    ref = resources.files("borderstats").joinpath("reference")
    for p in sorted(ref.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".csv"):
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:16]


def _split(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


_WS = re.compile(r"\s+")


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words`` (lower case), shaped as a trie so that matching stays fast
    with hundreds of aliases; longer words win over their prefixes. Spaces match any whitespace
    and apostrophes are optional.

    Examples
    --------
    >>> import re
    >>> rx = re.compile(_trie_pattern(["lào cai", "lào", "lai châu"]), re.I)
    >>> [m.group(0) for m in rx.finditer("Lào Cai, Lào và Lai Châu")]
    ['Lào Cai', 'Lào', 'Lai Châu']
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w.lower():
            node = node.setdefault(ch, {})
        node[""] = True

    def esc(ch: str) -> str:
        if ch == " ":
            return r"\s+"
        if ch in "'’":
            return "['’]?"
        return re.escape(ch)

    def build(node: dict) -> str:
        end = "" in node
        branches = [esc(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{inner})?" if end else inner

    return build(trie)


def _sentence_initial(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in ' \t"“(':
        j -= 1
    return j < 0 or text[j] in ".!?:\n…"


class AliasMatcher:
    """Longest-first alias matching with word boundaries; aliases map to keys."""

    def __init__(self, pairs: list[tuple[str, str]], *, case_sensitive_caps: bool = True, lowercase_only: bool = False):
        self.key_of: dict[str, str] = {}
        for alias, key in pairs:
            alias = normalize(alias).strip()
            if alias and alias.lower() not in self.key_of:
                self.key_of[alias.lower()] = key
        self.caps = case_sensitive_caps
        self.lowercase_only = lowercase_only  # common nouns: "trà" (tea) but not "Trà Lĩnh"
        self._last: tuple[str, list[Match]] = ("", [])

    # compiled on first use: the build's main process needs the aliases, not the patterns
    @cached_property
    def rx(self) -> re.Pattern[str]:
        """Matches aliases case-sensitively in lower-cased text (much faster than ``re.I``)."""
        return re.compile(rf"(?<![\w])(?:{self._body})(?![\w])")

    @cached_property
    def rx_i(self) -> re.Pattern[str]:
        """Matches aliases in any case (for text whose length changes when lower-cased)."""
        return re.compile(rf"(?<![\w])(?:{self._body})(?![\w])", re.I)

    @cached_property
    def _body(self) -> str:
        return _trie_pattern(list(self.key_of)) or "(?!x)x"

    def find(self, text: str) -> list[Match]:
        """Alias matches in ``text`` (positions refer to ``text``). The last text's matches are
        remembered: extraction asks for the places of the same article text several times."""
        last_text, last = self._last
        if text is last_text or (len(text) == len(last_text) and text == last_text):
            return list(last)
        out = []
        low_text = text.lower()
        rx = self.rx if len(low_text) == len(text) else self.rx_i
        for m in rx.finditer(low_text if rx is self.rx else text):
            s = text[m.start() : m.end()]
            if "  " in s or "\n" in s or "\t" in s:
                s = _WS.sub(" ", s)
            low = s.lower().replace("’", "'")
            key = self.key_of.get(low) or self.key_of.get(low.replace("'", ""))
            if key is None:
                continue
            if self.caps and not any(c.isupper() for c in s):
                continue
            if self.lowercase_only and s[:1].isupper() and not _sentence_initial(text, m.start()):
                continue
            out.append(Match(m.start(), m.end(), key, s))
        self._last = (text, out)
        return list(out)


class Gazetteer:
    """All reference tables and their matchers.

    Examples
    --------
    >>> g = gazetteer()
    >>> [m.key for m in g.vn.find("Bí thư Tỉnh ủy Lai Châu và huyện Mường Tè")]
    ['VN-01', 'muong-te']
    >>> g.vn_province("muong-te")
    'VN-01'
    """

    def __init__(self) -> None:
        self.provinces = {r["unit_id"]: r for r in _rows("provinces.csv")}
        self.places = {r["place_id"]: r for r in _rows("vn_places.csv")}
        self.cn_units = {r["unit_id"]: r for r in _optional("cn_units.csv")}
        self.gates = {r["gate_id"]: r for r in _optional("gates.csv")}
        self.roles = _rows("roles.csv")
        self.topics = _rows("topics.csv")
        self.commodities = _rows("commodities.csv")

        vn_pairs = []
        for pid, r in self.provinces.items():
            vn_pairs += [(a, pid) for a in [r["name_vi"], *_split(r["aliases_vi"])]]
        for pid, r in self.places.items():
            names = [r["name_vi"], *_split(r["aliases_vi"])]
            vn_pairs += [(a, pid) for a in names if fold(a) != fold(self.provinces[r["province_id"]]["name_vi"])]
        self.vn = AliasMatcher(vn_pairs)

        cn_pairs = []
        for uid, r in self.cn_units.items():
            names = [r["name_vi"], *_split(r.get("aliases_vi", "")), r["name_en"], *_split(r.get("aliases_en", ""))]
            names += [r["name_zh"]] if r.get("name_zh") else []
            cn_pairs += [(a, uid) for a in names]
        self.cn = AliasMatcher(cn_pairs)

        gate_pairs, gate_cn_pairs = [], []
        for gid, r in self.gates.items():
            gate_pairs += [(a, gid) for a in [r["name_vi"], *_split(r.get("aliases_vi", ""))]]
            gate_cn_pairs += [(a, gid) for a in [r.get("cn_name_vi", "")] if a]
        self.gate_vn = AliasMatcher(gate_pairs)
        self.gate_cn = AliasMatcher(gate_cn_pairs)

        role_pairs = [(r["title_vi"], str(i)) for i, r in enumerate(self.roles)]
        self.role = AliasMatcher(role_pairs, case_sensitive_caps=False)
        # one matcher per vocabulary (a keyword shared by several themes maps to "a|b")
        self.topic_rx = _multi([(k, r["topic"]) for r in self.topics for k in _split(r["keywords_vi"])])
        self.topic_exclude = _multi(
            [(k, r["topic"]) for r in self.topics for k in _split(r.get("exclude_keywords_vi", ""))]
        )
        self.topic_strong = {
            r["topic"]: {k.lower() for k in _split(r.get("strong_keywords_vi", ""))} for r in self.topics
        }
        self.topic_min_hits = {r["topic"]: int(r.get("min_hits") or 1) for r in self.topics}
        self.commodity_rx = _multi(
            [(k, r["commodity"]) for r in self.commodities for k in _split(r["keywords_vi"])], lowercase_only=True
        )

    # ------------------------------------------------------------------ lookups
    def vn_province(self, key: str) -> str | None:
        """ISO code of the province a VN key (province or place id) lies in."""
        if key in self.provinces:
            return key
        place = self.places.get(key)
        return place["province_id"] if place else None

    def province_on(self, code: str, when: Any) -> str:
        """The province code in force on date ``when`` (after 2025-07-01 merged codes apply)."""
        import datetime as _dt

        if when is not None and when >= _dt.date(2025, 7, 1):
            return self.provinces.get(code, {}).get("code_2025") or code
        return code

    def cn_province(self, uid: str) -> str | None:
        """The province-level ancestor of a Chinese unit (itself for a province)."""
        seen = set()
        while uid and uid not in seen:
            seen.add(uid)
            r = self.cn_units.get(uid)
            if r is None:
                return None
            if r["level"] == "province":
                return uid
            uid = r.get("parent_id", "")
        return None

    def cn_ancestors(self, uid: str) -> list[str]:
        """Parent chain of a Chinese unit, nearest first (excluding itself)."""
        out: list[str] = []
        r = self.cn_units.get(uid)
        while r and r.get("parent_id") and r["parent_id"] not in out:
            out.append(r["parent_id"])
            r = self.cn_units.get(r["parent_id"])
        return out

    def all_aliases(self) -> list[str]:
        """Every place and gate alias, as ``vn:…``, ``cn:…``, ``gate:…`` (lower case)."""
        out = []
        for name, m in (("vn", self.vn), ("cn", self.cn), ("gate", self.gate_vn)):
            out += [f"{name}:{a}" for a in m.key_of]
        return sorted(out)


def _multi(pairs: list[tuple[str, str]], lowercase_only: bool = False) -> AliasMatcher:
    """A case-insensitive matcher whose keys join every theme a keyword belongs to with "|"."""
    keys: dict[str, list[str]] = {}
    for alias, key in pairs:
        a = normalize(alias).strip().lower()
        if a and key not in keys.setdefault(a, []):
            keys[a].append(key)
    return AliasMatcher(
        [(a, "|".join(k)) for a, k in keys.items()], case_sensitive_caps=False, lowercase_only=lowercase_only
    )


def _optional(name: str) -> list[dict[str, str]]:
    try:
        return _rows(name)
    except FileNotFoundError:
        return []


@cache
def gazetteer() -> Gazetteer:
    """The package gazetteer (built once per process)."""
    return Gazetteer()
