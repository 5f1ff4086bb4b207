"""Test fixtures. The suite runs on SQLite, and also on PostgreSQL when
PORTAL_TEST_DATABASE_URL is set (every database test then runs once per database)."""
from __future__ import annotations

import contextvars
import os

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db
from portal.models import AuditEntry
from portal.services.areas import load_areas
from tests.helpers import Browser

#: Tables of reference data, loaded once per database and kept between tests.
REFERENCE_TABLES = {"provinces", "wards", "goods_categories", "alembic_version"}

FAST_HASHING = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, "ARGON2_PARALLELISM": 1}


def database_urls(tmp_root) -> dict[str, str]:
    urls = {"sqlite": f"sqlite:///{tmp_root / 'portal-test.sqlite3'}"}
    pg = os.environ.get("PORTAL_TEST_DATABASE_URL")
    if pg:
        urls["postgresql"] = worker_database(normalise_database_url(pg))
    return urls


def worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets a database of its own on the same server
    (``test_gw0``, ``test_gw1``…), created on first use, so parallel workers never
    truncate each other's rows."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return parsed.set(database=name).render_as_string(hide_password=False)


def pytest_generate_tests(metafunc):
    if "database_name" in metafunc.fixturenames:
        names = ["sqlite"] + (["postgresql"] if os.environ.get("PORTAL_TEST_DATABASE_URL") else [])
        metafunc.parametrize("database_name", names, scope="session")


def config_for(url: str, tmp_path, **overrides) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret-key-not-for-production",
            "WTF_CSRF_ENABLED": False, "SERVER_NAME": None, **FAST_HASHING, **overrides}


def reset_schema(url: str) -> None:
    """Drop everything, so the schema is built from the migrations alone."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


#: Databases already migrated, by name: pytest sets a parametrised session fixture up again each
#: time the tests switch from one database to the other, and migrating takes seconds.
_prepared: dict[str, str] = {}


@pytest.fixture(scope="session")
def database(database_name, tmp_path_factory):
    """A database migrated to head with the areas loaded, once per test session."""
    if database_name in _prepared:
        return _prepared[database_name]
    root = tmp_path_factory.mktemp(database_name)
    url = database_urls(root)[database_name]
    reset_schema(url)
    app = create_app(config_for(url, root))
    with app.app_context():
        upgrade()
        load_areas()
        # Loading the areas leaves its trail; every test starts with no rows but the reference data.
        db.session.execute(AuditEntry.__table__.delete())
        db.session.commit()
        db.engine.dispose()
    _prepared[database_name] = url
    return url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production, even though the test
    itself holds one open (otherwise ``g`` and the database session would leak between
    requests: the signed-in user, the CSRF token, the chosen language)."""

    def open(self, *args, **kwargs):
        # End the test's own transaction first: what it set up is then visible to the
        # request, and what the request commits is visible to the test afterwards.
        db.session.commit()

        def run():
            _cv_app.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(run)


def clear_data(app) -> None:
    """Empty every table but the reference data."""
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def app(database, tmp_path, request):
    """The portal on the test database; CSRF on only for tests marked ``csrf``."""
    overrides = {}
    if request.node.get_closest_marker("csrf"):
        overrides["WTF_CSRF_ENABLED"] = True
    marker = request.node.get_closest_marker("config")
    if marker:
        overrides.update(marker.kwargs)
    app = create_app(config_for(database, tmp_path, **overrides))
    app.instance_path = str(tmp_path)  # uploads go to the test's own folder
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        db.session.rollback()
    clear_data(app)


#: What the demo loader wrote, per database: loading it through the services takes many seconds,
#: so the first test of a session that needs it runs the real loader and later ones copy its rows.
_demo_rows: dict[str, dict[str, list[dict]]] = {}


@pytest.fixture
def demo(app, database):
    """The demo data (portal.demo.load_demo) in the test database."""
    from portal.demo import load_demo

    rows = _demo_rows.get(database)
    tables = [table for table in db.metadata.sorted_tables if table.name not in REFERENCE_TABLES]
    # Rows a test wrote first (its audit trail, say) would collide with the copy's ids: load for real.
    empty = not any(db.session.execute(table.select().limit(1)).first() for table in tables)
    if rows is None or not empty:
        load_demo()
        db.session.commit()
        if empty:
            _demo_rows[database] = {table.name: [dict(row._mapping) for row in db.session.execute(table.select())]
                                    for table in tables}
        return
    db.session.commit()
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        # Rows go back in dependency order; self-references (a unit's parent) are checked at the end.
        conn.execute(text("SET LOCAL session_replication_role = replica" if postgres
                          else "PRAGMA defer_foreign_keys = ON"))
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
                key = table.autoincrement_column
                if postgres and key is not None:  # the next row gets the next id, as after the loader
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{key.name}'), "
                                      f"(SELECT max({key.name}) FROM {table.name}))"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def web(client):
    return Browser(client)


@pytest.fixture
def world(app):
    """A small tree of units and one user per role; see tests/factories.py."""
    from tests.factories import build_world

    return build_world()
