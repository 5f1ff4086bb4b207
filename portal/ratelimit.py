"""Rate limits on what the public (and anyone else) can do too often: sending tips, searching,
downloading. Counters are shared by every worker through Redis when PORTAL_REDIS_URL is set, and
kept in the process's memory otherwise (enough for one process, as in development).

A limit is a number of hits per window of seconds for one bucket ("tips") and one key (the
client's address). Going over it answers 429 with a page in the user's language and a
Retry-After header.
"""
from __future__ import annotations

import functools
import threading
import time
from typing import Callable

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

#: bucket -> (hits, seconds); operators may change them with the RATE_LIMITS setting.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    "tips": (5, 600),  # tips sent from one address in ten minutes
    "tips_daily": (20, 86_400),
    "track": (30, 600),  # receipt codes tried from one address in ten minutes
    "search": (120, 60),  # public searches (violations, guides, businesses) per minute
    "download": (30, 60),  # CSV, JSON and feeds per minute
}


class MemoryCounter:
    """Fixed-window counters in this process's memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count a hit; (hits in the current window, seconds until it ends)."""
        now = time.monotonic()
        with self._lock:
            count, ends = self._hits.get(key, (0, 0.0))
            if now >= ends:
                count, ends = 0, now + window
                if len(self._hits) > 100_000:  # forget windows that have ended
                    self._hits = {k: v for k, v in self._hits.items() if v[1] > now}
            count += 1
            self._hits[key] = (count, ends)
            return count, max(int(ends - now + 0.999), 1)


class RedisCounter:
    """Fixed-window counters in Redis, shared by every worker and host."""

    def __init__(self, client) -> None:
        self._redis = client

    def hit(self, key: str, window: int) -> tuple[int, int]:
        slot = int(time.time() // window)
        name = f"portal:rl:{key}:{slot}"
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, window + 1)
        count, _ = pipe.execute()
        return int(count), max(int((slot + 1) * window - time.time() + 0.999), 1)


def init_app(app: Flask) -> None:
    limits = dict(DEFAULT_LIMITS)
    limits.update(app.config.get("RATE_LIMITS") or {})
    app.config["RATE_LIMITS"] = limits
    client = redis_client(app)
    app.extensions["ratelimit"] = RedisCounter(client) if client is not None else MemoryCounter()


def redis_client(app: Flask):
    """The process's Redis client (PORTAL_REDIS_URL), one connection pool shared by the rate
    limits and the page cache (portal.cache); None when no Redis is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    if "redis" not in app.extensions:
        import redis

        app.extensions["redis"] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return app.extensions["redis"]


def check(bucket: str, key: str | None = None) -> None:
    """Count one hit of ``bucket`` for ``key`` (the client's address by default); abort with
    429 when the limit is passed. A counter that cannot be reached lets the request through."""
    if not current_app.config.get("RATE_LIMITS_ENABLED", True):
        return
    hits, window = current_app.config["RATE_LIMITS"][bucket]
    key = key or request.remote_addr or "unknown"
    try:
        count, retry_after = current_app.extensions["ratelimit"].hit(f"{bucket}:{key}", window)
    except Exception:  # noqa: BLE001 - Redis down: serve rather than refuse everyone
        current_app.logger.warning("Rate-limit counter unreachable; %s not limited", bucket, exc_info=True)
        return
    if count > hits:
        raise TooManyRequests(retry_after=retry_after)


def limited(*buckets: str) -> Callable:
    """Decorator: count a hit in each bucket before the view runs."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            for bucket in buckets:
                check(bucket)
            return view(*args, **kwargs)

        return wrapper

    return decorate
