"""Images from outside (tip photos, guide illustrations): decoded, re-encoded and stored.

Re-encoding keeps only the pixels: EXIF (with the GPS position of a phone photo), XMP, ICC
profiles and comments are all dropped, and anything hidden after the image data is gone.
The image is turned upright first, as the EXIF orientation said, and scaled down to at most
MAX_SIDE pixels. What comes out is always a JPEG (photos) or a PNG (images with transparency).
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from portal.services.files import FileRefused, _size_in_mb, read_at_most, write_new

#: Uploads larger than this many bytes are refused before they are decoded.
MAX_BYTES = 10 * 1024 * 1024
#: The longest side kept; larger images are scaled down.
MAX_SIDE = 2000
#: Refuse images whose pixel count would take too much memory to decode ("decompression bombs").
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


@dataclass
class StoredImage:
    stored_name: str
    mime_type: str
    size: int
    width: int
    height: int


def reencode(data: bytes) -> tuple[bytes, str, int, int]:
    """The image's pixels in a fresh file without metadata: (bytes, media type, width, height).
    Raises FileRefused when the data is not an image this portal accepts."""
    if not data:
        raise FileRefused(_l("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise FileRefused(_l("This file is not a JPEG, PNG, WebP or GIF image."))
                if probe.width * probe.height > MAX_PIXELS:
                    raise FileRefused(_l("The image is too large."))
                probe.seek(0)  # the first frame of an animation
                image = ImageOps.exif_transpose(probe)
                image.load()
    except FileRefused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused(_l("This file is not a JPEG, PNG, WebP or GIF image.")) from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise FileRefused(_l("The image is damaged and cannot be read.")) from None

    image.thumbnail((MAX_SIDE, MAX_SIDE))
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if transparent:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        mime = "image/png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True)
        mime = "image/jpeg"
    return out.getvalue(), mime, image.width, image.height


def store_image(upload, *, folder: Path, max_bytes: int = MAX_BYTES) -> StoredImage:
    """Check an upload (a werkzeug FileStorage), re-encode it and write it to ``folder`` under a
    random name. Raises FileRefused with a message in the user's language."""
    data = read_at_most(upload.stream, max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(_l("The file is larger than %(size)s MB.", size=_size_in_mb(max_bytes)))
    clean, mime, width, height = reencode(data)
    stored_name = write_new(folder, "png" if mime == "image/png" else "jpg", clean)
    return StoredImage(stored_name=stored_name, mime_type=mime, size=len(clean), width=width, height=height)
