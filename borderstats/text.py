"""Text normalisation shared by every stage: Unicode form, tone placement, folding and slugs.

Vietnamese text arrives composed (NFC) or decomposed (NFD, which Windows-1258 also produces), and
with the tone mark of ``oa``/``oe``/``uy`` syllables on either vowel (``hoà``/``hòa``,
``thuỷ``/``thủy``). :func:`normalize` maps all of these to one form, so that a gazetteer alias
written once matches every spelling.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["fold", "normalize", "short_hash", "slug", "to_cp1258"]

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# In NFD, an old-style syllable ends "o a <tone>" / "o e <tone>" / "u y <tone>"; the tone moves to
# the first vowel when no consonant follows (hoà → hòa, khoẻ → khỏe, thuỷ → thủy). "qu" + y keeps
# the tone on y (quý), and so does any syllable that goes on (hoàn, thuyền).
_OLD_TONE = re.compile(rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![\w])|(?<![qQ])([uU])([yY])([{_TONES}])(?![\w])")
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def _move_tone(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1) + m.group(3) + m.group(2)
    return m.group(4) + m.group(6) + m.group(5)


def _old_tone_nfc() -> re.Pattern[str]:
    """Old-style syllables in NFC (oà, oé, uỷ…) at a word end: cheap test before the NFD pass."""
    alts = []
    for first, seconds in (("oO", "aAeE"), ("uU", "yY")):
        for f in first:
            for s2 in seconds:
                for tone in _TONES:
                    alts.append(f + unicodedata.normalize("NFC", s2 + tone))
    return re.compile(rf"(?:{'|'.join(sorted(set(alts)))})(?![\w])")


_OLD_TONE_NFC = _old_tone_nfc()


def normalize(text: str) -> str:
    """Return ``text`` in NFC with one tone-placement convention and plain spaces.

    Old-style tone placement on open ``oa``, ``oe`` and ``uy`` syllables is moved to the first
    vowel (the spelling the gazetteer uses); line breaks become ``\\n``; no-break and other
    typographic spaces become plain spaces; zero-width characters and soft hyphens are dropped.
    Lengths may change (NFD input is longer), so offsets refer to the normalised text.

    Examples
    --------
    >>> normalize("Cộng hoà, Uỷ ban, sức khoẻ") == "Cộng hòa, Ủy ban, sức khỏe"
    True
    >>> normalize("quý, hoàn, thuyền") == "quý, hoàn, thuyền"
    True
    >>> normalize(unicodedata.normalize("NFD", "Lào Cai")) == "Lào Cai"
    True
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", _SPACES.sub(" ", text)))
    if not _OLD_TONE_NFC.search(text):
        return text  # no old-style syllable: skip the NFD round trip
    text = _OLD_TONE.sub(_move_tone, unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: diacritics dropped, ``đ`` → ``d``.

    Examples
    --------
    >>> fold("Phổ Nhĩ")
    'pho nhi'
    >>> fold("Điện Biên")
    'dien bien'
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(text: str) -> str:
    """ASCII slug: folded, non-alphanumerics collapsed to single hyphens.

    Examples
    --------
    >>> slug("Ma Lù Thàng")
    'ma-lu-thang'
    >>> slug("Pu'er")
    'puer'
    """
    s = fold(text).replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def short_hash(*parts: str, n: int = 16) -> str:
    """Hex digest (first ``n`` characters of SHA-256) of the parts joined by NUL; stable ids.

    Examples
    --------
    >>> short_hash("a", "b")
    '59b271ae1bbcb1d3'
    """
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:n]


def to_cp1258(text: str, errors: str = "strict") -> bytes:
    """Encode as Vietnamese Windows writes Windows-1258: letters with their shape marks
    (â ă ê ô ơ ư đ) precomposed, tone marks as combining characters. For test fixtures and the
    benchmark corpus.

    Examples
    --------
    >>> to_cp1258("Hòa").decode("cp1258") == unicodedata.normalize("NFD", "Hòa")
    True
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = [m for m in marks if m in "\u0302\u0306\u031b"]
        tone = [m for m in marks if m not in shape]
        out.append((unicodedata.normalize("NFC", base + "".join(shape)) + "".join(tone)).encode("cp1258", errors))
    return b"".join(out)
