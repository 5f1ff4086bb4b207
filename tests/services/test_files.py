"""Uploaded documents are checked by content and stored under random names (ASVS 5.0, V5).

No database: a bare Flask app with Flask-Babel is enough for the translated messages and
for send_file.
"""
from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib

import pytest
from flask import Flask
from flask_babel import Babel
from werkzeug.datastructures import FileStorage

from portal.services import files
from portal.services.files import FileRefused, download_response, open_stored, sniff, store

ALL_KINDS = {"pdf", "docx", "jpg", "jpeg", "png"}
MAX = 64 * 1024
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.(pdf|docx|jpg|jpeg|png)")

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def make_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = make_zip({
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"/>',
    "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body/></w:document>',
})


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


PNG = (
    b"\x89PNG\r\n\x1a\n"
    + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + png_chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + png_chunk(b"IEND", b"")
)

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 16 + b"\xff\xd9"

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def request_context():
    flask_app = Flask(__name__)
    Babel(flask_app)
    with flask_app.test_request_context():
        yield flask_app


def upload(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def refused(data: bytes, name: str, folder, *, kinds=ALL_KINDS, max_bytes=MAX) -> str:
    with pytest.raises(FileRefused) as caught:
        store(upload(data, name), kinds=kinds, max_bytes=max_bytes, folder=folder)
    assert not folder.exists() or not any(folder.iterdir()), "nothing is written for a refused file"
    return str(caught.value)


@pytest.mark.parametrize(("data", "name", "mime"), [
    (PDF, "Báo cáo tháng 5.pdf", "application/pdf"),
    (DOCX, "Biên bản họp.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (PNG, "ảnh chụp.PNG", "image/png"),
    (JPEG, "hiện trường.jpg", "image/jpeg"),
    (JPEG, "hiện trường.jpeg", "image/jpeg"),
])
def test_each_accepted_kind_is_stored_under_a_random_name(tmp_path, data, name, mime):
    folder = tmp_path / "uploads"
    stored = store(upload(data, name), kinds=ALL_KINDS, max_bytes=MAX, folder=folder)

    assert RANDOM_NAME.fullmatch(stored.stored_name)
    assert stored.stored_name.endswith("." + name.rsplit(".", 1)[1].lower())
    assert stored.mime_type == mime
    assert stored.original_name == name
    assert stored.size == len(data)
    assert (folder / stored.stored_name).read_bytes() == data
    assert [p.name for p in folder.iterdir()] == [stored.stored_name]


def test_names_are_random_each_time(tmp_path):
    names = {store(upload(PDF, "same.pdf"), kinds={"pdf"}, max_bytes=MAX, folder=tmp_path).stored_name
             for _ in range(5)}
    assert len(names) == 5


def test_sniff_looks_at_content():
    for data, kind in [(PDF, "pdf"), (DOCX, "docx"), (PNG, "png"), (JPEG, "jpg"), (EXE, None),
                       (b"", None), (make_zip({"a.txt": b"a"}), None), (b"PK\x03\x04 not really a zip", None)]:
        assert sniff(data[:16], io.BytesIO(data)) == kind


def test_a_pdf_named_docx_is_refused(tmp_path):
    assert refused(PDF, "report.docx", tmp_path) == "The file's content does not match its name."


def test_a_png_named_jpg_is_refused(tmp_path):
    assert refused(PNG, "photo.jpg", tmp_path) == "The file's content does not match its name."


def test_an_exe_named_pdf_is_refused(tmp_path):
    assert refused(EXE, "invoice.pdf", tmp_path) == "This file is not a PDF, DOCX, JPEG or PNG document."


def test_a_zip_without_a_word_document_named_docx_is_refused(tmp_path):
    data = make_zip({"[Content_Types].xml": b"<Types/>", "payload.exe": EXE})
    assert refused(data, "letter.docx", tmp_path) == "This file is not a PDF, DOCX, JPEG or PNG document."


def test_a_zip_with_too_many_entries_is_refused(tmp_path):
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/media/{i}.bin": b"" for i in range(files.MAX_ZIP_ENTRIES)})
    data = make_zip(entries)
    refused(data, "many.docx", tmp_path, max_bytes=len(data))


def test_a_zip_that_expands_too_far_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as bomb:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(files.MAX_ZIP_UNCOMPRESSED // len(zeros) + 1):
                bomb.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 1024 * 1024, "small on disk, over 200 MB once expanded"
    assert refused(data, "bomb.docx", tmp_path, max_bytes=len(data)) == "This file is not a PDF, DOCX, JPEG or PNG document."


def test_an_empty_file_is_refused(tmp_path):
    assert refused(b"", "empty.pdf", tmp_path) == "The file is empty."


def test_a_file_one_byte_over_the_limit_is_refused(tmp_path):
    assert refused(PDF, "big.pdf", tmp_path, max_bytes=len(PDF) - 1).startswith("The file is larger than")
    stored = store(upload(PDF, "exact.pdf"), kinds={"pdf"}, max_bytes=len(PDF), folder=tmp_path)
    assert stored.size == len(PDF)


def test_the_size_limit_is_shown_in_megabytes(tmp_path):
    data = PDF + b"\x00" * (5 * 1024 * 1024)
    assert refused(data, "big.pdf", tmp_path, max_bytes=5 * 1024 * 1024) == "The file is larger than 5 MB."


@pytest.mark.parametrize(("data", "name", "kinds", "endings"), [
    (PNG, "photo.png", {"pdf", "docx"}, ".pdf, .docx"),
    (PDF, "report.pdf", {"jpg", "png"}, ".jpg, .png"),
    (EXE, "setup.exe", ALL_KINDS, ".pdf, .docx, .jpg, .png"),
    (PDF, "report", ALL_KINDS, ".pdf, .docx, .jpg, .png"),
    (PDF, "report.pdf.exe", ALL_KINDS, ".pdf, .docx, .jpg, .png"),
    (PDF, "report.pdf\x00.exe", ALL_KINDS, ".pdf, .docx, .jpg, .png"),
])
def test_an_extension_not_accepted_is_refused(tmp_path, data, name, kinds, endings):
    assert refused(data, name, tmp_path, kinds=kinds) == f"The file name must end in one of: {endings}."


def test_jpg_and_jpeg_are_one_kind(tmp_path):
    assert store(upload(JPEG, "a.jpeg"), kinds={"jpg"}, max_bytes=MAX, folder=tmp_path).mime_type == "image/jpeg"
    assert store(upload(JPEG, "a.JPG"), kinds={"jpeg"}, max_bytes=MAX, folder=tmp_path).mime_type == "image/jpeg"


@pytest.mark.parametrize(("name", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf"),
    ("/etc/cron.d/job.pdf", "job.pdf"),
    ("a\x00b.pdf", "ab.pdf"),
    ("tờ\r\ntrình\t.pdf", "tờtrình.pdf"),
    ("\u202efdp.exe.pdf", "fdp.exe.pdf"),
    ("\x01\x02.pdf", "document.pdf"),
])
def test_hostile_names_are_only_metadata(tmp_path, name, kept):
    folder = tmp_path / "uploads"
    stored = store(upload(PDF, name), kinds={"pdf"}, max_bytes=MAX, folder=folder)

    assert RANDOM_NAME.fullmatch(stored.stored_name)
    assert [p.name for p in folder.iterdir()] == [stored.stored_name]
    assert [p.name for p in tmp_path.iterdir()] == ["uploads"], "nothing written outside the folder"
    assert stored.original_name == kept
    assert "/" not in stored.original_name and "\\" not in stored.original_name
    assert not any(ord(ch) < 32 or ord(ch) == 127 for ch in stored.original_name)


def test_long_names_are_cut_to_200_characters_keeping_the_extension(tmp_path):
    stored = store(upload(PDF, "ư" * 300 + ".pdf"), kinds={"pdf"}, max_bytes=MAX, folder=tmp_path)
    assert len(stored.original_name) == 200
    assert stored.original_name.endswith("ư.pdf")


def test_decomposed_vietnamese_is_composed(tmp_path):
    stored = store(upload(PDF, "Ha\u0300 Nô\u0323i.pdf"), kinds={"pdf"}, max_bytes=MAX, folder=tmp_path)
    assert stored.original_name == "Hà Nội.pdf"


def test_files_and_new_folders_are_private(tmp_path):
    folder = tmp_path / "a" / "uploads"
    stored = store(upload(PDF, "x.pdf"), kinds={"pdf"}, max_bytes=MAX, folder=folder)
    assert stat.S_IMODE((folder / stored.stored_name).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_open_stored_accepts_only_names_the_server_makes(tmp_path):
    stored = store(upload(PDF, "x.pdf"), kinds={"pdf"}, max_bytes=MAX, folder=tmp_path)
    assert open_stored(tmp_path, stored.stored_name) == tmp_path / stored.stored_name

    (tmp_path / "x.pdf").write_bytes(PDF)
    (tmp_path / "sub").mkdir()
    for name in ["../x.pdf", "x.pdf", "sub/../x.pdf", "/etc/passwd", "", stored.stored_name + "\n",
                 stored.stored_name.upper(), "0" * 32 + ".exe", "0" * 31 + ".pdf", "../" + stored.stored_name]:
        with pytest.raises(FileNotFoundError):
            open_stored(tmp_path, name)
    with pytest.raises(FileNotFoundError):
        open_stored(tmp_path, "0" * 32 + ".pdf")  # well formed, but not there


def test_download_is_an_attachment_under_the_original_name(tmp_path):
    stored = store(upload(PDF, "Báo cáo.pdf"), kinds={"pdf"}, max_bytes=MAX, folder=tmp_path)
    response = download_response(open_stored(tmp_path, stored.stored_name),
                                 original_name=stored.original_name, mime_type=stored.mime_type)
    try:
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf" in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.mimetype == "application/pdf"
        response.direct_passthrough = False
        assert response.get_data() == PDF
    finally:
        response.close()
