"""Split Vietnamese legal texts into parts, chapters, sections, articles (Điều) and clauses (khoản).

Answers cite "Điều 5 khoản 2 Bộ luật Lao động", so the library stores a legal document article by article,
each knowing its clauses and the chapter it sits in. Guides (public-service procedures) have no articles:
``split_guide`` cuts them at heading-like lines into chunks small enough to cite and to embed.

The rules follow how Vietnamese legal documents are drafted (Nghị định 34/2016 and its successors on the form
of legal documents): an article heading is a line that *starts* with "Điều <number>." or "Điều <number>:"
(or is just "Điều <number>", as in the Constitution), clauses are numbered "1.", "2.", ... in order, points
"a)", "b)", "đ)" belong to their clause, and quoted wording in amending laws is text, not structure. Everything
is matched on NFC text, so NFD input (common from Mac and some PDF tools) and "ĐIỀU" in capitals work too.
"""

import re
import textwrap
import unicodedata
from dataclasses import dataclass, field

# An article heading: at line start, "Điều", a number with an optional letter for articles inserted by an
# amendment ("Điều 5a."), then "." or ":", or nothing else on the line (the Constitution writes "Điều 1" alone,
# articles without headings). "Điều này ..." and "Điều 5 của Luật ..." never match: the first has no number, the
# second goes on without "." or ":". "(?!\d)" keeps "Điều 5.2" (a sub-numbering or a decimal) out.
_ARTICLE = re.compile(r"^\s*điều\s+([0-9]+[a-zđ]?)\s*(?:[.:](?!\d)\s*(.*?)\s*)?$", re.IGNORECASE)

# Roman numerals are matched in capitals only: with IGNORECASE "Phần di sản" would read as part "di".
_ROMAN = r"(?-i:[IVXLC]+)"
_UNITS = r"mốt|một|hai|ba|bốn|tư|lăm|năm|sáu|bảy|tám|chín"
_ORDINAL = rf"thứ\s+(?:(?:mười|hai\s+mươi)(?:\s+(?:{_UNITS}))?|nhất|{_UNITS})"
_DIVISION = re.compile(
    rf"^\s*(phần|chương|mục)\s+({_ORDINAL}|{_ROMAN}|[0-9]+)(?!\w)"
    r"(?:\s*[:.\-–—]\s*(?P<titled>.*?)|\s+(?P<bare>.*?))?\s*$",
    re.IGNORECASE,
)
_KINDS = {"phần": "part", "chương": "chapter", "mục": "section"}
_KIND_WORDS = {"part": "Phần", "chapter": "Chương", "section": "Mục"}

# A clause: "1." at line start, not "1.000 đồng" or "2.1." (sub-numbering stays inside its clause).
_CLAUSE = re.compile(r"^\s*([0-9]{1,3})\s*\.(?!\d)\s*(.*?)\s*$")

# The closing formula and the recipients block end the last article: they belong to no article.
_CLOSING = re.compile(
    r"^(?:bộ luật|luật|pháp lệnh|nghị quyết|hiến pháp|nghị định|thông tư|quyết định|văn bản)\s+này\s+"
    r"(?:đã\s+)?được\s.*\bthông qua\b|^nơi nhận\s*:",
    re.IGNORECASE,
)

_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")


@dataclass
class Clause:
    """A khoản: ``number`` as printed ("1"), ``text`` without the "1." label, its points a), b), đ) included."""

    number: str
    text: str


@dataclass
class Article:
    """An Điều. ``text`` is its body without the "Điều N. heading" line; labels name the divisions it sits in.

    ``clauses`` is empty for an article written as one paragraph; text before clause 1 (an introduction such as
    "Trong Bộ luật này, các từ ngữ dưới đây được hiểu như sau:") is in ``text`` only.
    """

    number: str
    heading: str
    text: str
    clauses: list[Clause]
    chapter: str = ""
    section: str = ""
    part: str = ""

    @property
    def label(self) -> str:
        """The heading as it is cited and shown: "Điều 5. Phạm vi điều chỉnh"."""
        return f"Điều {self.number}. {self.heading}" if self.heading else f"Điều {self.number}."


@dataclass
class Division:
    """A Phần ("part"), Chương ("chapter") or Mục ("section"); ``number`` is "II", "2" or "thứ nhất"."""

    kind: str
    number: str
    heading: str

    @property
    def label(self) -> str:
        """The form stored on each article of the division: "Chương II: QUYỀN CON NGƯỜI"."""
        base = f"{_KIND_WORDS[self.kind]} {self.number}"
        return f"{base}: {self.heading}" if self.heading else base


@dataclass
class LegalText:
    """A legal document split for citation.

    ``divisions`` lists every Phần/Chương/Mục in document order, each with the index in ``articles`` of its
    first article (``len(articles)`` when none follows). ``preamble`` is the text before the first article
    (issuing body, number, "Căn cứ ..."), ``epilogue`` the closing formula, signature and recipients after the
    last one. No text is dropped: every line is in one of these or in a division heading.
    """

    preamble: str
    divisions: list[tuple[Division, int]]
    articles: list[Article]
    epilogue: str = ""


@dataclass
class _Draft:
    number: str
    heading: str
    part: str
    chapter: str
    section: str
    lines: list[str] = field(default_factory=list)


def _lines(text: str) -> list[str]:
    """NFC, one kind of line break, single spaces, blank lines dropped (they carry no structure here)."""
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text))
    return [stripped for line in text.split("\n") if (stripped := " ".join(line.split()))]


def _division(line: str) -> tuple[str, str, str] | None:
    """(kind, number, heading) when ``line`` opens a division.

    A heading after no separator must be in capitals ("Chương I NHỮNG QUY ĐỊNH CHUNG"), so that a wrapped
    sentence starting "Chương 2 của Luật này ..." or "Phần kết luận ..." is not taken for one.
    """
    match = _DIVISION.match(line)
    if match is None:
        return None
    bare = match.group("bare")
    if bare and not bare.isupper():
        return None
    number = " ".join(match.group(2).split())
    if number.lower().startswith("thứ"):  # an ordinal ("THỨ NHẤT") is kept as "thứ nhất"
        number = number.lower()
    return _KINDS[match.group(1).lower()], number, (match.group("titled") or bare or "").strip()


def _is_structural(line: str) -> bool:
    return _ARTICLE.match(line) is not None or _division(line) is not None


def _quote_depth(line: str, depth: int) -> int:
    """The quotation depth after ``line``, given the depth before it.

    Amending laws quote the new wording of whole articles ("“Điều 54. ...", "1. ...", "2. ...”"): lines inside
    such a quotation are text of the amending clause, never headings or clauses of their own.
    """
    depth += line.count("“") + line.count("«") - line.count("”") - line.count("»")
    if line.count('"') % 2:  # straight quotes have no direction: an odd count opens or closes
        depth = depth - 1 if depth > 0 and not line.startswith('"') else depth + 1
    return max(depth, 0)


def _clauses(lines: list[str]) -> list[Clause]:
    """Numbered lines in sequence 1, 2, 3 ... outside quotations open clauses; others continue the current one.

    Requiring the sequence keeps a numbered list inside a clause, which starts again at 1, from cutting it in
    two. One missing number is tolerated (a typo in the source: "22." then "24."), not more.
    """
    drafts: list[tuple[str, list[str]]] = []
    depth = previous = 0
    for line in lines:
        match = _CLAUSE.match(line) if depth == 0 else None
        depth = _quote_depth(line, depth)
        if match and previous < int(match.group(1)) <= previous + 2:
            previous = int(match.group(1))
            drafts.append((match.group(1), [match.group(2)] if match.group(2) else []))
        elif drafts:
            drafts[-1][1].append(line)
    return [Clause(number, "\n".join(body)) for number, body in drafts]


def _next_number(number: str) -> str:
    """The number an article following ``number`` would normally have ("5" and "5a" are followed by "6")."""
    digits = re.match(r"[0-9]+", number)
    return str(int(digits.group(0)) + 1) if digits else ""


def _article(draft: _Draft) -> Article:
    return Article(
        number=draft.number,
        heading=draft.heading,
        text="\n".join(draft.lines),
        clauses=_clauses(draft.lines),
        chapter=draft.chapter,
        section=draft.section,
        part=draft.part,
    )


def split_legal(text: str) -> LegalText:
    """Split ``text`` (a law, code, decree, circular ...) into preamble, divisions, articles and epilogue.

    A division title on the line(s) after "Chương II" is joined to it when written in capitals, as drafted.
    Lines between a division heading and the next article (rare) stay with the previous article, or the
    preamble before the first one.
    """
    lines = _lines(text)
    preamble: list[str] = []
    divisions: list[tuple[Division, int]] = []
    articles: list[Article] = []
    labels = {"part": "", "chapter": "", "section": ""}
    draft: _Draft | None = None
    depth = index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        quoted = depth > 0
        article = _ARTICLE.match(line)
        if quoted and not (article and draft and article.group(1) == _next_number(draft.number)):
            # inside a quotation (amended wording) nothing is structure; the heading of the article that
            # would come next ends it anyway, so that one unbalanced quotation mark cannot swallow the rest
            article = None
        depth = _quote_depth(line, 0 if article else depth)
        if article:
            if draft is not None:
                articles.append(_article(draft))
            heading = article.group(2) or ""
            draft = _Draft(article.group(1).lower(), heading, labels["part"], labels["chapter"], labels["section"])
            continue
        if not quoted and (found := _division(line)):
            kind, number, heading = found
            # a bare "Chương II" takes the next line as its title; a title in capitals may go on over
            # a few lines ("QUYỀN CON NGƯỜI, QUYỀN VÀ NGHĨA VỤ" / "CƠ BẢN CỦA CÔNG DÂN")
            title = [heading] if heading else []
            while (
                index < len(lines)
                and len(title) < 3
                and (not title or (all(part.isupper() for part in title) and lines[index].isupper()))
                and not _is_structural(lines[index])
            ):
                title.append(lines[index])
                index += 1
            division = Division(kind, number, " ".join(title))
            if draft is not None:
                articles.append(_article(draft))
                draft = None
            divisions.append((division, len(articles)))
            labels[kind] = division.label
            if kind == "part":
                labels["chapter"] = labels["section"] = ""
            elif kind == "chapter":
                labels["section"] = ""
            continue
        if draft is not None:
            draft.lines.append(line)
        elif articles:
            articles[-1].text = f"{articles[-1].text}\n{line}".lstrip("\n")
            articles[-1].clauses = _clauses(articles[-1].text.split("\n"))
        else:
            preamble.append(line)
    epilogue: list[str] = []
    if draft is not None:
        closing = next((i for i, line in enumerate(draft.lines) if _CLOSING.match(line)), None)
        if closing is not None:
            draft.lines, epilogue = draft.lines[:closing], draft.lines[closing:]
        articles.append(_article(draft))
    return LegalText("\n".join(preamble), divisions, articles, "\n".join(epilogue))


def looks_legal(text: str) -> bool:
    """True when ``text`` has at least two article headings, i.e. ``split_legal`` will find its structure."""
    count = 0
    for line in _lines(text):
        if _ARTICLE.match(line):
            count += 1
            if count >= 2:
                return True
    return False


@dataclass
class GuideSection:
    """A chunk of a guide: the heading it sits under (repeated on every chunk of a long section) and its text."""

    heading: str
    text: str


# Heading-like lines in guides: "1. Trình tự thực hiện", "1.2 ...", "II. HỒ SƠ", "Bước 1: ...", "a) ..." is not.
_NUMBERED = re.compile(
    r"^(?:[0-9]{1,2}(?:\.[0-9]{1,2})*\.|[0-9]{1,2}(?:\.[0-9]{1,2})+|(?-i:[IVXLC]+)\.|bước\s+[0-9]+\s*[:.\-–]?)(?:\s|$)",
    re.IGNORECASE,
)
_MAX_HEADING = 100


def _is_guide_heading(line: str) -> bool:
    """A short line that is numbered, ends with ":" or is in capitals, and does not end a sentence or item.

    Lines ending with ";" or "," are list items; ending with "." they are sentences ("1. Nộp bản sao."),
    unless in capitals. The rule is deliberately narrow: a missed heading only makes a chunk less precise,
    a false one cuts a paragraph from its context.
    """
    if len(line) > _MAX_HEADING or line.endswith((";", ",")):
        return False
    letters = [c for c in line if c.isalpha()]
    if line.isupper() and len(letters) >= 2:
        return True
    if line.endswith("."):
        return False
    return line.endswith(":") or _NUMBERED.match(line) is not None


_ENDS = (".", ";", ":", "!", "?")


def _is_short_title(line: str) -> bool:
    """A few words, capitalised, no final punctuation ("Lệ phí", "Thành phần hồ sơ"): a heading only in context."""
    return len(line) <= 60 and len(line.split()) <= 10 and line[0].isupper() and not line.endswith((*_ENDS, ","))


def _guide_headings(lines: list[str]) -> list[bool]:
    """Which lines are headings: the clear cases, and short titles between a sentence (or heading) and a sentence
    (or heading). A run of short unpunctuated lines is a list, not a series of headings."""
    flags = [_is_guide_heading(line) for line in lines]
    for index, line in enumerate(lines):
        if not flags[index] and _is_short_title(line) and index + 1 < len(lines):
            before = index == 0 or flags[index - 1] or lines[index - 1].endswith(_ENDS)
            flags[index] = before and (flags[index + 1] or lines[index + 1].endswith(_ENDS))
    return flags


def _pack(units: list[str], max_chars: int, separator: str) -> list[str]:
    """Greedily join ``units`` (each at most ``max_chars``) into chunks of at most ``max_chars``."""
    chunks: list[str] = []
    for unit in units:
        if chunks and len(chunks[-1]) + len(separator) + len(unit) <= max_chars:
            chunks[-1] = f"{chunks[-1]}{separator}{unit}"
        else:
            chunks.append(unit)
    return chunks


def _chunks(paragraphs: list[str], max_chars: int) -> list[str]:
    """Paragraphs packed into chunks; one too long for a chunk is cut at sentence ends, then between words."""
    units: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) <= max_chars:
            units.append(paragraph)
            continue
        sentences = re.split(r"(?<=[.;!?])\s+", paragraph)
        pieces = [piece for sentence in sentences for piece in textwrap.wrap(sentence, max_chars)]
        units.extend(_pack(pieces, max_chars, " "))
    return _pack(units, max_chars, "\n\n")


def split_guide(text: str, max_chars: int = 1200) -> list[GuideSection]:
    """Split a non-legal text into sections at heading-like lines, and long sections into chunks.

    Every chunk's ``text`` is at most ``max_chars`` characters (the heading is not counted: it is stored
    apart and repeated on each chunk so that a chunk read alone still says what it is about). Paragraphs are
    the lines of the text (a blank line is only a separator); a paragraph is cut only when it alone is too
    long. A heading directly followed by another ("1. Trình tự thực hiện" then "Bước 1:") is kept as a
    prefix of the next one, "1. Trình tự thực hiện / Bước 1:", so no heading is lost. Text before the first
    heading has the heading "". No section has an empty ``text``.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    sections: list[tuple[str, list[str]]] = [("", [])]
    lines = _lines(text)
    for line, is_heading in zip(lines, _guide_headings(lines), strict=True):
        if is_heading:
            heading, body = sections[-1]
            if heading and not body and len(heading) + len(line) < 2 * _MAX_HEADING:
                sections[-1] = (f"{heading} / {line}", [])
            else:
                sections.append((line, []))
        else:
            sections[-1][1].append(line)
    result: list[GuideSection] = []
    for heading, body in sections:
        if not body:
            if heading:  # a heading with nothing under it is still content ("Lệ phí: miễn phí"): its own text
                result.append(GuideSection(heading, heading))
            continue
        result.extend(GuideSection(heading, chunk) for chunk in _chunks(body, max_chars))
    return result
