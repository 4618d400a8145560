"""Attachments: the type comes from the bytes, photos lose every piece of metadata, PDFs are opened and
checked, sizes are enforced while reading."""

import io
import struct
import unicodedata
import zlib
from fractions import Fraction

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile, TiffImagePlugin
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from digitalfront.core.errors import ValidationFailed
from digitalfront.feedback.attachments import clean_original_name, clean_upload, clean_uploads

MB = 1024 * 1024


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refused(file, code: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        clean_upload(file)
    assert caught.value.code == code, caught.value.message
    assert caught.value.field == "attachments"
    return caught.value


def image_bytes(size=(64, 48), fmt="PNG", color=(200, 30, 30), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def two_colour_jpeg(exif: Image.Exif | None = None, **save) -> bytes:
    """400x200 stored: red on the left half, blue on the right half."""
    image = Image.new("RGB", (400, 200), (220, 0, 0))
    image.paste((0, 0, 220), (200, 0, 400, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif if exif is not None else Image.Exif(), quality=95, **save)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0110] = "SecretModel-X1"  # Model
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)  # GPSInfo IFD
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (
        TiffImagePlugin.IFDRational(Fraction(21, 1)),
        TiffImagePlugin.IFDRational(Fraction(1, 1)),
        TiffImagePlugin.IFDRational(Fraction(4321, 100)),
    )
    gps[3] = "E"
    gps[4] = (
        TiffImagePlugin.IFDRational(Fraction(105, 1)),
        TiffImagePlugin.IFDRational(Fraction(51, 1)),
        TiffImagePlugin.IFDRational(Fraction(1234, 100)),
    )
    gps[27] = "ASCII\0\0\0GPS-SECRET-METHOD"  # GPSProcessingMethod: a string easy to look for
    return exif


# --- photos ----------------------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_and_comment_and_is_turned_upright():
    raw = two_colour_jpeg(
        gps_exif(orientation=6),
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>XMP-SECRET</x:xmpmeta>",
        comment=b"COMMENT-SECRET",
    )
    source = Image.open(io.BytesIO(raw))
    assert source.getexif().get_ifd(0x8825)  # the fixture really carries GPS
    assert b"GPS-SECRET-METHOD" in raw and b"XMP-SECRET" in raw and b"COMMENT-SECRET" in raw

    clean = clean_upload(upload("IMG_0001.jpg", raw))

    assert clean.kind == "image"
    assert clean.content_type == "image/jpeg"
    for secret in (
        b"Exif",
        b"GPS-SECRET-METHOD",
        b"SecretPhoneMaker",
        b"SecretModel-X1",
        b"XMP-SECRET",
        b"COMMENT-SECRET",
        b"http://ns.adobe.com/xap",
    ):
        assert secret not in clean.content
    out = Image.open(io.BytesIO(clean.content))
    assert out.format == "JPEG"
    assert dict(out.getexif()) == {}
    assert not out.getexif().get_ifd(0x8825)
    assert "exif" not in out.info and "xmp" not in out.info and "comment" not in out.info
    # Orientation 6: shown turned 90° clockwise, so the stored left half (red) is now on top.
    assert out.size == (200, 400) == (clean.width, clean.height)
    top, bottom = out.convert("RGB").getpixel((100, 50)), out.convert("RGB").getpixel((100, 350))
    assert top[0] > 180 and top[2] < 60
    assert bottom[2] > 180 and bottom[0] < 60


def test_metadata_free_output_even_without_orientation():
    clean = clean_upload(upload("a.jpg", two_colour_jpeg(gps_exif(orientation=1))))
    out = Image.open(io.BytesIO(clean.content))
    assert out.size == (400, 200)
    assert b"Exif" not in clean.content
    assert b"GPS-SECRET-METHOD" not in clean.content


def test_large_photo_is_downscaled_to_the_longer_side():
    clean = clean_upload(upload("big.jpg", image_bytes((3000, 1000), "JPEG")))
    assert (clean.width, clean.height) == (2560, 853)
    assert Image.open(io.BytesIO(clean.content)).size == (2560, 853)


def test_max_side_comes_from_settings_and_jpeg_is_decoded_scaled(settings):
    settings.DIGITALFRONT_IMAGE_MAX_SIDE = 200
    clean = clean_upload(upload("p.jpg", image_bytes((1600, 1200), "JPEG")))
    assert max(clean.width or 0, clean.height or 0) == 200
    assert Image.open(io.BytesIO(clean.content)).size == (200, 150)


def test_png_named_jpg_is_accepted_as_png():
    raw = image_bytes((30, 20), "PNG", pnginfo=None)
    clean = clean_upload(upload("anh.jpg", raw, "image/jpeg"))
    assert clean.content_type == "image/png"
    assert clean.name.endswith(".png")
    assert clean.original_name == "anh.jpg"
    assert Image.open(io.BytesIO(clean.content)).format == "PNG"


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "PNG-SECRET-AUTHOR")
    info.add_itxt("Location", "PNG-SECRET-PLACE")
    raw = image_bytes((30, 20), "PNG", pnginfo=info)
    assert b"PNG-SECRET-AUTHOR" in raw
    clean = clean_upload(upload("s.png", raw))
    assert b"PNG-SECRET" not in clean.content
    assert Image.open(io.BytesIO(clean.content)).info.get("Author") is None


def test_webp_photo_becomes_jpeg_and_transparent_webp_becomes_png():
    photo = clean_upload(upload("w.webp", image_bytes((50, 40), "WEBP")))
    assert photo.content_type == "image/jpeg"
    sticker = clean_upload(upload("s.webp", image_bytes((50, 40), "WEBP", color=(0, 0, 0, 0), mode="RGBA")))
    assert sticker.content_type == "image/png"
    assert Image.open(io.BytesIO(sticker.content)).mode == "RGBA"


def test_animated_webp_keeps_the_first_frame():
    frames = [Image.new("RGB", (40, 30), c) for c in ((250, 0, 0), (0, 250, 0), (0, 0, 250))]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], duration=100, lossless=True)
    clean = clean_upload(upload("anim.webp", out.getvalue()))
    result = Image.open(io.BytesIO(clean.content))
    assert getattr(result, "n_frames", 1) == 1
    r, g, b = result.convert("RGB").getpixel((20, 15))
    assert r > 200 and g < 50 and b < 50


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
        ("trang.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("nen.jpg", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100),
        ("dong.jpg", image_bytes((10, 10), "GIF")),
        ("anh.jpg", image_bytes((10, 10), "BMP")),
        ("so.jpg", b"just some text that is not an image"),
    ],
)
def test_other_content_is_refused_whatever_its_name(name, content):
    error = refused(upload(name, content), "file_type")
    assert f"“{name}”" in error.message
    assert "JPEG, PNG, WebP" in error.message


def test_heic_is_refused_with_advice_to_send_jpeg():
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    error = refused(upload("IMG_1234.HEIC", heic, "image/heic"), "file_type")
    assert "HEIC" in error.message and "JPEG" in error.message


def test_truncated_and_corrupt_jpeg_are_refused():
    raw = image_bytes((300, 200), "JPEG")
    refused(upload("cut.jpg", raw[: len(raw) // 2]), "image_unreadable")
    refused(upload("junk.jpg", b"\xff\xd8\xff\xe0" + b"\x13" * 500), "image_unreadable")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` but holds almost no data (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def test_decompression_bombs_are_refused_before_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    # Beyond Pillow's own limit (2 x MAX_IMAGE_PIXELS): refused when opened.
    refused(upload("bomb.png", png_header_only(100_000, 100_000)), "image_too_large")
    # Below Pillow's limit but above ours (25 M pixels by default): refused before load().
    refused(upload("bomb2.png", png_header_only(6000, 6000)), "image_too_large")


def test_pixel_cap_comes_from_settings(settings):
    settings.DIGITALFRONT_IMAGE_MAX_PIXELS = 10_000
    refused(upload("a.png", image_bytes((200, 200), "PNG")), "image_too_large")
    assert clean_upload(upload("b.png", image_bytes((100, 100), "PNG"))).width == 100


# --- sizes -----------------------------------------------------------------------------------------------


class CountingUpload:
    """An upload that produces ``total`` bytes in 1 MB chunks and counts how many were taken."""

    def __init__(self, name: str, total: int, declared: int | None, head: bytes = b"\xff\xd8\xff\xe0"):
        self.name = name
        self.size = declared
        self.total = total
        self.head = head
        self.read_bytes = 0

    def chunks(self, chunk_size: int = MB):
        sent = 0
        while sent < self.total:
            n = min(MB, self.total - sent)
            data = (self.head + b"\x00" * n)[:n] if sent == 0 else b"\x00" * n
            sent += n
            self.read_bytes += n
            yield data

    def read(self, n: int = -1) -> bytes:
        raise AssertionError("read everything at once")


def test_oversized_upload_is_refused_without_reading_it_all():
    huge = CountingUpload("phim.jpg", total=2048 * MB, declared=None)  # no declared size: caught while reading
    error = refused(huge, "file_too_large")
    assert error.message == "Tệp “phim.jpg” lớn hơn 10 MB."
    assert huge.read_bytes <= 11 * MB


def test_declared_size_refuses_before_reading_anything():
    huge = CountingUpload("phim.jpg", total=2048 * MB, declared=2048 * MB)
    refused(huge, "file_too_large")
    assert huge.read_bytes == 0


def test_lying_declared_size_is_caught_while_reading(settings):
    settings.DIGITALFRONT_ATTACHMENT_MAX_BYTES = 2 * MB
    liar = CountingUpload("x.jpg", total=50 * MB, declared=1000)
    error = refused(liar, "file_too_large")
    assert "2 MB" in error.message
    assert liar.read_bytes <= 3 * MB


def test_file_at_the_limit_is_accepted(settings):
    raw = image_bytes((20, 20), "PNG")
    settings.DIGITALFRONT_ATTACHMENT_MAX_BYTES = len(raw)
    assert clean_upload(upload("ok.png", raw)).kind == "image"
    settings.DIGITALFRONT_ATTACHMENT_MAX_BYTES = len(raw) - 1
    refused(upload("ok.png", raw), "file_too_large")


def test_empty_file_is_refused():
    refused(upload("rong.jpg", b""), "file_empty")


def test_count_limit():
    files = [upload(f"{i}.png", image_bytes((8, 8), "PNG")) for i in range(6)]
    with pytest.raises(ValidationFailed) as caught:
        clean_uploads(files)
    assert caught.value.code == "too_many_files"
    assert caught.value.message == "Chỉ được gửi tối đa 5 tệp."
    assert len(clean_uploads(files[:5])) == 5


def test_total_limit_from_declared_sizes_reads_nothing(settings):
    settings.DIGITALFRONT_ATTACHMENT_MAX_TOTAL_BYTES = 3 * MB
    settings.DIGITALFRONT_ATTACHMENT_MAX_BYTES = 2 * MB
    # Declared: 1.5 + 1.5 + 1.5 MB > 3 MB, refused before anything is read.
    declared = [CountingUpload(f"{i}.jpg", total=3 * MB // 2, declared=3 * MB // 2) for i in range(3)]
    with pytest.raises(ValidationFailed) as caught:
        clean_uploads(declared)
    assert caught.value.code == "total_too_large"
    assert all(u.read_bytes == 0 for u in declared)


def test_total_limit_counts_received_bytes(settings):
    small = image_bytes((10, 10), "PNG")
    settings.DIGITALFRONT_ATTACHMENT_MAX_TOTAL_BYTES = 2 * len(small) + 10
    assert len(clean_uploads([upload("a.png", small), upload("b.png", small)])) == 2
    files = [SimpleUploadedFile(f"{i}.png", small) for i in range(3)]
    for f in files:
        f.size = None  # a client that declares nothing
    with pytest.raises(ValidationFailed) as caught:
        clean_uploads(files)
    assert caught.value.code == "total_too_large"


# --- names -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("C:\\fakepath\\don khieu nai.pdf", "don khieu nai.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/home/x/a\x00b\x07c.jpg", "abc.jpg"),
        ("anh\u202egpj.exe", "anhgpj.exe"),  # right-to-left override that would show "anhexe.jpg"
        ("  ảnh   chụp\n\tđêm.jpg  ", "ảnh chụp đêm.jpg"),
        (unicodedata.normalize("NFD", "Đơn tố cáo.pdf"), "Đơn tố cáo.pdf"),
        ("", "tệp"),
        ("...", "tệp"),
    ],
)
def test_original_names_are_cleaned(given, expected):
    cleaned = clean_original_name(given)
    assert cleaned == expected
    assert unicodedata.is_normalized("NFC", cleaned)


def test_long_names_keep_their_extension():
    cleaned = clean_original_name("a" * 300 + ".jpeg")
    assert len(cleaned) == 120
    assert cleaned.endswith("a.jpeg")


def test_stored_name_is_generated_and_facts_match_the_content():
    import hashlib

    clean = clean_upload(upload("../../<script>.jpg", image_bytes((20, 10), "JPEG")))
    assert clean.original_name == "<script>.jpg"
    assert clean.name.endswith(".jpg") and len(clean.name) == 36
    assert "script" not in clean.name and "/" not in clean.name
    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    assert clean_upload(upload("x.jpg", image_bytes((20, 10), "JPEG"))).name != clean.name


# --- PDF -------------------------------------------------------------------------------------------------


def pdf_bytes(build=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if build:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_plain_pdf_is_kept_byte_for_byte():
    raw = pdf_bytes()
    clean = clean_upload(upload("don.pdf", raw, "application/pdf"))
    assert clean.kind == "pdf"
    assert clean.content_type == "application/pdf"
    assert clean.content == raw
    assert clean.name.endswith(".pdf")
    assert clean.width is None and clean.height is None


def test_pdf_named_jpg_is_a_pdf():
    assert clean_upload(upload("scan.jpg", pdf_bytes())).content_type == "application/pdf"


def test_encrypted_pdf_is_refused():
    error = refused(
        upload("y.pdf", pdf_bytes(lambda w: w.encrypt(user_password="secret", algorithm="AES-128"))), "pdf_encrypted"
    )
    assert error.message == "Tệp PDF “y.pdf” có mật khẩu, hãy gửi bản không khoá."


def open_action(kind: str):
    def build(writer: PdfWriter) -> None:
        action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
        if kind == "/JavaScript":
            action[NameObject("/JS")] = TextStringObject("app.alert('x')")
        else:
            action[NameObject("/F")] = TextStringObject("cmd.exe")
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)

    return build


def names_javascript(writer: PdfWriter) -> None:
    """A document-level script in the catalogue's names tree (what pypdf's old ``add_js`` wrote)."""
    # The action's /S and /JS would be caught on their own: leave them out so that the names tree's
    # /JavaScript key is what is tested.
    script = DictionaryObject({NameObject("/Type"): NameObject("/Action")})
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("a"), writer._add_object(script)])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


@pytest.mark.parametrize(
    "build",
    [
        open_action("/JavaScript"),
        open_action("/Launch"),
        names_javascript,
        lambda w: w.add_attachment("virus.exe", b"MZ..."),
    ],
    ids=["openaction-js", "openaction-launch", "names-javascript", "embedded-file"],
)
def test_pdf_with_active_content_is_refused(build):
    refused(upload("z.pdf", pdf_bytes(build)), "pdf_active_content")


def test_pdf_with_escaped_javascript_names_is_refused():
    raw = pdf_bytes(open_action("/JavaScript"))
    # "#61" is "a" and "#53" is "S": viewers read /J#61vaScript as /JavaScript and /J#53 as /JS.
    disguised = raw.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in disguised and b"/JS " not in disguised
    refused(upload("z.pdf", disguised), "pdf_active_content")


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.7\n" + b"garbage " * 50, pdf_bytes()[:200], b"%PDF-"],
    ids=["garbage", "truncated", "header-only"],
)
def test_unreadable_pdf_is_refused(content):
    refused(upload("hong.pdf", content, "application/pdf"), "pdf_unreadable")


def test_colour_profiles_are_applied_then_dropped():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for fmt, mode in (("JPEG", "RGB"), ("PNG", "RGBA")):
        raw = image_bytes((20, 20), fmt, color=(100, 150, 200, 120)[: len(mode)], mode=mode, icc_profile=profile)
        assert Image.open(io.BytesIO(raw)).info.get("icc_profile")
        clean = clean_upload(upload(f"c.{fmt.lower()}", raw))
        out = Image.open(io.BytesIO(clean.content))
        assert "icc_profile" not in out.info
        assert b"ICC_PROFILE" not in clean.content and b"iCCP" not in clean.content
        assert out.convert("RGB").getpixel((10, 10))[2] > 150  # colours survive the conversion


def test_a_declared_oversized_file_is_named_before_the_total_is_checked():
    files = [upload("a.png", image_bytes((8, 8), "PNG")), CountingUpload("phim.mp4", total=30 * MB, declared=30 * MB)]
    with pytest.raises(ValidationFailed) as caught:
        clean_uploads(files)
    assert caught.value.code == "file_too_large"
    assert "“phim.mp4”" in caught.value.message
    assert files[1].read_bytes == 0
