"""Two counts taken without load: the SQL queries a request makes (in this process, through the
Flask test client, against the bench database), and what a browser downloads for a public page."""
from __future__ import annotations

import gzip
import time
import urllib.parse
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterator

from flask import Flask
from sqlalchemy import event

from bench.client import Client
from portal.extensions import db


class QueryCounter:
    """Counts the statements sent to the database while it is listening."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *args, **kwargs) -> None:
        self.count += 1

    @contextmanager
    def listening(self, app: Flask) -> Iterator[QueryCounter]:
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", self)
        try:
            yield self
        finally:
            event.remove(engine, "before_cursor_execute", self)


def count_queries(app: Flask, path: str, *, cookies: dict[str, str] | None = None, method: str = "GET",
                  body: str | None = None) -> tuple[int, int, float]:
    """(the status, the number of SQL statements, the seconds it took) of one request through
    the test client."""
    client = app.test_client()
    for name, value in (cookies or {}).items():
        client.set_cookie(name, value)
    counter = QueryCounter()
    started = time.perf_counter()
    with counter.listening(app):
        response = client.open(path, method=method, data=body,
                               content_type="application/x-www-form-urlencoded" if body is not None else None)
        response.get_data()  # a streamed download runs its queries while it is read
    return response.status_code, counter.count, time.perf_counter() - started


# --- page weight ------------------------------------------------------------------------------

class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and (a.get("rel") or "").lower() == "stylesheet" and a.get("href"):
            self.found.append(("css", a["href"]))
        elif tag == "script" and a.get("src"):
            self.found.append(("js", a["src"]))


def assets_of(html: str) -> list[tuple[str, str]]:
    """The stylesheets and scripts a page links: [("css" | "js", address)], in order."""
    parser = _Assets()
    parser.feed(html)
    return parser.found


@dataclass
class Weight:
    """Bytes of a page and the stylesheets and scripts it links, as the server sends them."""

    page: int = 0
    css: int = 0
    js: int = 0
    gzipped: int = 0  # the same, had a proxy compressed them (gzip -6)
    encoding: str = "identity"
    files: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.page + self.css + self.js


def page_weight(base: str, path: str) -> Weight:
    client = Client(base)
    headers = {"Accept-Encoding": "gzip"}
    answer = client.request(path, headers=headers)
    weight = Weight(page=len(answer.body), encoding=answer.headers.get("content-encoding", "identity"))
    html = gzip.decompress(answer.body) if weight.encoding == "gzip" else answer.body
    weight.gzipped = len(gzip.compress(html, 6))
    for kind, address in assets_of(html.decode("utf-8", "replace")):
        parts = urllib.parse.urlsplit(address)
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.netloc or local in weight.files:
            continue
        asset = client.request(local, headers=headers)
        raw = gzip.decompress(asset.body) if asset.headers.get("content-encoding") == "gzip" else asset.body
        weight.files[local] = len(asset.body)
        setattr(weight, kind, getattr(weight, kind) + len(asset.body))
        weight.gzipped += len(gzip.compress(raw, 6))
    return weight
