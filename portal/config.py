"""Configuration: safe defaults, then PORTAL_* environment variables, then test overrides.

Every setting an operator may change is read from an environment variable named
``PORTAL_<NAME>``; the README lists them.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

DEV_SECRET_FILE = "secret_key"

#: Which halves of the portal this process serves: "public", "internal" or both.
SITES = ("public", "internal")


class Defaults:
    ENV = "development"
    SITES = "public,internal"
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite file in the instance folder
    # hide_parameters: no statement's values in a log line or an error message (a tip sender's contact
    # among them), even with SQLAlchemy's echo turned on
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = "../translations"
    LANGUAGES = ("vi", "en")
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the signed-in session
    SECURE_COOKIES: bool | None = None  # None: on in production, off in development
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_IDLE_MINUTES = 30
    SESSION_ABSOLUTE_HOURS = 12
    SIGN_IN_MAX_FAILURES = 5  # per user name within the window
    SIGN_IN_MAX_FAILURES_PER_IP = 20
    SIGN_IN_WINDOW_MINUTES = 15
    PASSWORD_MIN_LENGTH = 12
    TWO_FACTOR_REQUIRED_ROLES = ("admin", "leader")  # must set up a second factor before anything else
    # argon2id parameters (OWASP minimum is m=19 MiB, t=2, p=1; these are stronger)
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4
    MAX_CONTENT_LENGTH = 50 * 1024 * 1024  # above the largest upload (20 MB) plus the form
    PROXY_FIX = 0  # number of trusted reverse proxies in front of the portal
    NODE_MODULES = None  # where npm installed htmx; default: next to the package
    PUBLIC_BASE_URL: str | None = None  # e.g. https://chonghanggia.gov.vn, for links printed on paper
    REDIS_URL: str | None = None  # shared rate limits (and caches) for every worker; memory when None
    RATE_LIMITS: dict = {}  # bucket -> (hits, seconds), over portal.ratelimit.DEFAULT_LIMITS
    RATE_LIMITS_ENABLED = True
    # The cache of public pages (portal/cache.py): in Redis with REDIS_URL, else in each process's memory
    PAGE_CACHE_ENABLED: bool | None = None  # None: on, except in tests
    PAGE_CACHE_SECONDS: int | None = None  # how long a page is kept; None: 300 s with Redis, 30 s in memory
    PAGE_CACHE_MAX_BYTES = 4 * 1024 * 1024  # a larger page or download is served but not kept
    PAGE_CACHE_MEMORY_BYTES = 64 * 1024 * 1024  # the most one process keeps in memory
    PAGE_CACHE_NAMESPACE = "portal"  # starts its Redis keys: give each deployment sharing a Redis its own
    # Email reminders of report deadlines (flask --app portal send-reminders); no MAIL_SERVER: planned, not sent
    MAIL_SERVER: str | None = None
    MAIL_PORT: int | None = None  # None: 25, or 465 with MAIL_USE_SSL
    MAIL_USE_TLS = False  # STARTTLS after connecting (port 587)
    MAIL_USE_SSL = False  # TLS from the first byte (SMTPS, port 465)
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "no-reply@localhost"
    MAIL_TIMEOUT = 30  # seconds
    REMINDER_DAYS_BEFORE = 2  # the first reminder, this many days before a deadline
    REMINDER_LOOKBACK_DAYS = 30  # deadlines missed longer ago than this are not written about any more
    REMINDER_MAX_ATTEMPTS = 20  # a message that failed this often is left for a person to look at
    INTERNAL_BASE_URL = "http://127.0.0.1:5000"  # the staff area's address, for links in reminders


def _env(name: str) -> str | None:
    value = os.environ.get(f"PORTAL_{name}")
    return value if value not in (None, "") else None


def from_environment() -> dict:
    """Read the PORTAL_* variables an operator may set."""
    conf: dict = {}
    for key, cast in (
        ("ENV", str),
        ("SITES", str),
        ("SECRET_KEY", str),
        ("SECURE_COOKIES", _bool),
        ("SESSION_IDLE_MINUTES", int),
        ("SESSION_ABSOLUTE_HOURS", int),
        ("PROXY_FIX", int),
        ("NODE_MODULES", str),
        ("REDIS_URL", str),
        ("PUBLIC_BASE_URL", str),
        ("RATE_LIMITS_ENABLED", _bool),
        ("PAGE_CACHE_ENABLED", _bool),
        ("PAGE_CACHE_SECONDS", int),
        ("PAGE_CACHE_NAMESPACE", str),
        ("MAIL_SERVER", str),
        ("MAIL_PORT", int),
        ("MAIL_USE_TLS", _bool),
        ("MAIL_USE_SSL", _bool),
        ("MAIL_USERNAME", str),
        ("MAIL_PASSWORD", str),
        ("MAIL_SENDER", str),
        ("MAIL_TIMEOUT", int),
        ("REMINDER_DAYS_BEFORE", int),
        ("REMINDER_LOOKBACK_DAYS", int),
        ("REMINDER_MAX_ATTEMPTS", int),
        ("INTERNAL_BASE_URL", str),
    ):
        value = _env(key)
        if value is not None:
            conf[key] = cast(value)
    url = _env("DATABASE_URL")
    if url:
        conf["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)
    return conf


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def finish(app) -> None:
    """Fill in values that depend on other values, and refuse unsafe production settings."""
    conf = app.config
    if not conf.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        conf["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "portal.sqlite3")
    raw = conf["SITES"]
    sites = set(raw) if isinstance(raw, (set, frozenset, list, tuple)) else {
        s.strip() for s in str(raw).split(",") if s.strip()}
    unknown = sites - set(SITES)
    if not sites or unknown:
        raise RuntimeError(f"PORTAL_SITES must name public, internal or both, not {conf['SITES']!r}")
    conf["SITES"] = sites
    production = conf["ENV"] == "production"
    if not conf.get("SECRET_KEY"):
        if production:
            raise RuntimeError("PORTAL_SECRET_KEY must be set in production")
        conf["SECRET_KEY"] = _development_secret(Path(app.instance_path))
    if production and "internal" in sites and not conf.get("PUBLIC_BASE_URL"):
        app.logger.warning("PORTAL_PUBLIC_BASE_URL is not set: QR stickers printed here would point at this host")
    if production and conf["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.logger.warning("Running in production on SQLite; PostgreSQL is the production database")
    if conf["SECURE_COOKIES"] is None:
        conf["SECURE_COOKIES"] = production
    if conf["SECURE_COOKIES"]:
        conf["SESSION_COOKIE_SECURE"] = True
        conf["SESSION_COOKIE_NAME"] = "__Host-portal"
    else:
        conf["SESSION_COOKIE_NAME"] = "portal"


def _development_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so development sessions survive restarts."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / DEV_SECRET_FILE
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
