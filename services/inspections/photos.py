"""An inspection photo as it is kept: the bytes sniffed (never the file name), decoded with Pillow (pillow-heif for
an iPhone's HEIC), turned upright by its EXIF orientation, at most 1600 px on its long side, and saved as a JPEG
with no metadata at all, so no GPS position or camera serial leaves the shop. A thumbnail for the lists beside it."""

import io
from dataclasses import dataclass

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from services.errors import Invalid, ServiceError

pillow_heif.register_heif_opener()

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
THUMB_SIDE = 320
MAX_PIXELS = 100_000_000  # a 100-megapixel image is no phone photo: a decompression bomb
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


class NotAnImage(ServiceError):
    status_code = 415


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int


def sniff(data: bytes) -> str | None:
    """ "jpeg", "png" or "heic" from the first bytes; None for anything else, whatever it is called."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "heic"
    return None


def _encode(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.info.clear()
    image.save(out, "JPEG", quality=quality, optimize=True, exif=b"")  # no exif, icc, xmp: nothing but pixels
    return out.getvalue()


def process_photo(data: bytes) -> Photo:
    """415 unless the bytes are a JPEG, PNG or HEIC that decodes; 422 for a bomb of pixels."""
    if sniff(data) is None:
        raise NotAnImage("Dit is geen foto: alleen JPEG, PNG of HEIC")
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise Invalid("Foto heeft te veel pixels")
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # a JPEG decodes at 1/2, 1/4 … of its size: far faster
        # Scaled first, then turned (the square bound does not care which way up): the turn moves fewer pixels. From
        # a draft at most twice the size, bilinear (Pillow's is antialiased) looks as LANCZOS does, at half the CPU.
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
        upright = ImageOps.exif_transpose(image)
        clean = upright.convert("RGB")  # a new image: the original's info (exif, xmp, icc) stays behind
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(f"Foto kan niet gelezen worden: {error}") from None
    small = clean.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.BILINEAR)
    return Photo(_encode(clean, 85), _encode(small, 75), clean.width, clean.height)
