"""A cache of the public pages, for the crowds a case in the news sends to the site.

A public page is the same for every anonymous visitor who asks for the same address in the same
language, so it is rendered once and kept: in Redis when PORTAL_REDIS_URL is set (shared by every
worker and host, through the connection of ``portal.ratelimit``), in the process's memory
otherwise (enough for one process, as in development; each worker then keeps its own copy, so
the time a page is kept is shorter).

What makes up a page's key: the generation (below), the day in Vietnam (an entry whose end of
publication has passed leaves the lists at midnight, not when its page expires), the language,
the host, the path and query string, and the htmx headers the page varies on.

**Invalidation.** A generation counter is part of every key. Any transaction that writes a
published entry, its correction or reply, a publication, a hotline, a guide or its images, or a
goods category bumps the counter once it has committed (``_note_changes`` and ``_bump``, on every
database session, whichever service made the change), so the very next request renders afresh.
What the registry holds is not watched: its edits come from every ward all day long and would
empty the cache continuously. The pages drawn from it (the check of a business) are kept for
REGISTRY_SECONDS only, and the statistics' figures (seconds of aggregates at a national scale)
for STATISTICS_SECONDS whatever the generation (``remember``).

**Nothing personal is kept.** Only anonymous GET requests are served from the cache or stored:
a session holding anything but the language and a CSRF token (a signed-in user, a flashed
message) bypasses it.
A cached page carries no CSRF token (none of them has a form that posts; ``base.html`` leaves the
token out when ``g.page_cacheable`` is set), a response that set a cookie or generated a token is
never stored, and only a fixed list of headers is kept: Set-Cookie never is.

A page served from the cache does not run its view, so the rate limits the view counts
(searches, downloads) are not counted for it: they protect the database, which such a page does
not touch; a search or download not in the cache is counted as before.

The cache is off in tests (``TESTING``) unless a test sets PAGE_CACHE_ENABLED, so the rest of
the suite counts and sees what the database holds. The pages leave out the CSRF token all the
same, so an anonymous visitor of the public pages is given no session cookie (unless choosing a
language).
"""
from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal import ratelimit
from portal.db import utcnow
from portal.i18n import select_locale
from portal.services.deadlines import local_day

#: Tables whose changes show on the public pages at once: a commit that writes one bumps the generation.
WATCHED_TABLES = frozenset({"public_entries", "public_corrections", "business_replies", "publications",
                            "hotlines", "guides", "guide_images", "goods_categories"})
#: What an anonymous visitor's session may hold and still be served the shared page.
ANONYMOUS_SESSION_KEYS = frozenset({"lang", "csrf_token"})
#: The headers of a response that are kept with it (never Set-Cookie).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Vary", "Access-Control-Allow-Origin", "Cache-Control")
CACHED_STATUSES = (200, 410)
#: Pages drawn from the registry and the statistics: kept this long, whatever the generation says.
REGISTRY_SECONDS = 60
STATISTICS_SECONDS = 600

_CHANGED = "portal.page_cache.changed"


# --- where pages are kept ----------------------------------------------------------------

class MemoryStore:
    """Pages in this process's memory, the least recently used forgotten past ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._generation = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] <= time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) > self._max_bytes:
            return
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = (time.monotonic() + seconds, value)
            self._bytes += len(value)
            while self._bytes > self._max_bytes:
                self._drop(next(iter(self._items)))

    def _drop(self, key: str) -> None:
        self._bytes -= len(self._items.pop(key)[1])

    def generation(self) -> int:
        return self._generation

    def bump(self) -> None:
        with self._lock:
            self._generation += 1


class RedisStore:
    """Pages in Redis, shared by every worker and host; each expires on its own. Every key
    starts with ``prefix``, so that two portals sharing a Redis never serve each other's pages."""

    def __init__(self, client, prefix: str) -> None:
        self._redis, self._prefix = client, prefix

    def get(self, key: str) -> bytes | None:
        return self._redis.get(self._prefix + key)

    def set(self, key: str, value: bytes, seconds: int) -> None:
        self._redis.set(self._prefix + key, value, ex=seconds)

    def generation(self) -> int:
        return int(self._redis.get(self._prefix + "generation") or 0)

    def bump(self) -> None:
        self._redis.incr(self._prefix + "generation")


class PageCache:
    """The store, the time pages are kept, and what to do when the store cannot be reached: a
    Redis that is down is left alone for a few seconds, and pages are rendered as if uncached."""

    PAUSE_SECONDS = 5.0

    def __init__(self, store: MemoryStore | RedisStore, *, enabled: bool, seconds: int, max_bytes: int) -> None:
        self.store, self.enabled, self.seconds, self.max_bytes = store, enabled, seconds, max_bytes
        self._paused_until = 0.0

    def _call(self, what: Callable[[], Any]) -> Any:
        """``what()``, or None while the store is unreachable."""
        if time.monotonic() < self._paused_until:
            return None
        try:
            return what()
        except Exception:  # noqa: BLE001 - Redis down: serve pages uncached rather than fail
            self._paused_until = time.monotonic() + self.PAUSE_SECONDS
            if has_app_context():
                current_app.logger.warning("Page cache unreachable; pages served uncached", exc_info=True)
            return None

    def generation(self) -> int | None:
        """The current generation, read once per request."""
        if "page_generation" not in g:
            g.page_generation = self._call(self.store.generation)
        return g.page_generation

    def bump(self) -> None:
        self._call(self.store.bump)

    def get(self, key: str) -> bytes | None:
        return self._call(lambda: self.store.get(key))

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) <= self.max_bytes:
            self._call(lambda: self.store.set(key, value, seconds))


def init_app(app: Flask) -> None:
    conf = app.config
    enabled = conf["PAGE_CACHE_ENABLED"]
    if enabled is None:
        enabled = not app.testing
    client = ratelimit.redis_client(app)
    store = (RedisStore(client, f"{conf['PAGE_CACHE_NAMESPACE']}:") if client is not None
             else MemoryStore(conf["PAGE_CACHE_MEMORY_BYTES"]))
    seconds = conf["PAGE_CACHE_SECONDS"] or (300 if client is not None else 30)
    app.extensions["page_cache"] = PageCache(store, enabled=bool(enabled), seconds=seconds,
                                             max_bytes=conf["PAGE_CACHE_MAX_BYTES"])
    _listen()


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


# --- which requests, under which key ------------------------------------------------------

def _shareable() -> bool:
    """A request whose answer is the same for every anonymous visitor."""
    return request.method in ("GET", "HEAD") and set(session.keys()) <= ANONYMOUS_SESSION_KEYS


def _edition(cache: PageCache, generational: bool) -> str | None:
    """What every key holds besides the request: the generation and the day in Vietnam (None
    when the store cannot say which generation it is)."""
    generation = cache.generation() if generational else "-"
    return None if generation is None else f"{generation}:{local_day(utcnow()).isoformat()}"


def request_key(cache: PageCache, *, generational: bool = True) -> str | None:
    """This request's key, or None when it is not to be served from the cache."""
    if not cache.enabled or not _shareable():
        return None
    edition = _edition(cache, generational)
    if edition is None:
        return None
    parts = (edition, select_locale(), request.url_root, request.path, request.query_string.decode("latin-1"),
             request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""))
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _storable(response: Response) -> bool:
    """Nothing in the response belongs to one visitor."""
    csrf_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return (response.status_code in CACHED_STATUSES and "Set-Cookie" not in response.headers
            and csrf_field not in g and _shareable() and not response.direct_passthrough)


# --- how a response is kept ---------------------------------------------------------------

def _pack(response: Response, body: bytes) -> bytes:
    head = {"status": response.status_code,
            "headers": [(name, value) for name, value in response.headers.items() if name in KEPT_HEADERS]}
    return json.dumps(head).encode() + b"\n" + body


def _unpack(stored: bytes) -> Response:
    head, body = stored.split(b"\n", 1)
    meta = json.loads(head)
    response = Response(body, status=meta["status"], headers=meta["headers"])
    response.headers["X-Page-Cache"] = "hit"
    return response


def _kept_as_streamed(cache: PageCache, key: str, response: Response, body: Iterable,
                      seconds: int) -> Iterator[bytes]:
    """The chunks of a streamed response's ``body``, passed on as they come and kept once the
    whole is sent, unless it grew larger than the cache keeps (then only passed on)."""
    chunks: list[bytes] | None = []
    size = 0
    for chunk in body:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        if chunks is not None:
            size += len(data)
            if size <= cache.max_bytes:
                chunks.append(data)
            else:
                chunks = None
        yield data
    if chunks is not None:
        cache.set(key, _pack(response, b"".join(chunks)), seconds)


def _keep(cache: PageCache, key: str, response: Response, seconds: int) -> None:
    response.headers["X-Page-Cache"] = "miss"
    if not _storable(response):
        return
    if response.is_streamed:
        response.response = _kept_as_streamed(cache, key, response, response.response, seconds)
    else:
        cache.set(key, _pack(response, response.get_data()), seconds)


def cached(seconds: int | None = None, *, generational: bool = True) -> Callable:
    """Decorator of a public view: serve the page from the cache when it is there, keep it when
    it was not. ``seconds``: how long it is kept (default: PAGE_CACHE_SECONDS); ``generational``:
    whether a change to the published data (the generation) renders it afresh, or only time does."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            g.page_cacheable = True  # the layout then leaves out the CSRF token
            cache = page_cache()
            key = request_key(cache, generational=generational)
            if key is not None:
                stored = cache.get(key)
                if stored is not None:
                    return _unpack(stored)
            response = current_app.make_response(view(*args, **kwargs))
            if key is not None:
                _keep(cache, key, response, seconds or cache.seconds)
            return response

        return wrapper

    return decorate


def remember(name: str, compute: Callable[[], Any], *, seconds: int | None = None,
             generational: bool = True) -> Any:
    """A value that public pages show and that takes a query to find, the same in every language
    (JSON: the national hotline of the header, the years of the list, the statistics' figures),
    kept like the pages (``seconds`` and ``generational`` as for ``cached``), so that a page not
    in the cache is rendered without it; computed each time when the cache is off."""
    cache = page_cache()
    edition = _edition(cache, generational) if cache.enabled else None
    if edition is None:
        return compute()
    key = f"value:{edition}:{name}"
    stored = cache.get(key)
    if stored is not None:
        return json.loads(stored)
    value = compute()
    cache.set(key, json.dumps(value).encode(), seconds or cache.seconds)
    return value


# --- invalidation: bump the generation after a commit that changed a watched table -------

def _touches_watched(objects: Iterable[object]) -> bool:
    return any(getattr(obj, "__tablename__", None) in WATCHED_TABLES for obj in objects)


def _note_changes(session: Session, _flush_context) -> None:
    if _touches_watched([*session.new, *session.dirty, *session.deleted]):
        session.info[_CHANGED] = True


def _note_bulk_changes(state) -> None:
    """INSERT, UPDATE or DELETE statements run through the session (not flushed objects)."""
    if state.is_update or state.is_delete or state.is_insert:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in WATCHED_TABLES:
            state.session.info[_CHANGED] = True


def _bump(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        cache = current_app.extensions.get("page_cache")
        if cache is not None:
            cache.bump()


def _forget(session: Session, _previous_transaction=None) -> None:
    session.info.pop(_CHANGED, None)


def _listen() -> None:
    if event.contains(Session, "after_flush", _note_changes):
        return
    event.listen(Session, "after_flush", _note_changes)
    event.listen(Session, "do_orm_execute", _note_bulk_changes)
    event.listen(Session, "after_commit", _bump)
    event.listen(Session, "after_rollback", _forget)
