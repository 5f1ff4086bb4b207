"""Storing uploaded documents safely (OWASP ASVS 5.0, V5 File handling).

The kind of a file is decided by its content, never by the name or the type the browser
declares; the file is kept under a random name the server chooses, outside the web root, and
the name the user gave is kept only as metadata for the download.
"""
from __future__ import annotations

import io
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import send_file
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

#: Extension -> the media type the file is served with.
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}

#: A DOCX is a ZIP archive: refuse archives that would be dangerous to open (zip bombs).
MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024

MAX_NAME_LENGTH = 200

STORED_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|docx|jpg|jpeg|png)")

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"


class FileRefused(Exception):
    """The upload was refused; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    mime_type: str
    size: int


def _kind(ext: str) -> str:
    """jpg and jpeg are one kind of file."""
    return "jpg" if ext == "jpeg" else ext


def sniff(head: bytes, stream) -> str | None:
    """The real kind of a file ("pdf", "docx", "jpg" or "png") from its content, or None.

    ``head`` is the start of the file; ``stream`` is a seekable binary stream over the whole
    file, needed only to look inside a ZIP archive (its directory is read, nothing is extracted).
    """
    if head.startswith(_PDF):
        return "pdf"
    if head.startswith(_PNG):
        return "png"
    if head.startswith(_JPEG):
        return "jpg"
    if head.startswith(_ZIP):
        return "docx" if _is_docx(stream) else None
    return None


def _is_docx(stream) -> bool:
    names = zip_names(stream)
    return names is not None and "word/document.xml" in names and "[Content_Types].xml" in names


def zip_names(stream) -> set[str] | None:
    """The names in a ZIP archive (DOCX and XLSX files are ZIP archives), or None when it is not
    one or is one that would be dangerous to open (a zip bomb). Only the archive's directory is
    read, nothing is extracted; the stream is left at its start."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED:
                return None
            return {entry.filename for entry in entries}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    finally:
        stream.seek(0)


def clean_name(raw: str | None) -> str:
    """The name the user gave, fit to keep as metadata: no folders, no control characters
    (nor invisible format characters such as right-to-left overrides), at most 200 characters.
    Vietnamese letters are kept (and composed, NFC); "" when nothing printable remains."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
    name = name.strip().rstrip(". ").strip()
    if name in {"", ".", ".."}:
        return ""
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) < 16:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def read_at_most(stream, limit: int) -> bytes:
    """Up to ``limit`` bytes from the start of the stream, never more (short reads are retried)."""
    if getattr(stream, "seekable", None) and stream.seekable():
        stream.seek(0)
    chunks, remaining = [], limit
    while remaining > 0:
        chunk = stream.read(min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _size_in_mb(max_bytes: int) -> str:
    return f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0")


def store(upload, *, kinds: set[str], max_bytes: int, folder: Path) -> StoredFile:
    """Check an upload (a werkzeug FileStorage) and write it to ``folder`` under a random name.

    ``kinds`` are the extensions accepted here (keys of ALLOWED). Raises FileRefused.
    """
    unknown = set(kinds) - ALLOWED.keys()
    if unknown:
        raise ValueError(f"unknown kinds of file: {sorted(unknown)}")
    accepted = {_kind(k) for k in kinds}

    data = read_at_most(upload.stream, max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(_l("The file is larger than %(size)s MB.", size=_size_in_mb(max_bytes)))
    if not data:
        raise FileRefused(_l("The file is empty."))

    original_name = clean_name(upload.filename)
    ext = _extension(original_name)
    if ext not in ALLOWED or _kind(ext) not in accepted:
        endings = ", ".join(f".{k}" for k in ("pdf", "docx", "jpg", "png") if k in accepted)
        raise FileRefused(_l("The file name must end in one of: %(endings)s.", endings=endings))
    if not original_name.rpartition(".")[0].strip(" ."):
        # Nothing printable before the extension: fall back to a plain ASCII name.
        fallback = secure_filename(upload.filename or "")
        original_name = fallback if _extension(fallback) == ext and fallback.rpartition(".")[0] else f"document.{ext}"

    detected = sniff(data[:16], io.BytesIO(data))
    if detected is None:
        raise FileRefused(_l("This file is not a PDF, DOCX, JPEG or PNG document."))
    if detected != _kind(ext):
        raise FileRefused(_l("The file's content does not match its name."))

    stored_name = write_new(folder, ext, data)
    return StoredFile(stored_name=stored_name, original_name=original_name, mime_type=ALLOWED[ext], size=len(data))


def write_new(folder: Path, ext: str, data: bytes) -> str:
    """Write ``data`` to a new file under a random name in ``folder`` (made private if missing),
    readable by the portal alone; returns the name. Never follows or overwrites a file."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{ext}"
    path = folder / stored_name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored_name


def open_stored(folder: Path, stored_name: str) -> Path:
    """The path of a stored file; FileNotFoundError unless the name is one the server makes."""
    if not isinstance(stored_name, str) or not STORED_NAME.fullmatch(stored_name):
        raise FileNotFoundError(stored_name)
    path = Path(folder) / stored_name
    if not path.is_file() or path.is_symlink():
        raise FileNotFoundError(stored_name)
    return path


def download_response(path: Path, *, original_name: str, mime_type: str):
    """Send a stored file as a download under the name the user gave it; never rendered inline."""
    response = send_file(path, as_attachment=True, download_name=original_name, mimetype=mime_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
