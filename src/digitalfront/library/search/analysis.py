"""Vietnamese text analysis for the library search, shared by every backend.

* Everything is NFC; comparison is on the *folded* form (lower case, no diacritics, ``đ`` -> ``d``),
  so "Ủy ban", "uy ban" and "UỶ BAN" match. Folding an NFC Vietnamese letter gives one letter, so
  offsets in the folded text are offsets in the original: highlights line up.
* Terms are syllables; multi-syllable words and phrases are matched as syllable bigrams (and quoted
  phrases as phrases), which needs no word segmenter (segmenters break on text typed without marks).
* Abbreviations and synonyms come from the editable list (:class:`~digitalfront.library.models.Synonym`):
  "UBND" in a query also searches "ủy ban nhân dân", and the other way round.
* Words that only make a sentence a question ("đúng hay sai", "là gì") are dropped from the query.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from digitalfront.core.errors import DomainError
from digitalfront.core.text import fold

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64
_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]+)"')
_D = str.maketrans({"đ": "d", "Đ": "D"})
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(code)
        folded = fold(ch)
        if len(folded) == 1 and folded != ch:
            table[code] = folded
    return table


_FOLD_TABLE = _fold_table()


# Question frames: they say what kind of answer is wanted, not what it is about (folded forms).
QUESTION_PHRASES = (
    "dung hay sai", "dung khong", "co dung khong", "phai khong", "hay khong", "co phai", "la gi",
    "nhu the nao", "the nao", "bao nhieu", "bao gio", "khi nao", "o dau", "tai sao", "vi sao",
    "nao sau day", "sau day", "theo quy dinh", "theo quy dinh cua phap luat", "quy dinh nhu the nao",
    "duoc quy dinh", "cho biet", "xin hoi", "toi muon hoi", "hoi ve",
)
_QUESTION_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, QUESTION_PHRASES), key=len, reverse=True))
                          + r")\b")


class QueryError(DomainError):
    status = 400


def index_form(text: str) -> str:
    """What the embedded index stores: NFC with ``đ`` written ``d`` (FTS5's ``remove_diacritics``
    folds every other mark but not this letter; same length, so offsets still line up)."""
    return unicodedata.normalize("NFC", text).translate(_D)


def syllables(text: str) -> list[str]:
    """Folded syllables (and numbers) of ``text`` (the hot path of indexing: a translation table for
    the Latin letters, the general :func:`fold` for anything else that carries marks)."""
    if text.isascii():
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFC", text).translate(_FOLD_TABLE).lower()
    if not folded.isascii():
        folded = fold(folded)
    return _WORD.findall(folded)


def has_marks(text: str) -> bool:
    """True when ``text`` carries Vietnamese diacritics (then the semantic signal can be trusted: the
    bundled embedding model fails on text typed without them)."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return fold(lowered) != re.sub(r"\s+", " ", lowered).strip()


@dataclass
class ParsedQuery:
    """A query ready for a backend: ``groups`` are alternatives per concept (a syllable, or an
    abbreviation with its expansions), ``bigrams`` the adjacent syllable pairs, ``phrases`` the
    quoted phrases (all folded)."""

    text: str
    terms: list[str] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    marked: bool = False

    @property
    def empty(self) -> bool:
        return not (self.terms or self.phrases or self.expansions)

    def all_terms(self) -> list[str]:
        """Every syllable to highlight."""
        out = list(self.terms)
        for p in self.phrases + self.expansions:
            out.extend(p.split())
        return list(dict.fromkeys(out))


def clean(text: str) -> str:
    """Validate a raw query: NFC, bounded, no control characters. Raises :class:`QueryError`."""
    if text is None:
        raise QueryError("Hãy nhập nội dung cần tìm.")
    if len(text) > MAX_QUERY_CHARS * 4:
        raise QueryError(f"Câu tìm kiếm quá dài (tối đa {MAX_QUERY_CHARS} ký tự).")
    text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text):
        raise QueryError("Câu tìm kiếm chứa ký tự không hợp lệ (sai bảng mã?).")
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QueryError("Hãy nhập nội dung cần tìm.")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Câu tìm kiếm quá dài (tối đa {MAX_QUERY_CHARS} ký tự).")
    return text


def parse(text: str, synonyms: dict[str, list[str]] | None = None) -> ParsedQuery:
    """Turn a user's query into terms. ``synonyms`` maps a folded term (one or more syllables) to
    folded alternatives. Raises :class:`QueryError` for an empty, oversized or malformed query."""
    text = clean(text)
    query = ParsedQuery(text=text, marked=has_marks(text))
    phrases = [" ".join(syllables(p)) for p in _PHRASE.findall(text)]
    query.phrases = [p for p in dict.fromkeys(phrases) if len(p.split()) > 1]
    folded = " ".join(syllables(_PHRASE.sub(" ", text)))
    content = _QUESTION_RE.sub(" | ", folded)
    # bigrams never cross a removed question frame
    for chunk in content.split("|"):
        sy = chunk.split()
        query.terms.extend(sy)
        query.bigrams.extend(f"{a} {b}" for a, b in itertools.pairwise(sy))
    for p in query.phrases:
        query.terms.extend(p.split())
    if not query.terms and folded:
        # a query made only of question words: search them rather than nothing
        query.terms = folded.split()
        query.bigrams = [f"{a} {b}" for a, b in itertools.pairwise(query.terms)]
    if synonyms:
        whole = f" {folded} "
        for term, alternatives in synonyms.items():
            if f" {term} " in whole:
                query.expansions.extend(a for a in alternatives if a != term)
    query.terms = list(dict.fromkeys(query.terms))[:MAX_TERMS]
    query.bigrams = list(dict.fromkeys(query.bigrams))[:MAX_TERMS]
    query.expansions = list(dict.fromkeys(query.expansions))[:16]
    return query


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Character spans of ``text`` whose folded syllables are among ``terms`` (folded)."""
    wanted = set(terms)
    folded = fold_keep_length(text)
    return [(m.start(), m.end()) for m in _WORD.finditer(folded) if m.group() in wanted]


def highlight_words(text: str, terms: list[str]) -> list[str]:
    """The folded words of ``text`` that are among ``terms``."""
    wanted = set(terms)
    return [w for w in _WORD.findall(fold_keep_length(text)) if w in wanted]


def fold_keep_length(text: str) -> str:
    """Fold character by character (Latin letters only), so that the result has the length of
    ``text``: offsets found in it are offsets in ``text``. Stored texts are NFC (the services normalise
    them), where every Vietnamese letter is one character."""
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)
