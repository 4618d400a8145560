"""Checking and cleaning the photos and PDFs that citizens attach to feedback.

Nothing the client says about a file is believed: the type comes from the bytes (magic numbers, then a
successful decode), and the stored name is generated. Photos are decoded and *re-encoded* so that no
metadata survives (a phone photo's EXIF carries the GPS position of the sender's home, the phone model
and the time: a denouncer must not be identifiable by the file they sent). PDFs are kept byte for byte
once pypdf has opened them and found neither encryption nor active content (scripts, launch actions,
embedded files). See docs/abuse.md.

Every refusal is a :class:`~digitalfront.core.errors.ValidationFailed` on the ``attachments`` field with
a Vietnamese message naming the file and one of these codes: ``file_empty``, ``file_type``,
``file_too_large``, ``total_too_large``, ``too_many_files``, ``image_unreadable``, ``image_too_large``,
``pdf_encrypted``, ``pdf_unreadable``, ``pdf_active_content``.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import unicodedata
import uuid
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from digitalfront.core.errors import ValidationFailed

FIELD = "attachments"
MB = 1024 * 1024
ORIGINAL_NAME_MAX = 120
CHUNK = 64 * 1024
JPEG_QUALITY = 85

IMAGE = "image"
PDF = "pdf"

# Magic numbers of what may be attached, and of what phones commonly produce but cannot be decoded here.
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PDF_MAGIC = b"%PDF-"
# ISO base media ("ftyp" box) brands of HEIF/HEIC (iPhones' default) and AVIF: Pillow has no HEIF decoder
# without the pillow-heif plugin, and AVIF is not on the list of formats staff can open everywhere.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

# PDF names that make a viewer run something or carry another file inside (keys or name values).
_PDF_ACTIVE_KEYS = {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"}
_PDF_ACTIVE_NAMES = {"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia", "/RichMediaExecute"}
# The walk over a PDF's object graph stops here: a file that needs more is refused rather than letting
# one upload hold a worker for minutes.
_PDF_MAX_NODES = 200_000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class CleanFile:
    """An accepted attachment, ready to be stored under ``name``."""

    name: str  # generated: random hex and the extension of ``content_type``; never the client's name
    original_name: str  # the client's name, cleaned (for display only)
    content: bytes
    content_type: str  # "image/jpeg" | "image/png" | "image/webp" | "application/pdf"
    size: int
    sha256: str
    kind: str  # "image" | "pdf"
    width: int | None
    height: int | None


# --- settings ------------------------------------------------------------------------------------------


def max_bytes() -> int:
    """Largest accepted file, in bytes (``DIGITALFRONT_ATTACHMENT_MAX_BYTES``, default 10 MB)."""
    return int(getattr(settings, "DIGITALFRONT_ATTACHMENT_MAX_BYTES", 10 * MB))


def max_files() -> int:
    """Most files in one submission (``DIGITALFRONT_ATTACHMENT_MAX_FILES``, default 5)."""
    return int(getattr(settings, "DIGITALFRONT_ATTACHMENT_MAX_FILES", 5))


def max_total_bytes() -> int:
    """Largest total of one submission (``DIGITALFRONT_ATTACHMENT_MAX_TOTAL_BYTES``, default 25 MB)."""
    return int(getattr(settings, "DIGITALFRONT_ATTACHMENT_MAX_TOTAL_BYTES", 25 * MB))


def image_max_side() -> int:
    """Longer side of a stored photo, in pixels (``DIGITALFRONT_IMAGE_MAX_SIDE``, default 2560)."""
    return int(getattr(settings, "DIGITALFRONT_IMAGE_MAX_SIDE", 2560))


def image_max_pixels() -> int:
    """Most pixels ever decoded into memory for one image (``DIGITALFRONT_IMAGE_MAX_PIXELS``, default 25 M,
    i.e. 100 MB as RGBA). JPEG photos are decoded at 1/2, 1/4 or 1/8 scale when that still leaves more
    than ``image_max_side()``, so a 108 MP phone photo fits; a PNG or WebP is decoded at full size."""
    return int(getattr(settings, "DIGITALFRONT_IMAGE_MAX_PIXELS", 25_000_000))


def _mb(n: int) -> str:
    value = n / MB
    return f"{value:g} MB" if value >= 1 else f"{math.ceil(n / 1024)} KB"


# --- public API ----------------------------------------------------------------------------------------


def clean_original_name(name: Any) -> str:
    """The client's file name made safe to show and store: NFC, no directory part (``C:\\fakepath\\``,
    ``../``), no control or bidirectional-override characters (they disguise ``gpj.exe`` as ``exe.jpg``),
    at most 120 characters keeping the extension. ``"tệp"`` when nothing is left."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    # Whitespace (tabs, line breaks) becomes one space before the other control characters go.
    text = _CONTROL.sub("", _SPACES.sub(" ", text)).strip(" .")
    if not text:
        return "tệp"
    if len(text) > ORIGINAL_NAME_MAX:
        stem, dot, ext = text.rpartition(".")
        if dot and stem and 0 < len(ext) <= 10:
            text = stem[: ORIGINAL_NAME_MAX - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:ORIGINAL_NAME_MAX].rstrip(" .")
    return text


def clean_upload(upload: Any) -> CleanFile:
    """Check and clean one uploaded file (a Django ``UploadedFile`` or anything with ``name``, ``size``
    and ``chunks()`` or ``read()``). Raises ``ValidationFailed`` when it is refused."""
    return _clean(upload, budget=None)[0]


def clean_uploads(uploads: Iterable[Any]) -> list[CleanFile]:
    """Check and clean all the files of one submission: at most ``max_files()`` of them and at most
    ``max_total_bytes()`` together (counted on what the client sent, before re-encoding). The first
    refusal is raised; nothing is returned partially."""
    items = [u for u in uploads if u is not None]
    if len(items) > max_files():
        raise ValidationFailed(f"Chỉ được gửi tối đa {max_files()} tệp.", field=FIELD, code="too_many_files")
    total = max_total_bytes()
    # Declared sizes first: refusals that need no reading at all (one file too large says which one).
    declared = [_declared_size(u) for u in items]
    for upload, size in zip(items, declared, strict=True):
        if size is not None and size > max_bytes():
            raise _too_large(clean_original_name(getattr(upload, "name", "")))
    if sum(s for s in declared if s is not None) > total:
        raise _total_too_large(total)
    cleaned: list[CleanFile] = []
    used = 0
    for upload in items:
        result, raw_size = _clean(upload, budget=total - used)
        used += raw_size
        cleaned.append(result)
    return cleaned


# --- reading -------------------------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


def _declared_size(upload: Any) -> int | None:
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) and size >= 0 else None


def _chunks(upload: Any) -> Iterator[bytes]:
    if hasattr(upload, "chunks"):
        yield from upload.chunks()
        return
    while chunk := upload.read(CHUNK):
        yield chunk


def _read_at_most(upload: Any, limit: int) -> bytes:
    """The upload's bytes, or ``_TooLarge`` as soon as more than ``limit`` came in: a 2 GB upload is
    never held in memory, and a client that lies about its size is caught while reading."""
    declared = _declared_size(upload)
    if declared is not None and declared > limit:
        raise _TooLarge
    buffer = bytearray()
    for chunk in _chunks(upload):
        buffer += chunk
        if len(buffer) > limit:
            raise _TooLarge
    return bytes(buffer)


def _total_too_large(total: int) -> ValidationFailed:
    return ValidationFailed(
        f"Tổng dung lượng các tệp gửi kèm vượt quá {_mb(total)}.", field=FIELD, code="total_too_large"
    )


def _too_large(shown: str) -> ValidationFailed:
    return ValidationFailed(f"Tệp “{shown}” lớn hơn {_mb(max_bytes())}.", field=FIELD, code="file_too_large")


def _clean(upload: Any, *, budget: int | None) -> tuple[CleanFile, int]:
    """The cleaned file and the number of bytes the client sent for it. ``budget``: what is left of the
    submission's total (None for a single file)."""
    shown = clean_original_name(getattr(upload, "name", ""))
    per_file = max_bytes()
    limit = per_file if budget is None else min(per_file, max(budget, 0))
    try:
        data = _read_at_most(upload, limit)
    except _TooLarge:
        if budget is not None and budget < per_file:
            declared = _declared_size(upload)
            if declared is None or declared <= per_file:
                raise _total_too_large(max_total_bytes()) from None
        raise _too_large(shown) from None
    if not data:
        raise ValidationFailed(f"Tệp “{shown}” trống (0 byte).", field=FIELD, code="file_empty")

    if data.startswith(_PDF_MAGIC):
        result = _clean_pdf(data, shown)
    elif data.startswith(_JPEG_MAGIC):
        result = _clean_image(data, shown, "JPEG")
    elif data.startswith(_PNG_MAGIC):
        result = _clean_image(data, shown, "PNG")
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        result = _clean_image(data, shown, "WEBP")
    elif data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise ValidationFailed(
            f"Tệp “{shown}” là ảnh HEIC/HEIF (định dạng mặc định của iPhone), hệ thống chưa đọc được. "
            "Hãy gửi ảnh JPEG (trên iPhone: Cài đặt > Camera > Định dạng > Tương thích nhất).",
            field=FIELD,
            code="file_type",
        )
    else:
        # AVIF, GIF, BMP, archives, executables, HTML, ...: whatever the extension says.
        raise ValidationFailed(
            f"Tệp “{shown}” không phải ảnh (JPEG, PNG, WebP) hoặc PDF.", field=FIELD, code="file_type"
        )
    return result, len(data)


def _finish(content: bytes, shown: str, content_type: str, kind: str, size: tuple[int, int] | None) -> CleanFile:
    extension = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf"}
    return CleanFile(
        name=f"{uuid.uuid4().hex}.{extension[content_type]}",
        original_name=shown,
        content=content,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        kind=kind,
        width=size[0] if size else None,
        height=size[1] if size else None,
    )


# --- images --------------------------------------------------------------------------------------------


def _unreadable_image(shown: str) -> ValidationFailed:
    return ValidationFailed(
        f"Không đọc được ảnh “{shown}” (tệp hỏng hoặc chưa tải lên hết). Hãy chụp hoặc chọn lại ảnh.",
        field=FIELD,
        code="image_unreadable",
    )


def _too_many_pixels(shown: str) -> ValidationFailed:
    return ValidationFailed(
        f"Ảnh “{shown}” có kích thước điểm ảnh quá lớn. Hãy gửi ảnh nhỏ hơn (ví dụ ảnh chụp màn hình "
        "hoặc ảnh chụp ở chế độ thường).",
        field=FIELD,
        code="image_too_large",
    )


def _clean_image(data: bytes, shown: str, fmt: str) -> CleanFile:
    side = image_max_side()
    cap = image_max_pixels()
    try:
        # Pillow warns above MAX_IMAGE_PIXELS (89 M) and refuses above twice that. The explicit cap below
        # is what protects memory (it is checked after JPEG's scaled decoding), so the warning is silenced
        # here rather than turned into a refusal of a phone's 108 MP photo, which decodes at 1/4 scale.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[fmt])
            if fmt == "JPEG":
                width, height = opened.size
                ratio = side / max(width, height)
                if ratio < 1:
                    # libjpeg decodes at 1/2, 1/4 or 1/8 scale for almost nothing: memory and time shrink
                    # with the square of the factor, and the longer side stays >= ``side``.
                    opened.draft(None, (max(1, math.ceil(width * ratio)), max(1, math.ceil(height * ratio))))
            if opened.width * opened.height > cap:
                raise _too_many_pixels(shown)
            opened.seek(0)  # animated PNG/WebP: the first frame only
            opened.load()
    except Image.DecompressionBombError:
        raise _too_many_pixels(shown) from None
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError):
        # A truncated or corrupt file (Pillow refuses truncated images by default), or one whose magic
        # number lies about what follows.
        raise _unreadable_image(shown) from None

    image: Image.Image = _oriented(opened)
    image = _to_srgb(image)
    has_alpha = _has_visible_alpha(image)
    # Photos become JPEG (WebP too: every staff computer opens JPEG). PNG stays PNG (screenshots and
    # scans are sharper and often smaller so), and so does a WebP with real transparency.
    out_format = "PNG" if fmt == "PNG" or has_alpha else "JPEG"
    image = _normalised_mode(image, out_format, has_alpha)
    if max(image.size) > side:
        image.thumbnail((side, side), Image.Resampling.LANCZOS)

    # A fresh image holds only pixels (and the palette): no EXIF, XMP, ICC, text chunks, comments.
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        palette = image.getpalette()
        if palette is not None:
            clean.putpalette(palette)
    clean.paste(image)
    clean.info = {}

    out = io.BytesIO()
    if out_format == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        content_type = "image/jpeg"
    else:
        clean.save(out, "PNG", optimize=False, compress_level=6)
        content_type = "image/png"
    return _finish(out.getvalue(), shown, content_type, IMAGE, clean.size)


def _oriented(image: Image.Image) -> Image.Image:
    """The image turned as the phone meant it (EXIF orientation). EXIF is attacker-controlled and serves
    only this purpose: a broken block leaves the image as it is rather than refusing the photo."""
    try:
        turned = ImageOps.exif_transpose(image)
    except Exception:  # any parse error of EXIF: keep the pixels unturned
        return image
    return turned if turned is not None else image


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels converted to sRGB when the photo carries another colour profile (iPhones: Display P3), so that
    dropping the profile does not wash colours out. A profile that does not parse is simply dropped."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        out_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, target, outputMode=out_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _has_visible_alpha(image: Image.Image) -> bool:
    if image.mode == "P" and "transparency" in image.info:
        return True
    if image.mode in ("RGBA", "LA", "PA"):
        low, _high = image.getchannel("A").getextrema()
        return isinstance(low, int | float) and low < 255
    return False


def _normalised_mode(image: Image.Image, out_format: str, has_alpha: bool) -> Image.Image:
    if out_format == "JPEG":
        if image.mode in ("RGBA", "LA", "PA", "P"):
            image = image.convert("RGBA")
            background = Image.new("RGB", image.size, (255, 255, 255))
            background.paste(image, mask=image.getchannel("A"))
            return background
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode == "P" and has_alpha:
        return image.convert("RGBA")  # a palette's transparency lives in ``info``, which is dropped
    if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")  # 16-bit, CMYK, ...


# --- PDF -----------------------------------------------------------------------------------------------


def _clean_pdf(data: bytes, shown: str) -> CleanFile:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    unreadable = ValidationFailed(
        f"Không mở được tệp PDF “{shown}” (tệp hỏng hoặc chưa tải lên hết).", field=FIELD, code="pdf_unreadable"
    )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationFailed(
                f"Tệp PDF “{shown}” có mật khẩu, hãy gửi bản không khoá.", field=FIELD, code="pdf_encrypted"
            )
        if len(reader.pages) < 1:
            raise unreadable
        root = reader.trailer["/Root"].get_object()
    except ValidationFailed:
        raise
    except Exception:  # pypdf raises many kinds of errors on hostile input
        raise unreadable from None

    # Walk everything reachable from the catalogue (pages, annotations, names tree, outlines, forms)
    # looking for script, launch and embedded-file entries. pypdf has already decoded #xx escapes in
    # names, so /J#61vaScript is seen as /JavaScript.
    active = ValidationFailed(
        f"Tệp PDF “{shown}” chứa mã chạy tự động hoặc tệp nhúng bên trong, hệ thống không nhận. "
        "Hãy in ra PDF (“Lưu dưới dạng PDF”) rồi gửi lại.",
        field=FIELD,
        code="pdf_active_content",
    )
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    nodes = 0
    try:
        while stack:
            node = stack.pop()
            nodes += 1
            if nodes > _PDF_MAX_NODES:
                raise unreadable
            if isinstance(node, IndirectObject):
                ref = (node.idnum, node.generation)
                if ref in seen:
                    continue
                seen.add(ref)
                stack.append(node.get_object())
            elif isinstance(node, DictionaryObject):  # streams too (their dictionary, not their data)
                for key, value in node.items():
                    if key in _PDF_ACTIVE_KEYS:
                        raise active
                    if isinstance(value, NameObject) and value in _PDF_ACTIVE_NAMES:
                        raise active
                    if key != "/Parent" and isinstance(value, (IndirectObject, DictionaryObject, ArrayObject)):
                        stack.append(value)
            elif isinstance(node, ArrayObject):
                stack.extend(v for v in node if isinstance(v, (IndirectObject, DictionaryObject, ArrayObject)))
    except ValidationFailed:
        raise
    except Exception:  # a dangling or broken object while walking
        raise unreadable from None
    return _finish(data, shown, "application/pdf", PDF, None)
