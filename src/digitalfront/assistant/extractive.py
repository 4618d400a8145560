"""The answer without a language model: the sentences of the best sources that answer the question,
quoted, each with its citation.

A source's text is cut into sentences and clauses; each is scored by the question's content syllables
it contains, weighted by how rare they are among the candidate sentences, and by the adjacent pairs it
shares with the question. The first source gives its best one or two sentences, the next ones a sentence
each when it is close enough; they are quoted verbatim, in the source's order, marked ``[n]``.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from digitalfront.library.search.analysis import syllables

from .retrieval import Retrieval, Source, content_words

CITED = 3
SENTENCE_CHARS = 600
# inside one line: a new sentence after ". " (or "; ") when the next word starts with a capital or a number
# (not after an enumerator: "1. Không ..." stays whole)
_SPLIT = re.compile(r"(?<=[^\d\s][.;])\s+(?=(?:\d{1,2}\.|[a-zđ]\)|[A-ZĐÀ-Ỹ]))")
_CLAUSE = re.compile(r"^\d{1,2}\.\s")
_ITEM = re.compile(r"^(?:[a-zđ]\)|[-–•+]\s|\d{1,2}\.\d+\.?\s)")


@dataclass
class Draft:
    text: str
    cited: list[Source] = field(default_factory=list)
    excerpts: list[str] = field(default_factory=list)


def sentences(text: str) -> list[str]:
    """The text's sentences and clauses; a clause that introduces a list ("... bao gồm:") keeps its
    items ("a) ...", "- ..."), within ``SENTENCE_CHARS``."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        block = lines[i]
        i += 1
        if block.endswith(":"):
            # the items of the list: points "a)", dashes, and numbered clauses when the line introducing
            # them is not itself a numbered clause
            def is_item(line: str, intro: str = block) -> bool:
                return bool(_ITEM.match(line) or (_CLAUSE.match(line) and not _CLAUSE.match(intro)))

            while i < len(lines) and is_item(lines[i]):
                if len(block) + len(lines[i]) > SENTENCE_CHARS:
                    block += " …"
                    while i < len(lines) and is_item(lines[i]):
                        i += 1
                    break
                block += "\n" + lines[i]
                i += 1
        blocks.extend(_SPLIT.split(block) if "\n" not in block else [block])
    out = []
    for part in blocks:
        part = part.strip()
        if len(part) < 8:
            continue
        if len(part) > SENTENCE_CHARS + 40:
            part = part[:SENTENCE_CHARS].rsplit(" ", 1)[0] + " …"
        out.append(part)
    return out


def _pairs(words: list[str]) -> set[str]:
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


def best_sentences(source: Source, terms: list[str], count: int) -> list[tuple[float, int, str]]:
    """The ``count`` best (score, position, sentence) of ``source``, by score."""
    items = sentences(source.text) or [source.text.strip()]
    wanted = set(terms)
    wanted_pairs = _pairs(terms)
    bags = [syllables(s) for s in items]
    df: dict[str, int] = {}
    for bag in bags:
        for t in set(bag) & wanted:
            df[t] = df.get(t, 0) + 1
    n = len(items)
    scored = []
    for i, (sentence, bag) in enumerate(zip(items, bags, strict=True)):
        present = set(bag) & wanted
        score = sum(math.log(1 + n / df[t]) for t in present)
        score += 0.5 * len(_pairs(content_words(sentence)) & wanted_pairs)
        scored.append((score / math.sqrt(max(8, len(bag)) / 8), i, sentence))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return scored[:count]


def compose(retrieval: Retrieval) -> Draft:
    """The extractive answer for a supported question (see :func:`abstain` otherwise)."""
    if retrieval.curated is not None:
        src = retrieval.curated
        answer = src.text.split("\n", 1)[1] if "\n" in src.text else src.text
        return Draft(text=f"{answer.strip()} [1]", cited=[src], excerpts=[answer.strip()])
    # the first three, in the retriever's order: the library's ranking is what is measured
    cited = retrieval.sources[:CITED]
    lines = []
    excerpts = []
    for n, src in enumerate(cited, start=1):
        chosen = best_sentences(src, retrieval.terms, 2 if n == 1 else 1)
        if n == 1 and len(chosen) == 2 and (len(chosen[0][2]) > SENTENCE_CHARS // 2 or chosen[1][0] < chosen[0][0] / 2):
            chosen = chosen[:1]
        if n > 1 and chosen and chosen[0][0] <= 0:
            chosen = []
        quote = " ".join(s for _, _, s in sorted(chosen, key=lambda x: x[1]))
        excerpts.append(quote)
        where = src.citation
        if not quote:
            lines.append(f"Xem thêm {where} [{n}].")
        elif n == 1:
            lines.append(f"Theo {where} [{n}]:\n«{quote}»")
        else:
            lines.append(f"Liên quan, {where} [{n}]:\n«{quote}»")
        if src.repealed:
            lines[-1] += f" (Lưu ý: văn bản này {src.status_label.lower()}.)"
    return Draft(text="\n\n".join(lines), cited=cited, excerpts=excerpts)


def abstain(retrieval: Retrieval) -> str:
    if not retrieval.sources:
        return ("Tôi chưa tìm thấy nội dung nào trong thư viện và kho kiến thức nghiệp vụ liên quan đến câu "
                "hỏi này, nên không thể trả lời. Hãy diễn đạt lại câu hỏi với từ ngữ cụ thể hơn.")
    return ("Tôi chưa tìm thấy căn cứ đủ rõ trong thư viện và kho kiến thức nghiệp vụ để trả lời câu hỏi "
            "này, nên không trả lời để tránh sai lệch. Dưới đây là các nguồn gần nhất để bạn tham khảo.")
