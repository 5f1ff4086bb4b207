"""Rate limits: counted per bucket and client, 429 in the user's language, shared through Redis."""
from __future__ import annotations

import uuid

import pytest
import redis
from flask import Flask

from portal import ratelimit
from portal.ratelimit import MemoryCounter, RedisCounter

REDIS_URL = "redis://127.0.0.1:6379/0"


def make_app(**config) -> Flask:
    app = Flask(__name__)
    app.config.update({"RATE_LIMITS": {"demo": (3, 60)}, **config})
    ratelimit.init_app(app)

    @app.get("/hit")
    @ratelimit.limited("demo")
    def hit():
        return "ok"

    return app


def test_memory_counter_counts_within_a_window_and_per_key():
    counter = MemoryCounter()
    assert [counter.hit("a", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert counter.hit("b", 60)[0] == 1
    assert 1 <= counter.hit("a", 60)[1] <= 60


def test_limit_answers_429_with_retry_after_once_passed():
    client = make_app().test_client()
    assert [client.get("/hit").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/hit")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    other = client.get("/hit", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200  # another address has its own counter


def test_redis_counter_is_shared_between_two_apps():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running at 127.0.0.1:6379; start it as the README says")
    bucket = f"demo-{uuid.uuid4().hex}"  # a fresh counter for this run
    first, second = (make_app(REDIS_URL=REDIS_URL, RATE_LIMITS={bucket: (3, 60)}) for _ in range(2))
    for app in (first, second):
        app.view_functions["hit"] = ratelimit.limited(bucket)(lambda: "ok")
    codes = [first.test_client().get("/hit").status_code, second.test_client().get("/hit").status_code,
             first.test_client().get("/hit").status_code, second.test_client().get("/hit").status_code]
    assert codes == [200, 200, 200, 429]


def test_unreachable_redis_lets_requests_through():
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    assert isinstance(app.extensions["ratelimit"], RedisCounter)
    assert app.test_client().get("/hit").status_code == 200


def test_portal_answers_429_in_vietnamese(app, web):
    app.config["RATE_LIMITS"]["download"] = (1, 60)

    @app.get("/_limited")
    @ratelimit.limited("download")
    def limited_page():
        return "ok"
    web.get("/_limited")
    page = web.get("/_limited", status=429)
    assert page.soup.find("h1").get_text(strip=True) == "Quá nhiều yêu cầu"
    assert page.response.headers["Retry-After"]
