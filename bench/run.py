"""`make bench`: prepare the bench database, serve the portal and a bare Flask route under
gunicorn on loopback, drive each with wrk, and print one table (written to bench/results.md).

Everything can be changed from the command line or the environment:
PORTAL_BENCH_DATABASE_URL (the database, created and loaded when missing), PORTAL_BENCH_SECONDS
(per request), PORTAL_BENCH_WORKERS (gunicorn workers); ``python -m bench --help`` lists the rest.
"""
from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import cases as c
from bench import prepare
from bench.client import Client, csrf_token, sign_in
from bench.load import ROOT, LoadResult, Server, run_wrk
from bench.table import (
    IMPORT_HEADER,
    LOAD_HEADER,
    WEIGHT_HEADER,
    Line,
    import_rows,
    load_rows,
    markdown_table,
    text_table,
    weight_rows,
)

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/portal_bench"
#: A request slower than this on its own is timed once rather than loaded.
SLOW_SECONDS = 2.0
PROBE_TIMEOUT = 300
RESULTS = ROOT / "bench" / "results.md"


def options(argv: list[str] | None) -> argparse.Namespace:
    env = os.environ.get
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="python -m bench", description="The portal under load on the national "
                                     "data set, next to a bare Flask route (make bench).")
    parser.add_argument("--database-url", default=env("PORTAL_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seconds", type=int, default=int(env("PORTAL_BENCH_SECONDS", "10")),
                        help="measuring time per request (default 10)")
    parser.add_argument("--warmup", type=int, default=int(env("PORTAL_BENCH_WARMUP", "2")),
                        help="load before each measurement, not counted (default 2 s)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=int(env("PORTAL_BENCH_WORKERS", str(2 * cores + 1))),
                        help="gunicorn workers for the portal and the hello app (default 2 × cores + 1)")
    parser.add_argument("--province", type=int, default=1, help="the province measured (default 1, Hà Nội)")
    parser.add_argument("--only", help="measure only these requests (comma-separated keys: "
                                       + ", ".join(case.key for case in c.CASES) + ")")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the XLSX import (0: skip it)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="the Markdown results (default bench/results.md)")
    # Loads only this share of the national data into a new database: tests the fresh path cheaply.
    parser.add_argument("--fraction", type=float, default=float(env("PORTAL_BENCH_FRACTION", "1")),
                        help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def machine(url: str, redis: str | None, args: argparse.Namespace) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            version = conn.scalar(text("SHOW server_version"))
    finally:
        engine.dispose()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown CPU")
    memory = next((int(line.split()[1]) / 1024 / 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split(" Copyright")[0]
    return [f"Machine: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM; PostgreSQL {version}; "
            f"Python {platform.python_version()}; {wrk.strip()}",
            f"Portal and hello app: gunicorn, {args.workers} sync workers each, on 127.0.0.1; "
            f"{'Redis at ' + redis if redis else 'no Redis (each worker its own memory)'}; rate limits off",
            f"Load average before the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min)",
            f"Load: wrk, {args.connections} connections, {args.seconds} s per request after {args.warmup} s "
            f"of warm-up; latencies in milliseconds"]


def portal_env(url: str, secret: str, redis: str | None) -> dict[str, str]:
    env = dict(os.environ, PORTAL_DATABASE_URL=url, PORTAL_SECRET_KEY=secret, PORTAL_ENV="development",
               PORTAL_SECURE_COOKIES="0", PORTAL_RATE_LIMITS_ENABLED="0", PORTAL_SITES="public,internal")
    env.pop("PORTAL_REDIS_URL", None)
    if redis:
        env["PORTAL_REDIS_URL"] = redis
    return env


def in_process_app(url: str, secret: str):
    from portal import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                       "ENV": "development", "SECURE_COOKIES": False, "RATE_LIMITS_ENABLED": False,
                       "REDIS_URL": None})


def code_for(url: str, username: str):
    """The second-factor code of a user (their key from the database unless given), never one
    already used: the step after the last accepted one when that is the current step."""
    from sqlalchemy import create_engine, text

    from portal.services import two_factor

    def code(secret: str | None, attempt: int) -> str:
        last = None
        if secret is None:
            engine = create_engine(url)
            with engine.connect() as conn:
                secret, last = conn.execute(text("SELECT totp_secret, totp_last_step FROM users "
                                                 "WHERE username = :u"), {"u": username}).one()
            engine.dispose()
        step = two_factor.current_step() + attempt
        if last is not None and step <= last:
            step = last + 1
        return two_factor.code_at(secret, step)

    return code


def main(argv: list[str] | None = None) -> int:
    from portal.config import normalise_database_url

    args = options(argv)
    url = normalise_database_url(args.database_url)  # psycopg 3, as the portal uses
    chosen = [case for case in c.CASES if not args.only or case.key in args.only.split(",")]
    prepare.ensure_wrk()
    prepare.ensure_postgresql(url)
    prepare.ensure_database(url)
    secret = secrets.token_urlsafe(32)
    redis = prepare.redis_reachable()
    env = portal_env(url, secret, redis)
    prepare.migrate_and_load(url, env, args.fraction)
    fixtures = c.find_fixtures(url, args.province)
    header = machine(url, redis, args)
    header.append(f"Data: {fixtures.total_businesses:,} businesses; measured province {args.province}, "
                  f"as {', '.join(c.USERS[k].format(code=args.province) for k in c.USERS)}")
    app = in_process_app(url, secret)
    problems: list[str] = []
    try:
        lines, weights = serve_and_measure(args, url, env, app, fixtures, chosen, problems)
    finally:  # once the servers have stopped, so that no save is still under way
        removed = c.delete_batch_sessions(url)
        if removed:
            print(f"Removed the {removed:,} market meetings the batch save recorded.", flush=True)
    timing = None
    if args.import_rows:
        from bench.xlsx_import import time_import

        print(f"XLSX import of {args.import_rows:,} rows (rolled back)…", flush=True)
        timing = time_import(app, c.USERS["officer"].format(code=args.province), args.import_rows)
    report(header, lines, weights, timing, problems, args.output)
    return 0


def serve_and_measure(args, url: str, env: dict[str, str], app, fixtures: c.Fixtures, chosen: list[c.Case],
                      problems: list[str]) -> tuple[list[Line], dict]:
    """Both servers up; sign in, count, then load each request in turn."""
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    with Server("bench.hello:app", workers=args.workers, env=env, log=logs / "bench-hello.log") as hello, \
            Server("portal:create_app()", workers=args.workers, env=env, log=logs / "bench-portal.log") as portal:
        clients = signed_in_clients(portal.base, url, chosen, fixtures)
        bodies = {case.key: c.batch_form(fixtures, csrf_token(clients[case.user].request(case.path).text))
                  for case in chosen if case.method == "POST"}
        print("Counting queries and page weights…", flush=True)
        counts, weights = count_all(app, portal.base, chosen, fixtures, clients, bodies, problems)
        print(f"Load: hello route, {args.seconds} s…", flush=True)
        if args.warmup:
            run_wrk(hello.base + "/", seconds=args.warmup, connections=args.connections, threads=2)
        hello_load = run_wrk(hello.base + "/", seconds=args.seconds, connections=args.connections, threads=2)
        lines = [Line("Bare Flask “hello” route", hello_load, hello_load, is_hello=True)]
        for case in chosen:
            print(f"Load: {case.label}…", flush=True)
            measured = measure(portal, case, fixtures, clients, bodies, args, problems)
            if measured is not None:
                lines.append(Line(case.label, measured[0], hello_load, c.TARGETS.get(case.target or ""),
                                  counts.get(case.key), alone=measured[1]))
    return lines, weights


def signed_in_clients(base: str, url: str, chosen, fixtures: c.Fixtures) -> dict[str | None, Client]:
    from portal.demo import DEMO_PASSWORD

    clients: dict[str | None, Client] = {None: Client(base)}
    for case in chosen:
        if case.user and case.user not in clients:
            username = fixtures.username(case)
            print(f"Signing in as {username}…", flush=True)
            clients[case.user] = Client(base)
            sign_in(clients[case.user], username, DEMO_PASSWORD, code_for(url, username))
    return clients


def count_all(app, base: str, chosen, fixtures, clients, bodies, problems: list[str]):
    from bench.counting import count_queries, page_weight

    counts, weights = {}, {}
    for case in chosen:
        cookies = clients[case.user].cookies()
        path = fixtures.path(case)
        body = bodies.get(case.key)
        try:
            first_status, first, took = count_queries(app, path, cookies=cookies, method=case.method, body=body)
            second = first if took > SLOW_SECONDS else count_queries(
                app, path, cookies=cookies, method=case.method, body=body)[1]  # a slow page once is enough
        except Exception as error:  # noqa: BLE001 - said under the table; the load is measured all the same
            problems.append(f"{case.label}: counting its queries failed in process: {error!r}")
            continue
        counts[case.key] = (first, second)
        if first_status != case.expect:
            problems.append(f"{case.label}: answered {first_status} in process, not {case.expect}")
        if case.weigh:
            weights[case.label] = page_weight(base, path)
    return counts, weights


def measure(portal: Server, case: c.Case, fixtures: c.Fixtures, clients, bodies, args,
            problems: list[str]) -> tuple[LoadResult, bool] | None:
    """wrk on one request once a single request has answered as expected: (its figures, False).
    A request slower than SLOW_SECONDS on its own is not loaded (16 of them would only queue
    behind each other for minutes): (that one request's time, True). None: not measured."""
    client = clients[case.user]
    path = fixtures.path(case)
    body = bodies.get(case.key)
    headers = {"Cookie": client.cookie_header()} if case.user else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    probe_headers = {"Content-Type": headers["Content-Type"]} if body else None
    started = time.perf_counter()
    try:
        probe = client.request(path, body, headers=probe_headers)
    except OSError:
        problems.append(f"{case.label}: not measured, one request had no answer within {PROBE_TIMEOUT} s")
        portal.restart()
        return None
    took = time.perf_counter() - started
    if probe.status != case.expect:
        where = f" (to {probe.headers['location']})" if probe.headers.get("location") else ""
        problems.append(f"{case.label}: not measured, {path} answered {probe.status}{where} instead of "
                        f"{case.expect}")
        return None
    if took > SLOW_SECONDS:
        ms = took * 1000
        return LoadResult(requests=1, seconds=took, bytes=len(probe.body), status_errors=0, socket_errors=0,
                          p50_ms=ms, p95_ms=ms, p99_ms=ms, max_ms=ms), True
    kwargs = dict(connections=args.connections, threads=2, method=case.method, body=body, headers=headers)
    if args.warmup:
        _settle(portal, run_wrk(portal.base + path, seconds=args.warmup, **kwargs), client, path, body, probe_headers)
    result = run_wrk(portal.base + path, seconds=args.seconds, **kwargs)
    _settle(portal, result, client, path, body, probe_headers)
    return result, False


def _settle(portal: Server, result: LoadResult, client: Client, path: str, body, headers) -> None:
    """Let what a wrk run left queued be answered before the next one, or restart the portal
    when that would take long (requests timed out or took seconds)."""
    if not result.socket_errors and result.max_ms < SLOW_SECONDS * 1000:
        try:
            client.request(path, body, headers=headers, timeout=30)  # answered after the queue
            return
        except OSError:
            pass
    portal.restart()


def report(header: list[str], lines: list[Line], weights, timing, problems: list[str], output: Path) -> None:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [("Requests under load", LOAD_HEADER, load_rows(lines))]
    if weights:
        sections.append(("What a browser downloads (page + linked CSS + scripts, as served)", WEIGHT_HEADER,
                         weight_rows(weights)))
    if timing:
        sections.append(("Registry import, in process, rolled back", IMPORT_HEADER, import_rows(timing)))
    notes = ["“SQL”: statements of one request, counted in process with the Flask test client "
             "(a→b: the first request, then the same again).",
             f"Load average after the run: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (1, 5, 15 min).",
             *problems]
    print()
    print(f"Benchmark, {when}")
    print("\n".join(header))
    for title, head, rows in sections:
        print(f"\n{title}\n{text_table(head, rows)}")
    print("\n" + "\n".join(notes))
    markdown = [f"Run of {when}.", "", *(f"- {line}" for line in header)]
    for title, head, rows in sections:
        markdown += ["", f"**{title}**", "", markdown_table(head, rows)]
    markdown += ["", *(f"- {note}" for note in notes)]
    output.write_text("\n".join(markdown) + "\n")
    print(f"\nWritten to {output}")
