"""The benchmark's own parts (bench/), kept working by the normal suite: reading wrk's output,
the tables, counting queries, signing in through the real forms, the import workbook. Nothing
here is timed."""
from __future__ import annotations

import urllib.parse

import pytest
from sqlalchemy import func, select

from bench import cases, counting, run, xlsx_import
from bench.client import Client, sign_in
from bench.load import LoadResult, lua_script, parse_wrk
from bench.table import Line, load_rows, markdown_table, text_table
from portal.extensions import db
from portal.models import Business, Role
from portal.services import registry_import
from tests import helpers
from tests.factories import PASSWORD, make_user

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    1.02ms  30.00ms   90.00%
  4000 requests in 10.00s, 1.00MB read
Requests/sec:    400.00
BENCH requests=4000 duration_us=10000000 bytes=1048576 status_errors=3 socket_errors=1 p50_us=4800 p95_us=7250 \
p99_us=12000 max_us=30000
"""


def load(per_second: float, p95: float, errors: int = 0) -> LoadResult:
    return LoadResult(requests=int(per_second * 10), seconds=10.0, bytes=10_240 * int(per_second), status_errors=errors,
                      socket_errors=0, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95 * 2, max_ms=p95 * 3)


def test_wrk_result_line_is_read_back():
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests == 4000 and result.per_second == 400
    assert (result.p50_ms, result.p95_ms, result.p99_ms, result.max_ms) == (4.8, 7.25, 12.0, 30.0)
    assert result.errors == 4
    with pytest.raises(ValueError):
        parse_wrk("Running 10s test @ http://127.0.0.1:8000/\nunable to connect")


def test_lua_script_carries_the_request_and_escapes_everything_else():
    script = lua_script("POST", 'a=1&b="x"\n', {"Cookie": "portal=ab.c-d_e", "X-Name": "Hà"})
    assert 'wrk.method = "POST"' in script
    assert r'wrk.body = "a=1&b=\034x\034\010"' in script
    assert 'wrk.headers["Cookie"] = "portal=ab.c-d_e"' in script
    assert r'"H\195\160"' in script  # "à" as its two UTF-8 bytes
    assert "latency:percentile(95)" in script


def test_targets_say_met_or_by_how_much_they_are_missed():
    hello = load(1000, 5)
    public = cases.TARGETS["public"]
    assert Line("page", load(600, 20), hello, public).verdict() == "met"
    assert Line("page", load(400, 20), hello, public).verdict() == "missed: 80% of the throughput asked"
    assert Line("page", load(600, 50), hello, public).verdict() == "missed: p95 2.0× the limit"
    assert Line("page", load(600, 20, errors=2), hello, public).verdict() == "2 errors"
    assert Line("page", load(0, 0), hello, public).verdict() == "no answer during the run"
    assert Line("save", load(10, 900), hello, None).verdict() == "—"
    slow = LoadResult(requests=1, seconds=3.2, bytes=1, status_errors=0, socket_errors=0, p50_ms=3200, p95_ms=3200,
                      p99_ms=3200, max_ms=3200)
    assert Line("board", slow, hello, cases.TARGETS["heavy"], alone=True).verdict() == (
        "missed: one request alone took 3.2 s, 11× the limit")
    assert load_rows([Line("board", slow, hello, cases.TARGETS["heavy"], alone=True)])[0][1:6] == (
        "—", "3200.0", "3200.0", "3200.0", "—")


def test_tables_line_up_and_render_as_markdown():
    hello = load(1000, 5)
    lines = [Line("Hello", hello, hello, is_hello=True),
             Line("Public home page", load(600, 20), hello, cases.TARGETS["public"], (12, 0))]
    rows = load_rows(lines)
    assert rows[1][5:7] == ("0.60", "12→0")
    text = text_table(("Request", "req/s"), [(r[0], r[1]) for r in rows]).splitlines()
    assert [len(line) for line in text] == [len(text[1])] * 4  # numbers right-aligned to the same edge
    markdown = markdown_table(("Request", "req/s", "Result"), [(r[0], r[1], r[9]) for r in rows]).splitlines()
    assert markdown[1] == "|---|---:|---|"
    assert markdown[3] == "| Public home page | 600 | met |"


def test_batch_form_posts_every_row_as_signed():
    fixtures = cases.Fixtures(province=1, year=2026, violation=1, obligation=1, ward_user=7, ward=4,
                              businesses=[11, 12], total_businesses=2)
    form = urllib.parse.parse_qs(cases.batch_form(fixtures, "token"))
    assert form["csrf_token"] == ["token"] and form["ward_code"] == ["4"] and form["action"] == ["save"]
    assert form["rows-1-business_id"] == ["12"] and form["rows-1-signed"] == ["y"]
    assert form["note"] == [cases.BATCH_NOTE]


def test_assets_of_a_page_are_its_stylesheets_and_scripts():
    html = ('<link rel="stylesheet" href="/static/a.css"><link rel="icon" href="/f.ico">'
            '<script src="/vendor/htmx.min.js" defer></script><script>inline()</script>')
    assert counting.assets_of(html) == [("css", "/static/a.css"), ("js", "/vendor/htmx.min.js")]


def test_queries_of_a_public_page_are_counted(app):
    status, queries, seconds = counting.count_queries(app, "/violations?q=sua")
    assert status == 200 and seconds > 0
    assert queries >= 2  # at least the count and the page of entries
    assert counting.count_queries(app, "/no-such-page")[0] == 404


@pytest.fixture
def served(app):
    """The test app on a loopback port, for what the benchmark does over HTTP."""
    with helpers.served(app) as base:
        yield base


@pytest.mark.csrf
def test_sign_in_answers_the_second_factor_and_enrols_when_asked(app, world, database, served):
    # A leader with a second factor: the code of the key in the database, through /internal/login/code.
    client = Client(served)
    sign_in(client, "leader", PASSWORD, run.code_for(database, "leader"))
    assert client.request("/internal/").status == 200
    # Again at once: that code was used, so the next step's code is typed.
    again = Client(served)
    sign_in(again, "leader", PASSWORD, run.code_for(database, "leader"))
    assert again.request("/internal/").status == 200
    # A leader without one yet is sent to set it up first; the key on that page is used.
    make_user("leader.new", world.province, Role.LEADER, enrol=False)
    db.session.commit()
    fresh = Client(served)
    sign_in(fresh, "leader.new", PASSWORD, run.code_for(database, "leader.new"))
    assert fresh.request("/internal/").status == 200


def test_page_weight_counts_the_page_with_its_stylesheet_and_scripts(app, served):
    weight = counting.page_weight(served, "/")
    assert weight.page > 1000 and weight.css > 1000 and weight.js > 1000
    assert weight.total == weight.page + weight.css + weight.js
    assert 0 < weight.gzipped < weight.total


def test_the_import_workbook_is_accepted_whole_and_rolled_back(app, world):
    timing = xlsx_import.time_import(app, "leader", rows=12)
    assert timing.created == 12 and timing.rows == 12
    assert db.session.scalar(select(func.count()).select_from(Business)) == 0
    assert registry_import.preview(world.ward_official, xlsx_import.workbook([world.ward_a.ward_code], 3, "t")).ok
