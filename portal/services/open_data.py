"""The published violations as open data: one record per entry, written as CSV, JSON and Atom.

The fields, their order and their names are part of the contract with journalists
(documented at /open-data and in static/open-data/violations.schema.json): add new fields at
the end, never rename or drop one.
"""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timezone

from flask_babel import lazy_gettext as _l

from portal.models import PublicEntry
from portal.services.spreadsheets import inert

LICENCE = {"name": "CC BY 4.0", "title": "Creative Commons Attribution 4.0 International",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"
BATCH = 200  # CSV rows or JSON entries written per chunk sent


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # integer, text, code, date, datetime, boolean, url
    meaning: object  # a lazy string
    nullable: bool = False


KINDS = {
    "integer": _l("whole number"), "text": _l("text"), "code": _l("code (see the list below)"),
    "date": _l("date, YYYY-MM-DD"), "datetime": _l("date and time, ISO 8601 with time zone (UTC)"),
    "boolean": _l("true or false"), "url": _l("web address"),
}

FIELDS = (
    Field("id", "integer", _l("Permanent number of the entry; it never changes and is never reused.")),
    Field("url", "url", _l("Permanent link of the entry's page, with its corrections and the business's reply.")),
    Field("business_name", "text", _l("Name of the business as registered.")),
    Field("address", "text", _l("Trading address of the business.")),
    Field("ward_code", "integer", _l("Official code of the commune or ward.")),
    Field("ward_name", "text", _l("Name of the commune or ward.")),
    Field("province_code", "integer", _l("Official code of the province or centrally run city.")),
    Field("province_name", "text", _l("Name of the province or centrally run city.")),
    Field("violation_type", "code", _l("Kind of violation.")),
    Field("goods_code", "code", _l("Goods category."), nullable=True),
    Field("goods_name_vi", "text", _l("Goods category in Vietnamese."), nullable=True),
    Field("goods_name_en", "text", _l("Goods category in English."), nullable=True),
    Field("brand", "text", _l("Brand of the goods concerned."), nullable=True),
    Field("found_on", "date", _l("Day the violation was found.")),
    Field("decision_number", "text", _l("Number of the sanction decision.")),
    Field("decision_on", "date", _l("Day of the sanction decision (the year filter uses it).")),
    Field("decision_authority", "text", _l("Who issued the sanction decision.")),
    Field("fine_vnd", "integer", _l("Fine in Vietnamese dong."), nullable=True),
    Field("after_commitment", "boolean", _l("True when the business offended after signing a commitment.")),
    Field("after_outreach", "boolean", _l("True when the business offended after being given outreach.")),
    Field("published_at", "datetime", _l("When the entry was made public.")),
    Field("corrected_at", "datetime", _l("When the entry was last corrected."), nullable=True),
    Field("ends_on", "date", _l("Last day of publication; the entry leaves the list after it."), nullable=True),
)


def record(entry: PublicEntry, ward: str, province: str, url: str) -> dict:
    """One entry as open data, in the order of FIELDS."""
    goods = entry.goods_category
    return {
        "id": entry.id, "url": url, "business_name": entry.business_name, "address": entry.address,
        "ward_code": entry.ward_code, "ward_name": ward, "province_code": entry.province_code,
        "province_name": province, "violation_type": entry.violation_type.value,
        "goods_code": goods.code if goods else None, "goods_name_vi": goods.name_vi if goods else None,
        "goods_name_en": goods.name_en if goods else None, "brand": entry.brand,
        "found_on": entry.found_on.isoformat(), "decision_number": entry.decision_number,
        "decision_on": entry.decision_on.isoformat(), "decision_authority": entry.decision_authority,
        "fine_vnd": entry.fine, "after_commitment": entry.after_commitment, "after_outreach": entry.after_outreach,
        "published_at": instant(entry.published_at), "corrected_at": instant(entry.corrected_at),
        "ends_on": entry.ends_on.isoformat() if entry.ends_on else None,
    }


def instant(value: datetime | None) -> str | None:
    """'2026-04-05T03:00:00Z': UTC, to the second."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


Rows = Iterable[tuple[PublicEntry, str, str]]


def csv_chunks(rows: Rows, url: Callable[[int], str]) -> Iterator[str]:
    """CSV in UTF-8 with a byte-order mark (so Excel reads Vietnamese), one header row, and
    no cell a spreadsheet would run as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([f.name for f in FIELDS])
    for number, (entry, ward, province) in enumerate(rows, start=1):
        writer.writerow([_cell(v) for v in record(entry, ward, province, url(entry.id)).values()])
        if number % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return inert(value)


def json_chunks(rows: Rows, url: Callable[[int], str], *, count: int, generated_at: datetime,
                filters: dict, ignored: dict) -> Iterator[str]:
    """{"licence", "generated_at", "count", "filters", "ignored", "entries": [...]}, written
    entry by entry and sent BATCH entries at a time."""
    head = {"licence": LICENCE, "generated_at": instant(generated_at), "count": count, "filters": filters,
            "ignored": ignored}
    parts = [json.dumps(head, ensure_ascii=False)[:-1] + ', "entries": [']
    for number, (entry, ward, province) in enumerate(rows):
        parts.append(("," if number else "") + "\n" + json.dumps(record(entry, ward, province, url(entry.id)),
                                                                ensure_ascii=False))
        if len(parts) >= BATCH:
            yield "".join(parts)
            parts = []
    parts.append("\n]}\n")
    yield "".join(parts)


# --- Atom ------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, text: str | None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        node.text = _NOT_XML.sub("", str(text))
    return node


@dataclass
class FeedEntry:
    entry: PublicEntry
    url: str
    summary: str
    categories: list[tuple[str, str]]  # (term, label)


def atom(*, feed_id: str, title: str, self_url: str, list_url: str, author: str, rights: str, language: str,
         entries: list[FeedEntry], now: datetime) -> bytes:
    """An Atom 1.0 feed (RFC 4287) built as an XML tree, so every text is escaped."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": language})
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    updated = max((updated_at(e.entry) for e in entries), default=now)
    _text(feed, "updated", instant(updated))
    _text(feed, "link", None, rel="self", type="application/atom+xml", href=self_url)
    _text(feed, "link", None, rel="alternate", type="text/html", href=list_url)
    _text(_text(feed, "author", None), "name", author)
    _text(feed, "rights", rights)
    for item in entries:
        node = _text(feed, "entry", None)
        _text(node, "id", item.url)
        _text(node, "title", item.entry.business_name)
        _text(node, "updated", instant(updated_at(item.entry)))
        _text(node, "published", instant(item.entry.published_at))
        _text(node, "link", None, rel="alternate", type="text/html", href=item.url)
        for term, label in item.categories:
            _text(node, "category", None, term=term, label=_NOT_XML.sub("", label))
        _text(node, "summary", item.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def updated_at(entry: PublicEntry) -> datetime:
    return entry.corrected_at or entry.published_at


def today_name(prefix: str, day: date, ext: str) -> str:
    return f"{prefix}-{day.isoformat()}.{ext}"
