"""Read stage: article files (bytes) → normalised text with the detected encoding, or a rejection.

Accepts ``.txt``, ``.html`` and ``.htm`` files in UTF-8 (with or without BOM), UTF-16 with BOM,
Windows-1258 and, through ``charset-normalizer``, other single-byte encodings. Text that is UTF-8
mis-decoded as Latin-1 and saved again (mojibake) is detected with ``ftfy``; it is rejected unless
``repair_mojibake`` is set, in which case ``ftfy`` repairs it. Every failure is a
:class:`Rejected` with a short ``reason`` code and a sentence for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .text import normalize

__all__ = ["ARTICLE_SUFFIXES", "MAX_BYTES", "Document", "Rejected", "decode", "document_from_bytes", "read_file"]

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")
MAX_BYTES = 2 * 1024 * 1024  # a saved news page is well under this; bigger files are not articles
MAX_LINE = 60_000  # characters in one line of a .txt article; longer means no article structure

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (e.g. .docx)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
}
# letters that only Vietnamese uses among Latin scripts (in NFC, lower case)
_VI_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_ACCENTED = re.compile(r"[àáãèéìíòóõùúýăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")
_MOJIBAKE = re.compile(r"(?:Ã[\x80-\xbf¡-¿]|á[º»][\x80-\xbf¡-¿]|Ä[\x80-\xbf]|Æ[°¡])")


class Rejected(Exception):
    """A file that cannot become an article: ``reason`` is a short code, ``detail`` a sentence."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Document:
    """A decoded article file.

    ``text`` is the whole file decoded and normalised (:func:`borderstats.text.normalize`); all
    character offsets in later stages refer to it.
    """

    source: str
    kind: str  # "txt" | "html"
    encoding: str
    text: str
    n_bytes: int


def _vietnamese_share(text: str) -> float:
    letters = sum(c.isalpha() for c in text[:20000])
    return len(_VI_LETTERS.findall(text[:20000].lower())) / letters if letters else 0.0


def decode(data: bytes, *, repair_mojibake: bool = False) -> tuple[str, str]:
    """Decode article bytes to normalised text; return ``(text, encoding)`` or raise :class:`Rejected`.

    Examples
    --------
    >>> decode("Ho\u0300a bi\u0300nh".encode("cp1258"))  # Windows-1258 stores tones as combining marks
    ('Hòa bình', 'cp1258')
    >>> decode("\\ufeffLào Cai".encode("utf-8"))
    ('Lào Cai', 'utf-8-sig')
    """
    if not data:
        raise Rejected("empty", "The file is empty (0 bytes).")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise Rejected("binary", f"The file is {what}, not a text article.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, enc = data.decode("utf-16"), "utf-16"
    elif b"\x00" in data[:4096]:
        raise Rejected("binary", "The file contains NUL bytes: it is binary data, not a text article.")
    elif data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = _decode_legacy(data)
    if enc.startswith("utf") and _MOJIBAKE.search(text[:20000]):
        import ftfy

        fixed = ftfy.fix_encoding(text)
        if fixed != text and _vietnamese_share(normalize(fixed)) > 0.05:
            if not repair_mojibake:
                raise Rejected(
                    "mojibake",
                    "The text is UTF-8 that was once decoded as Latin-1 and saved again (mojibake, e.g. "
                    "'Ã\\xa0' for 'à'). ftfy can repair it: rerun with --repair-mojibake to accept it.",
                )
            text, enc = fixed, enc + "+ftfy"
    text = normalize(text)
    if not text.strip():
        raise Rejected("blank", "The file holds only whitespace.")
    return text, enc


def _decode_legacy(data: bytes) -> tuple[str, str]:
    try:
        text = data.decode("cp1258")
        sample = normalize(text[:20000]).lower()
        letters = sum(c.isalpha() for c in sample) or 1
        if len(_ACCENTED.findall(sample)) / letters > 0.03:
            return text, "cp1258"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise Rejected("undecodable", "The bytes are not text in any encoding that could be detected.")
    text = data.decode(best.encoding, errors="replace")
    if _vietnamese_share(normalize(text)) < 0.02:
        raise Rejected(
            "undecodable",
            f"The bytes are not valid UTF-8 or Windows-1258; the best guess ({best.encoding}) gives no "
            "Vietnamese text.",
        )
    return text, best.encoding


def read_file(path: str | Path, source: str | None = None, *, repair_mojibake: bool = False) -> Document:
    """Read one article file into a :class:`Document`, or raise :class:`Rejected`.

    Parameters
    ----------
    path
        File to read.
    source
        The name to record for it (by default the path as given).
    repair_mojibake
        Repair UTF-8-read-as-Latin-1 text with ftfy instead of rejecting it.

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = open(p, "wb").write("La\u0300o Cai va\u0300 Vân Nam".encode("cp1258"))
    >>> read_file(p).encoding
    'cp1258'
    """
    path = Path(path)
    source = str(path) if source is None else source
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        raise Rejected("unsupported_type", f"'{suffix or path.name}' files are not articles (.txt, .html, .htm).")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise Rejected(
                "too_large",
                f"The file has {size:,} bytes; an article page is under {MAX_BYTES // 1024 // 1024} MiB.",
            )
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise Rejected("vanished", "The file disappeared before it could be read.") from e
    except OSError as e:
        raise Rejected("unreadable", f"The file could not be read: {e.strerror or e}.") from e
    return document_from_bytes(data, source, suffix, repair_mojibake=repair_mojibake)


def document_from_bytes(data: bytes, source: str, suffix: str, *, repair_mojibake: bool = False) -> Document:
    """Decode one file's bytes into a :class:`Document` (``suffix`` says .txt or .html), or raise
    :class:`Rejected`."""
    text, enc = decode(data, repair_mojibake=repair_mojibake)
    kind = "html" if suffix.lower() in (".html", ".htm") else "txt"
    if kind == "txt" and max(map(len, text.split("\n"))) > MAX_LINE:
        raise Rejected(
            "no_structure",
            f"One line has over {MAX_LINE:,} characters: this is not an article with paragraphs.",
        )
    return Document(source=source, kind=kind, encoding=enc, text=text, n_bytes=len(data))
