"""Check a fact before publishing it: the cleaned article with every extracted fact highlighted.

``explain(tables, article_id)`` returns an :class:`Explanation` that renders in Jupyter and saves
as a standalone HTML file: the article's blocks in order, the removed page furniture greyed out
with the reason it was removed, and each fact (people, units, gates, routes, figures, topics,
commodities, the event date) marked at its evidence span, with the extracted value on hover.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .clean import blocks_of, clean
from .pipeline import Tables
from .read import Document, decode

__all__ = ["Explanation", "explain"]

_COLORS = {
    "person": "#cfe3ff",
    "unit": "#ffe1b3",
    "gate": "#d9f2d0",
    "route": "#e6d9f7",
    "figure": "#ffd6d6",
    "date": "#fff3a8",
    "topic": "#e8e8e8",
    "commodity": "#d6f5f2",
}
_CSS = """
body{font-family:'Noto Sans',sans-serif;max-width:52rem;margin:2rem auto;line-height:1.55;color:#222}
.meta{font-size:.9rem;color:#444;border-bottom:1px solid #ddd;padding-bottom:.6rem;margin-bottom:1rem}
.removed{color:#aaa;font-size:.85rem}.removed .why{font-style:italic;margin-left:.5rem;color:#bbb}
mark{padding:0 .15rem;border-radius:.2rem}
.legend span{display:inline-block;padding:0 .4rem;margin:.1rem;border-radius:.2rem}
p.title{font-size:1.3rem;font-weight:600}
"""


@dataclass
class Explanation:
    """Rendered explanation of one article; ``html`` is a complete standalone page."""

    article_id: str
    html: str

    def _repr_html_(self) -> str:
        body = re.search(r"<body>(.*)</body>", self.html, re.S)
        return f"<style>{_CSS}</style>" + (body.group(1) if body else self.html)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the standalone HTML page; return its path."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(self.html, encoding="utf-8")
        return p


def _facts(t: Tables, aid: str) -> list[tuple[int, int, str, str, str]]:
    """(span_start, span_end, kind, label, phrase) for every fact of the article; ``phrase`` is the
    text to look for when the span covers a whole HTML block."""
    out = []
    specs = [
        ("participants", "person", lambda r: f"{r.person_name} — {r.side}, {r.role}, {r.unit_id}", "person_name"),
        ("parties", "unit", lambda r: f"{r.side} party: {r.unit_name} ({r.unit_name_en}, {r.unit_id})", "unit_name"),
        ("gate_mentions", "gate", lambda r: f"gate {r.gate_id}: {r.gate_name} – {r.cn_gate_name}", "gate_name"),
        ("route_mentions", "route", lambda r: "route: " + " – ".join(r.waypoints_en), None),
        (
            "figures",
            "figure",
            lambda r: f"{r.measure} = {r.value:,.6g} {r.unit}, period {r.period}, of {r.of}",
            "raw_text",
        ),
        ("topics", "topic", lambda r: f"topic {r.topic} ({r.n_hits} hits)", "keyword"),
        ("commodities", "commodity", lambda r: f"commodity {r.commodity}", "keyword"),
    ]
    for table, kind, label, phrase in specs:
        df = t[table]
        for r in df[df["article_id"] == aid].itertuples():
            out.append((int(r.span_start), int(r.span_end), kind, label(r), getattr(r, phrase) if phrase else ""))
    return out


def explain(tables: Tables, article_id: str, root: str | os.PathLike | None = None) -> Explanation:
    """Render one article with its facts highlighted at their evidence spans.

    ``root`` is the folder the ``source`` paths are relative to (default: the working directory,
    then its parents).

    Examples
    --------
    >>> import borderstats as bs  # doctest: +SKIP
    >>> t = bs.load("reports/tables")  # doctest: +SKIP
    >>> bs.explain(t, t.articles.article_id[0]).save("reports/explain.html")  # doctest: +SKIP
    """
    a = tables.articles.set_index("article_id").loc[article_id]
    path = _find(str(a["source"]), root)
    data = path.read_bytes()
    text, enc = decode(data)
    doc = Document(
        str(a["source"]), "html" if path.suffix.lower() in (".html", ".htm") else "txt", enc, text, len(data)
    )
    art = clean(doc)
    kept = {(b.start, b.end) for _, b in art.segments}
    why = {(b.start, b.end): reason for b, reason in art.removed}
    facts = _facts(tables, article_id)
    ev_phrase = a.get("event_date_evidence")
    parts = [f"<h2>{html.escape(str(a['title'] or '(no title)'))}</h2>"]
    ev_date = a["event_date"]

    def show(v) -> str:
        return "—" if v is None or (not isinstance(v, str) and pd.isna(v)) else html.escape(str(v))

    meta = [
        f"<b>source</b> {html.escape(str(a['source']))} ({html.escape(enc)})",
        f"<b>published</b> {a['published_at'] if pd.notna(a['published_at']) else '—'}",
        f"<b>event</b> {show(a['event_type'])} on {ev_date.date() if pd.notna(ev_date) else '—'}"
        f" · <b>level</b> {show(a['level'])} · <b>event id</b> {show(a['event_id'])}",
        f"<b>relevant</b> {bool(a['is_relevant'])} · <b>online</b> {bool(a['is_online'])}"
        f" · <b>location</b> {show(a['location_en'])}",
    ]
    legend = "".join(f'<span style="background:{c}">{k}</span>' for k, c in _COLORS.items())
    parts.append(
        f'<div class="meta">{"<br>".join(meta)}<div class="legend">{legend} <span>grey: removed</span></div></div>'
    )
    for b in blocks_of(doc):
        key = (b.start, b.end)
        if key not in kept:
            reason = why.get(key, "page furniture")
            parts.append(
                f'<p class="removed">{html.escape(b.text[:400])}<span class="why">[{html.escape(reason)}]</span></p>'
            )
            continue
        cls = ' class="title"' if art.title and b.text == art.title else ""
        parts.append(f"<p{cls}>{_highlight(doc, b, facts, ev_phrase)}</p>")
    page = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>explain {article_id}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
    return Explanation(article_id, page)


def _find(source: str, root) -> Path:
    p = Path(source)
    cands = [p] if p.is_absolute() else [Path(root or ".") / p, *[d / p for d in Path.cwd().parents]]
    for c in cands:
        if c.exists():
            return c
    raise FileNotFoundError(f"source file {source} not found (give root= the folder the build was run from)")


def _highlight(doc: Document, b, facts, ev_phrase) -> str:
    text = b.text
    exact = doc.text[b.start : b.end] == text
    marks: list[tuple[int, int, str, str]] = []
    for s, e, kind, label, phrase in facts:
        if not (b.start <= s < b.end):
            continue
        if exact:
            ls, le = s - b.start, min(e, b.end) - b.start
        else:  # HTML: the span is the whole block; find the phrase inside it
            i = text.find(phrase) if phrase else -1
            if i < 0:
                continue
            ls, le = i, i + len(phrase)
        marks.append((ls, le, kind, label))
    if ev_phrase and isinstance(ev_phrase, str):
        i = text.find(ev_phrase)
        if i >= 0:
            marks.append((i, i + len(ev_phrase), "date", "event date"))
    marks.sort(key=lambda m: (m[0], -m[1]))
    out, pos = [], 0
    for ls, le, kind, label in marks:
        if ls < pos:
            continue  # overlapping: the first (longest) mark wins
        out.append(html.escape(text[pos:ls]))
        out.append(
            f'<mark style="background:{_COLORS[kind]}" title="{html.escape(label)}">{html.escape(text[ls:le])}</mark>'
        )
        pos = le
    out.append(html.escape(text[pos:]))
    return "".join(out)
