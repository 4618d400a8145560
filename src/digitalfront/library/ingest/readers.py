"""Read an uploaded PDF, DOCX, HTML or plain-text file into clean Unicode text.

People upload what they download from government portals: PDFs with or without a text layer, Word files, saved
web pages, text in UTF-8, UTF-16 or the old Windows code page. The content decides the format, not the name (a
"luat.doc" from a portal is often HTML); the name only catches a failed download (a ".pdf" that is an HTML error
page). Every failure is an ``IngestError`` with a Vietnamese message; there are no partial results.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader
from pypdf.errors import LimitReachedError

from digitalfront.core.errors import DomainError

MB = 1024 * 1024
_ACCEPTED = "Hãy tải lên tệp PDF, DOCX (Word), HTML hoặc TXT."


class IngestError(DomainError):
    """An uploaded file that cannot be read as a document; ``code`` says why (``corrupt``, ``encoding`` ...)."""

    status = 400


class IngestTooLarge(IngestError):
    """A file over the size limit, or one that would be over it once unpacked."""

    status = 413


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The text of a document: NFC, ``\\n`` line breaks, no control characters, at most one blank line in a row.

    ``pages`` is known for PDF only; ``title`` is the best guess available (HTML <title>, DOCX core property,
    else the first meaningful line).
    """

    text: str
    format: str
    pages: int | None
    title: str


def _refuse(message: str, code: str) -> IngestError:
    return IngestError(message, field="file", code=code)


def _unsupported(name: str, what: str) -> IngestError:
    message = f"Tệp {name} không phải PDF, DOCX, HTML hay văn bản thuần: {what}. {_ACCEPTED}"
    return _refuse(message, "unsupported_format")


def _no_text(name: str) -> IngestError:
    return _refuse(f"Tệp {name} không có nội dung văn bản.", "empty")


def _corrupt_docx(name: str) -> IngestError:
    return _refuse(f"Không đọc được tệp DOCX {name} (tệp hỏng): hãy mở bằng Word, lưu lại rồi tải lên lại.", "corrupt")


# --- cleaning -------------------------------------------------------------------------------------------------

_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc but tab and line breaks
_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
# C0/C1 controls (tab and newline are handled before), zero-width and direction marks, soft hyphen, BOM
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\xad\u200b\u200e\u200f\u202a-\u202e\u2060\ufeff]")
_MOTTO = re.compile(r"^(?:cộng h(?:òa|oà) xã hội chủ nghĩa việt nam|độc lập\s*[-–]\s*tự do\s*[-–]\s*hạnh phúc)", re.I)


def clean_text(text: str) -> str:
    """NFC (Vietnamese often arrives in NFD), one kind of line break, single spaces, no invisible characters."""
    # invisible characters go before NFC, so that a soft hyphen cannot keep a letter from its tone mark
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", _BREAKS.sub("\n", text)))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _first_line(text: str) -> str:
    """The first line with letters that is not the national motto, cut to 200 characters at a word."""
    for line in text.split("\n"):
        if any(c.isalpha() for c in line) and not _MOTTO.match(line):
            return line if len(line) <= 200 else line[:200].rsplit(" ", 1)[0] + "…"
    return ""


def _has_text(text: str) -> bool:
    return any(c.isalnum() for c in text)


# --- plain text and encodings ---------------------------------------------------------------------------------

# byte order marks and the codecs that read (and drop) them; UTF-32 first: its little-endian BOM starts with UTF-16's
_BOMS: tuple[tuple[bytes, str], ...] = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"))
_BOMS += ((b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_VOWELS = "aăâeêioôơuưy"
_VIETNAMESE = frozenset(
    unicodedata.normalize("NFC", vowel + tone)
    for vowel in _VOWELS + _VOWELS.upper()
    for tone in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
) | {"đ", "Đ"}
_PUNCTUATION = frozenset("“”‘’–—…•·°§«»×€")


def _looks_vietnamese(text: str) -> bool:
    """Whether a cp1258 decoding produced Vietnamese, not the mojibake of TCVN3, VNI or a Western code page.

    cp1258 decodes nearly any byte string, so the decoding alone proves nothing: the text must have
    Vietnamese letters and (almost) no other non-ASCII characters.
    """
    text = unicodedata.normalize("NFC", text)
    letters = sum(1 for c in text if c.isalpha())
    vietnamese = sum(1 for c in text if c in _VIETNAMESE and not c.isascii())
    stray = sum(1 for c in text if not c.isascii() and c not in _VIETNAMESE and c not in _PUNCTUATION)
    return letters > 0 and vietnamese * 50 >= letters and stray * 500 <= len(text)


def _decode(name: str, data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16/32 with a BOM, else Windows-1258 when that clearly gives Vietnamese."""
    wrong = _refuse(
        f"Tệp văn bản {name} không phải UTF-8 (sai bảng mã): hãy lưu lại với bảng mã UTF-8 (Unicode) rồi tải lên "
        "lại. Văn bản gõ bằng bảng mã cũ (TCVN3, VNI) cần chuyển sang Unicode trước, ví dụ bằng Unikey.",
        "encoding",
    )
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data:
        raise _unsupported(name, "nội dung chứa dữ liệu nhị phân")
    for codec in [bom] if bom else ["utf-8", "cp1258"]:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec != "cp1258" or _looks_vietnamese(text):
            return text
    raise wrong


def _is_binary(text: str) -> bool:
    """More than 2% control characters: a binary file that happened to decode."""
    return len(_CONTROLS.findall(text)) * 50 > len(text)


# --- HTML -----------------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|p|div|h[1-6]|table"
    r"|section|article|main|ul|ol|span|br|pre|style|script|link)\b",
    re.IGNORECASE | re.DOTALL,
)
_SKIP = frozenset({"script", "style", "nav", "head", "noscript", "template", "svg", "iframe", "object", "select"})
_HEAD_ONLY = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template", "head", "html"})
_BLOCK = frozenset(
    {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "ul", "ol", "table"}
    | {"header", "footer", "main", "aside", "blockquote", "pre", "dd", "dt", "dl", "hr", "form", "figure", "body"}
)


class _HtmlText(HTMLParser):
    """Collects visible text: block elements become line breaks, cells of a row are joined by " | "."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.heading: list[str] = []
        self._skipping: list[str] = []
        self._in_title = self._in_h1 = self._title_done = False
        self._pre = self._cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._title_done:
            self._in_title = True
            return
        if tag not in _HEAD_ONLY and "head" in self._skipping:
            self._skipping.remove("head")  # a body element closes an unclosed <head>, as browsers do
        if tag in _SKIP:
            self._skipping.append(tag)
        elif self._skipping:
            return
        elif tag in ("td", "th"):
            if self._cells:
                self.parts.append(" | ")
            self._cells += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "tr":
                self._cells = 0
            elif tag == "pre":
                self._pre += 1
            elif tag == "h1" and not self.heading:
                self._in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title, self._title_done = False, True
        elif tag in _SKIP and tag in self._skipping:
            del self._skipping[len(self._skipping) - 1 - self._skipping[::-1].index(tag) :]
        elif tag in _BLOCK and tag not in ("br", "hr") and not self._skipping:  # br, hr: broke on their start tag
            self.parts.append("\n")
            if tag == "pre":
                self._pre = max(self._pre - 1, 0)
            elif tag == "h1":
                self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skipping:
            text = data if self._pre else re.sub(r"\s+", " ", data)
            self.parts.append(text)
            if self._in_h1:
                self.heading.append(text)


def _read_html(name: str, source: str) -> ReadResult:
    parser = _HtmlText()
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError):  # html.parser is lenient; what it still rejects is broken markup
        raise _refuse(f"Không đọc được tệp HTML {name} (tệp hỏng).", "corrupt") from None
    # adjacent block boundaries ("</p><p>") are one line break: blank lines in markup mean nothing
    text = re.sub(r"\n{2,}", "\n", clean_text("".join(parser.parts)))
    if not _has_text(text):
        raise _no_text(name)
    title = " ".join(clean_text("".join(parser.title)).split()) or " ".join("".join(parser.heading).split())
    return ReadResult(text, "html", None, title[:200] or _first_line(text))


# --- PDF ------------------------------------------------------------------------------------------------------

# A line wrapped by the layout: the next line starts in lower case (not a point "a)", "đ)") and this one is long
# and does not end a sentence, an item or a heading. Only then are the two lines joined.
_POINT = re.compile(r"^[a-zđ]{1,4}[).](?:\s|$)")


def _unwrap(text: str) -> str:
    joined: list[str] = []
    for line in text.split("\n"):
        previous = joined[-1] if joined else ""
        wrapped = (
            len(previous) >= 40
            and (previous[-1].isalnum() or previous.endswith(","))
            and line[:1].islower()
            and not _POINT.match(line)
        )
        if wrapped:
            joined[-1] = f"{previous} {line}"
        else:
            joined.append(line)
    return "\n".join(joined)


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unknown or unsupported security handler is as good as a password here
        return False


def _read_pdf(name: str, data: bytes) -> ReadResult:
    """pypdf, page by page. A PDF encrypted with an *empty* user password (only printing or copying restricted,
    common on government sites) opens in any viewer and is read; one that needs a password is refused."""
    corrupt = _refuse(
        f"Không đọc được tệp PDF {name} (tệp hỏng): hãy mở thử bằng trình đọc PDF, lưu lại rồi tải lên lại.",
        "corrupt",
    )
    encrypted = _refuse("Tệp PDF được đặt mật khẩu (mã hóa): hãy gỡ mật khẩu rồi tải lên lại.", "encrypted")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except LimitReachedError:
        raise IngestTooLarge(f"Tệp PDF {name} quá lớn khi giải nén.", field="file", code="too_large") from None
    except Exception:  # pypdf raises a wide, undocumented range of errors on malformed files
        raise corrupt from None
    if not pages:
        raise _no_text(name)
    text = clean_text(_unwrap(clean_text("\n".join(pages))))
    if not _has_text(text):
        raise _refuse(
            f"Tệp PDF {name} không có lớp văn bản (có thể là bản quét hoặc ảnh chụp): cần nhận dạng chữ (OCR), "
            "hệ thống chưa hỗ trợ. Hãy tải lên bản PDF có chữ chọn được hoặc tệp DOCX.",
            "no_text_layer",
        )
    return ReadResult(text, "pdf", len(pages), _first_line(text))


# --- DOCX -----------------------------------------------------------------------------------------------------


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_lines(element: Any, parent: Any) -> list[str]:
    """Paragraphs and table cells under ``element`` in document order, including those inside block content
    controls (w:sdt), which python-docx's own iteration skips and some templates wrap the whole body in."""
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(Paragraph(child, parent).text)
        elif child.tag == f"{_W}sdt" and (content := child.find(f"{_W}sdtContent")) is not None:
            lines.extend(_docx_lines(content, parent))
        elif child.tag == f"{_W}tbl":
            seen: set[object] = set()  # the XML elements themselves: kept alive, their identity is stable
            for row in Table(child, parent).rows:
                for cell in row.cells:  # a merged cell comes back for every grid position it covers
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        lines.extend(_docx_lines(cell._tc, cell))
    return lines


def _read_docx(name: str, data: bytes) -> ReadResult:
    """Paragraphs and table cells in document order (headers, footers and comments are left out)."""
    try:
        document = docx.Document(io.BytesIO(data))
        text = clean_text("\n".join(_docx_lines(document.element.body, document._body)))
        title = clean_text(document.core_properties.title or "")
    except Exception:  # python-docx and lxml raise many kinds of errors on a malformed package
        raise _corrupt_docx(name) from None
    if not _has_text(text):
        raise _no_text(name)
    return ReadResult(text, "docx", None, " ".join(title.split())[:200] or _first_line(text))


# --- format detection -----------------------------------------------------------------------------------------

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "nội dung là ảnh PNG"),
    (b"\xff\xd8\xff", "nội dung là ảnh JPEG"),
    ((b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"\x00\x00\x01\x00"), "nội dung là ảnh GIF, TIFF hoặc biểu tượng"),
    ((b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"), "nội dung là chương trình máy tính (tệp thực thi)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "nội dung là tài liệu Office đời cũ (.doc, .xls): hãy lưu lại dạng .docx"),
    (b"{\\rtf", "nội dung là tài liệu RTF; hãy mở bằng Word và lưu lại dạng .docx"),
    ((b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b"), "nội dung là tệp nén (RAR, 7z, gzip)"),
    ((b"RIFF", b"ID3\x02", b"ID3\x03", b"ID3\x04", b"%!PS"), "nội dung là tệp âm thanh, video hoặc PostScript"),
)
_OTHER_ZIPS = (
    ("xl/workbook.xml", "nội dung là bảng tính Excel (.xlsx)"),
    ("ppt/presentation.xml", "nội dung là trình chiếu PowerPoint (.pptx)"),
    ("mimetype", "nội dung là tài liệu OpenDocument hoặc sách điện tử"),
)


def _sniff_binary(name: str, data: bytes, max_bytes: int) -> str | None:
    """Return "pdf" or "docx" for those, None for what may be text; raise for any other binary format."""
    head = data[:1024].lstrip(b" \t\r\n")
    if head.removeprefix(b"\xef\xbb\xbf").startswith(b"%PDF-"):
        return "pdf"
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except (zipfile.BadZipFile, ValueError):
            if name.lower().endswith(".docx"):
                raise _corrupt_docx(name) from None
            raise _unsupported(name, "nội dung là tệp nén ZIP bị hỏng") from None
        names = {info.filename for info in infos}
        if "word/document.xml" in names:
            # the declared sizes bound what zipfile will inflate: refuse an XML bomb before parsing it
            if sum(info.file_size for info in infos if info.filename.endswith((".xml", ".rels"))) > 8 * max_bytes:
                raise IngestTooLarge(f"Tệp {name} quá lớn khi giải nén.", field="file", code="too_large")
            return "docx"
        default = "nội dung là tệp nén ZIP (không phải DOCX)"
        raise _unsupported(name, next((what for member, what in _OTHER_ZIPS if member in names), default))
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise _unsupported(name, what)
    if data[:2] == b"MZ" and b"\x00" in data[:512]:  # "MZ" alone could start a text; with NUL bytes it is a .exe
        raise _unsupported(name, "nội dung là chương trình máy tính (tệp thực thi)")
    if data[4:8] == b"ftyp":
        raise _unsupported(name, "nội dung là tệp video hoặc ảnh HEIC")
    return None


def read_document(name: str, data: bytes, *, max_bytes: int = 20 * MB) -> ReadResult:
    """Read an uploaded file into text, or raise ``IngestError`` (``IngestTooLarge`` over ``max_bytes``).

    The format comes from the content: ``%PDF-``, a ZIP holding ``word/document.xml``, HTML markup at the
    start, else text. A name ending in .pdf or .docx whose content is text or HTML is refused (a failed
    download saved under the document's name); other mismatches between formats we read are accepted.
    """
    if len(data) > max_bytes:
        raise IngestTooLarge(
            f"Tệp {name} quá lớn ({len(data) / MB:.1f} MB): giới hạn là {max_bytes / MB:g} MB.",
            field="file",
            code="too_large",
        )
    if not data.strip():
        raise _no_text(name)
    kind = _sniff_binary(name, data, max_bytes)
    if kind == "pdf":
        return _read_pdf(name, data)
    if kind == "docx":
        return _read_docx(name, data)
    source = _decode(name, data)
    if _is_binary(source):
        raise _unsupported(name, "nội dung chứa dữ liệu nhị phân")
    kind = "html" if _HTML_START.match(source.lstrip("\ufeff")) else "txt"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("pdf", "docx"):
        shown = "HTML" if kind == "html" else "văn bản thuần"
        raise _refuse(
            f"Tệp {name} có đuôi .{extension} nhưng nội dung là {shown}, không phải {extension.upper()}: có thể tệp "
            "tải về bị lỗi (ví dụ một trang báo lỗi). Hãy tải lại tệp gốc.",
            "format_mismatch",
        )
    if kind == "html":
        return _read_html(name, source)
    text = clean_text(source)
    if not _has_text(text):
        raise _no_text(name)
    return ReadResult(text, "txt", None, _first_line(text))
