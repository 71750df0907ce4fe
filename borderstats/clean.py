"""Clean stage: a :class:`~borderstats.read.Document` → the article's title, own date line and body.

Both ``.txt`` and ``.html`` become a list of :class:`Block` (one paragraph each, with its character
span in the document text). Page furniture is then removed: site clocks, mastheads, navigation,
share buttons, audio widgets, image file names, repeated photo captions, bylines, comment boxes
and everything from the related-news block on. The kept blocks form :class:`Article`, whose
``text`` joins title, date line and body; ``to_source`` maps any offset in it back to the document.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .read import Document, Rejected

__all__ = ["Article", "Block", "blocks_of", "clean"]


@dataclass(frozen=True)
class Block:
    """A paragraph of the document: its text and its ``[start, end)`` span in ``Document.text``.

    ``role`` is set for HTML blocks whose markup says what they are: ``title`` (h1), ``date``
    (an element classed date/time inside the article) or ``drop`` (navigation, asides, footers,
    scripts…, with the reason in ``why``).
    """

    text: str
    start: int
    end: int
    role: str = ""
    why: str = ""


@dataclass
class Article:
    """The cleaned article.

    ``text`` is title, date line and body paragraphs joined by blank lines; ``segments`` lists, for
    each kept block, ``(clean_start, block)``; ``removed`` lists the dropped blocks with a reason.
    """

    source: str
    title: str | None
    date_line: str | None
    body: list[str]
    text: str
    segments: list[tuple[int, Block]]
    removed: list[tuple[Block, str]] = field(default_factory=list)
    body_start: int = 0  # offset in ``text`` where the body begins
    meta_published: str | None = None  # HTML <meta> publication time, when the page has one

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the document text.

        Exact inside a block whose text is the source verbatim (plain text); otherwise the
        span of the whole block (HTML with entities or inline tags).
        """
        starts = [s for s, _ in self.segments]
        i = max(0, bisect_right(starts, start) - 1)
        cs, b = self.segments[i]
        if b.end - b.start == len(b.text):
            return b.start + (start - cs), b.start + min(end - cs, len(b.text))
        return b.start, b.end


# ---------------------------------------------------------------- HTML → blocks
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<\?[^>]*>|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "figcaption",
        "figure",
        "article",
        "aside",
        "section",
        "header",
        "footer",
        "nav",
        "br",
        "table",
        "tr",
        "td",
        "th",
        "blockquote",
        "main",
        "form",
        "title",
        "time",
        "dd",
        "dt",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select", "option"]
)
_DROP_TAGS = frozenset(["nav", "footer", "aside", "form", "header"])
# containers that are never the article, even when they hold a date (sidebars, comments…)
_DROP_CLASS = re.compile(
    r"related|comment|share|social|sidebar|menu|\bnav|breadcrumb|footer|\btags?\b|keyword|advert|\bads?\b|"
    r"banner|popup|rss|hotline|topbar|top-bar|box-title|most-read|newsletter|widget|login|search|copyright|"
    r"clock|weather|header-bar|views|col-left|col-right|left-col|right-col|colleft|colright|lienquan|tinkhac",
    re.I,
)
# furniture inside the article whose date element is the article's own (byline, meta line)
_SOFT_DROP_CLASS = re.compile(r"cate\b|category|author|byline|audio|player|print", re.I)
_CLASS = re.compile(r"""(?:class|id)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""", re.I)
_WS = re.compile(r"\s+")
_SPAN_BLOCK = re.compile(r"date|time|view|cate|source|author|clock|hotline", re.I)


def _html_blocks(doc: Document) -> list[Block]:
    src = doc.text
    blocks: list[Block] = []
    stack: list[tuple[str, str]] = []  # (tag, class/id text)
    parts: list[str] = []
    span = [-1, -1]

    def context() -> tuple[str, str]:
        tags = {t for t, _ in stack}
        if tags & _SKIP_TAGS and "title" not in tags:
            return "skip", ""
        if "title" in tags:
            return "doctitle", ""
        for t, c in stack:
            if t in _DROP_TAGS:
                return "drop", f"<{t}>"
            if c and _DROP_CLASS.search(c):
                return "drop", f'class "{c.strip()}"'
        # a date element inside the article's byline/meta is the page's date, not furniture
        if any(re.search(r"date|time|publish", c, re.I) for _, c in stack) or "time" in tags:
            return "date", ""
        for _t, c in stack:
            if c and _SOFT_DROP_CLASS.search(c):
                return "drop", f'class "{c.strip()}"'
        if "h1" in tags:
            return "title", ""
        return "", ""

    def flush() -> None:
        if parts:
            text = _WS.sub(" ", html.unescape("".join(parts))).strip()
            if text:
                role, why = context_at_flush
                if role != "skip":
                    blocks.append(Block(text, span[0], span[1], role, why))
        parts.clear()
        span[0] = span[1] = -1

    context_at_flush = ("", "")
    pos = 0
    for m in _TAG.finditer(src):
        if m.start() > pos:
            chunk = src[pos : m.start()]
            if chunk.strip():
                if not parts:
                    context_at_flush = context()
                    span[0] = pos + len(chunk) - len(chunk.lstrip())
                parts.append(chunk)
                span[1] = m.start() - (len(chunk) - len(chunk.rstrip()))
            elif parts:
                parts.append(" ")
        pos = m.end()
        if m.group(0).startswith(("<!", "<?")):
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if tag in _BLOCK_TAGS or tag in _SKIP_TAGS or (tag == "span" and _SPAN_BLOCK.search(m.group(3) or "")):
            flush()
        if tag in ("br", "img", "meta", "link", "input", "hr", "source", "wbr"):
            continue
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == tag:
                    del stack[i:]
                    break
        elif not (m.group(3) or "").rstrip().endswith("/"):
            c = " ".join(g for cm in _CLASS.finditer(m.group(3) or "") for g in cm.groups() if g)
            stack.append((tag, c))
    if pos < len(src) and src[pos:].strip():
        context_at_flush = context()
        span[0], span[1] = pos, len(src)
        parts.append(src[pos:])
    flush()
    return blocks


def _txt_blocks(doc: Document) -> list[Block]:
    blocks = []
    pos = 0
    for line in doc.text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            blocks.append(Block(stripped, start, start + len(stripped)))
        pos += len(line) + 1
    return blocks


def blocks_of(doc: Document) -> list[Block]:
    """Split a document into paragraph blocks with their source spans (HTML markup resolved).

    Examples
    --------
    >>> from borderstats.read import Document
    >>> d = Document("x.html", "html", "utf-8", "<h1>Tiêu đề</h1><p>Ngày 1/2, A &amp; B.</p>", 0)
    >>> [(b.text, b.role) for b in blocks_of(d)]
    [('Tiêu đề', 'title'), ('Ngày 1/2, A & B.', '')]
    """
    return _html_blocks(doc) if doc.kind == "html" else _txt_blocks(doc)


# ---------------------------------------------------------------- furniture rules
_DATE_CORE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d{2}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d{2})"
DATE_LINE = re.compile(rf"^(?=.{{0,90}}$)[^.!?]{{0,40}}?{_DATE_CORE}", re.I)
RELATIVE_DATE = re.compile(r"^\s*\d+\s+(?:phút|giờ|ngày|tuần)\s+trước\s*$", re.I)
_END_MARKERS = re.compile(
    r"^(?:bình luận|viết bình luận|gửi bình luận|ý kiến bạn đọc|ý kiến của bạn|tin cùng chuyên mục|"
    r"tin liên quan|tin cùng chủ đề|có thể bạn quan tâm|tin khác|các tin khác|tin đã đưa|xem thêm|"
    r"đọc thêm|bài viết liên quan|tin mới(?: nhất)?|tin nổi bật|tin xem nhiều|đọc nhiều|tin bài khác|"
    r"các tin đã đưa|bài liên quan|những tin mới hơn|những tin cũ hơn|home icon|về trang chủ)\b\s*:?\s*$",
    re.I,
)
# any short heading of the form "Tin/Bài (viết)… liên quan/khác/cùng chủ đề/mới nhất…" opens the sidebar
_END_HEADING = re.compile(
    r"^(?:tin|bài|bài viết|tin tức|tin bài|các tin|các bài|xem|đọc)\b[^.!?]{0,30}?\b"
    r"(?:liên quan|cùng|khác|mới nhất|mới|đọc nhiều|xem nhiều|nổi bật|đã đưa|thêm|chủ đề|chuyên mục)\b[^.!?]{0,20}$",
    re.I,
)
_DROP_LINE = [
    (re.compile(r"\.(?:jpe?g|png|gif|webp)\s*$", re.I), "image file name"),
    (re.compile(r"^.{0,30}\b\d{1,2}:\d{2}\s*/\s*\d{1,2}:\d{2}\s*$"), "audio player"),
    (re.compile(r"^(?:chia sẻ|share|in bài|lưu bài|gửi bài|tags?|từ khóa)\b", re.I), "share/tags bar"),
    (re.compile(r"(?:\s[|›»>]\s.*){2,}|^trang chủ\b", re.I), "navigation"),
    (re.compile(r"^a-\s*a\s*a\+", re.I), "font-size widget"),
    (re.compile(r"\blượt xem\b|\blượt đọc\b", re.I), "view counter"),
    (re.compile(r"^chuyên mục\s*:", re.I), "section label"),
    (re.compile(r"^(?:tác giả|tin, ảnh|bài, ảnh|theo)\s*:", re.I), "byline"),
    (re.compile(r"^[🔍☰✉📷🔊▶►•·\s]+$"), "icon"),
    (re.compile(r"^\(?(?:ảnh|nguồn|video)\s*:", re.I), "photo credit"),
    (re.compile(r"^(?:hiện tại )?chưa có bình luận", re.I), "comment box"),
]


_META_PUBLISHED = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|datePublished|pubdate|"""
    r"""publishdate|date)["'][^>]*>""",
    re.I,
)
_CONTENT = re.compile(r"""(?:content|datetime)\s*=\s*["']([^"']+)["']""", re.I)
_TIME_ATTR = re.compile(r"""<time[^>]+datetime\s*=\s*["'][^"']+["'][^>]*>""", re.I)
_PORTAL = re.compile(r"^(?:cổng thông tin|báo |trang thông tin|tạp chí|đài |tin tức|kênh )", re.I)


def _is_masthead(text: str) -> bool:
    head = re.split(r"\s[-–|›»]\s", text)[0]
    letters = [c for c in head if c.isalpha()]
    return (len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8) or bool(
        _PORTAL.match(text) and len(text) < 80
    )


def _is_titleish(text: str) -> bool:
    return (
        15 <= len(text) <= 250
        and not text.rstrip().endswith((".", "…", ":"))
        and not _is_masthead(text)
        and not re.search(r"\s[|›»]\s", text)
    )


def _is_byline(text: str) -> bool:
    """A short trailing line that is not a sentence: author, source, editor."""
    return len(text.split()) <= 8 and not re.search(r"[.!?…\"”]$", text)


def clean(doc: Document, min_body_chars: int = 60) -> Article:
    """Clean a document into an :class:`Article`; raise :class:`Rejected` if no article is left.

    Examples
    --------
    >>> from borderstats.read import Document
    >>> head = "Thứ sáu, 03/05/2024, 10:40\\nLai Châu hội đàm với Vân Nam\\nThứ sáu, 28/07/2023 - 23:13\\n"
    >>> body = "Sáng 28/7, tỉnh Lai Châu hội đàm với tỉnh Vân Nam về hợp tác thương mại và du lịch. " * 3
    >>> t = head + body + "\\nBình luận\\nTin khác 01/01/2020"
    >>> a = clean(Document("x.txt", "txt", "utf-8", t, len(t)))
    >>> a.title, a.date_line
    ('Lai Châu hội đàm với Vân Nam', 'Thứ sáu, 28/07/2023 - 23:13')
    """
    blocks = blocks_of(doc)
    removed: list[tuple[Block, str]] = []
    kept: list[Block] = []
    doc_title = None
    for b in blocks:
        if b.role == "drop":
            removed.append((b, f"page furniture ({b.why})"))
        elif b.role == "doctitle":
            doc_title = b
        else:
            kept.append(b)
    if doc.kind == "html" and not kept and "<body" not in doc.text.lower():
        raise Rejected("truncated_html", "The HTML page ends before its <body>: the download was cut off.")

    # drop furniture lines, cut at the related-news/comment block, drop repeated captions
    body_blocks: list[Block] = []
    cut = False
    for b in kept:
        seen_text = sum(len(x.text) for x in body_blocks)
        if cut and b.role == "title" and seen_text < 300:
            # the "related news" column came before the article (left sidebar): the <h1> restarts it
            for x in body_blocks:
                removed.append((x, "sidebar before the article"))
            body_blocks, cut, seen_text = [], False, 0
        if cut:
            removed.append((b, "after the end of the article (related news, comments)"))
            continue
        if doc.kind == "txt" and seen_text < 300 and _END_MARKERS.match(b.text):
            removed.append((b, "section label"))  # "Tin nổi bật" above the title is a label, not the end
            continue
        if _END_MARKERS.match(b.text) or (seen_text > 300 and len(b.text) < 50 and _END_HEADING.match(b.text)):
            cut = True
            removed.append((b, "end-of-article marker"))
            continue
        why = next((w for rx, w in _DROP_LINE if rx.search(b.text)), None)
        if why and b.role != "title" and not (b.role == "date" or DATE_LINE.match(b.text)):
            removed.append((b, why))
        elif body_blocks and b.text == body_blocks[-1].text:
            removed.append((b, "repeated photo caption"))
        else:
            body_blocks.append(b)

    title, date_block, body = _split_header(doc, body_blocks, doc_title, removed)
    meta = (_META_PUBLISHED.search(doc.text) or _TIME_ATTR.search(doc.text)) if doc.kind == "html" else None
    meta_published = _CONTENT.search(meta.group(0)).group(1) if meta and _CONTENT.search(meta.group(0)) else None
    # trailing byline(s)
    while body and _is_byline(body[-1].text):
        removed.append((body[-1], "byline"))
        body.pop()
    if sum(len(b.text) for b in body) < min_body_chars:
        if doc.kind == "html" and not doc.text.rstrip().lower().endswith("</html>"):
            raise Rejected("truncated_html", "The HTML page is cut off before any article text.")
        raise Rejected("no_article_text", f"Under {min_body_chars} characters of article text remain after cleaning.")

    segments: list[tuple[int, Block]] = []
    pieces: list[str] = []
    pos = 0
    for b in [x for x in (title, date_block) if x is not None]:
        segments.append((pos, b))
        pieces.append(b.text)
        pos += len(b.text) + 2
    body_start = pos
    for b in body:
        segments.append((pos, b))
        pieces.append(b.text)
        pos += len(b.text) + 2
    return Article(
        source=doc.source,
        title=title.text if title else None,
        date_line=date_block.text if date_block else None,
        body=[b.text for b in body],
        text="\n\n".join(pieces),
        segments=segments,
        removed=removed,
        body_start=body_start,
        meta_published=meta_published,
    )


def _split_header(
    doc: Document, blocks: list[Block], doc_title: Block | None, removed: list[tuple[Block, str]]
) -> tuple[Block | None, Block | None, list[Block]]:
    """Find title and own date line among the first blocks; the rest is body."""
    # the header zone: blocks before the first paragraph-like block
    first_para = next(
        (
            i
            for i, b in enumerate(blocks)
            if b.role != "title" and (len(b.text) > 250 or b.text.endswith(".")) and not DATE_LINE.match(b.text)
        ),
        len(blocks),
    )
    head = blocks[:first_para]
    title_i = next((i for i, b in enumerate(head) if b.role == "title"), None)
    if title_i is None:
        cands = [
            i
            for i, b in enumerate(head)
            if _is_titleish(b.text) and not DATE_LINE.match(b.text) and not RELATIVE_DATE.match(b.text)
        ]
        title_i = max(cands, key=lambda i: len(head[i].text)) if cands else None
    marked = [i for i, b in enumerate(head) if b.role == "date"]
    dates = marked or [i for i, b in enumerate(head) if DATE_LINE.match(b.text)]
    date_i = None
    if title_i is not None:
        after = [i for i in dates if i > title_i]
        before = [i for i in dates if i < title_i and i > 0 and not _looks_like_clock(head[i].text)]
        date_i = after[0] if after else (before[-1] if before else None)
    elif dates:
        ok = [i for i in dates if not _looks_like_clock(head[i].text)]
        date_i = ok[0] if ok else None
    title = head[title_i] if title_i is not None else (doc_title if doc.kind == "html" else None)
    date_block = head[date_i] if date_i is not None else None
    for i, b in enumerate(head):
        if i in (title_i, date_i):
            continue
        if i in dates:
            removed.append((b, "site clock or other date outside the article"))
        elif RELATIVE_DATE.match(b.text):
            removed.append((b, "relative time stamp"))
        elif _is_masthead(b.text) or i < (title_i or 0):
            removed.append((b, "masthead or section label"))
        else:
            removed.append((b, "header line"))
    body = blocks[first_para:]
    return title, date_block, body


def _looks_like_clock(text: str) -> bool:
    """A site clock: time with seconds, or a bracketed time zone."""
    return bool(re.search(r"\d{1,2}:\d{2}:\d{2}|\[GMT", text))
