"""Text helpers for Vietnamese: folding for diacritic-insensitive search and matching."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """'Tạp hóa Minh Ánh, 12 Lê Lợi' -> 'tap hoa minh anh 12 le loi'.

    Accents and tone marks go, đ becomes d, case and punctuation are ignored."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", bare.lower()).strip()


def normalise_link(url: str | None) -> str | None:
    """A shop or website link in one form, so the same shop matches however it was typed:
    no scheme, no 'www.' or 'm.', lower-case host, no query or trailing slash."""
    if not url or not url.strip():
        return None
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[FF]/…": brackets that hold no IP address: not a link at all
        return None
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    return f"{host}{path}" if host else None
