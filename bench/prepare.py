"""Everything the benchmark needs before it measures: wrk, a running PostgreSQL server, the
bench database migrated and holding the national data set. Each step is skipped when done."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.load import ROOT
from portal.demo_national import MARKER as LOADED_MARKER  # the audit action the loader writes last

FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "portal"]


def say(message: str) -> None:
    print(message, flush=True)


def apt_install(*packages: str) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True,
                   env=env, stdout=subprocess.DEVNULL)


def ensure_wrk() -> None:
    if not shutil.which("wrk"):
        say("Installing wrk (Debian's package)…")
        apt_install("wrk")


def server_url(url: str) -> str:
    """The same server, its maintenance database."""
    return make_url(url).set(database="postgres").render_as_string(hide_password=False)


def _answers(url: str) -> bool:
    engine = create_engine(server_url(url))
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 - any failure to connect means: not running (yet)
        return False
    finally:
        engine.dispose()


def ensure_postgresql(url: str) -> None:
    """Start the local PostgreSQL cluster when it does not answer (as .ci/run does); install
    Debian's postgresql first when there is none."""
    if _answers(url):
        return
    host = make_url(url).host or "localhost"
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"The PostgreSQL server at {host} does not answer.")
    if not Path("/etc/postgresql").is_dir():
        say("Installing PostgreSQL (Debian's package)…")
        apt_install("postgresql")
    for version in sorted(os.listdir("/etc/postgresql")):
        say(f"Starting PostgreSQL {version}…")
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    for _ in range(30):
        if _answers(url):
            return
        time.sleep(1)
    sys.exit(f"PostgreSQL does not accept {make_url(url).render_as_string(hide_password=True)}: start it, or set "
             "PORTAL_BENCH_DATABASE_URL to a server and user that can create databases.")


def ensure_database(url: str) -> None:
    name = make_url(url).database
    engine = create_engine(server_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                say(f"Creating the database {name}…")
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


def is_loaded(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT to_regclass('audit_entries') IS NOT NULL")):
                return False
            return bool(conn.scalar(text("SELECT 1 FROM audit_entries WHERE action = :marker LIMIT 1"),
                                    {"marker": LOADED_MARKER}))
    finally:
        engine.dispose()


def migrate_and_load(url: str, env: dict[str, str], fraction: float) -> None:
    """flask db upgrade, then the national data set unless it is there (the loader is idempotent;
    asking first spares a second import of the whole portal)."""
    say("Migrating the bench database (flask db upgrade)…")
    subprocess.run([*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True)
    if is_loaded(url):
        return
    say("Loading the national data set (flask --app portal demo --scale national); about 7 minutes on "
        "2 cores…")
    command = [*FLASK, "demo", "--scale", "national"]
    if fraction < 1:
        command += ["--fraction", str(fraction)]
    subprocess.run(command, env=env, cwd=ROOT, check=True)


def redis_reachable(url: str = "redis://127.0.0.1:6379/0") -> str | None:
    """The Redis URL when a server answers there, for the rate limits and caches every worker shares."""
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5).ping()
        return url
    except Exception:  # noqa: BLE001 - not there: each worker keeps its own memory
        return None
