"""Browser tests: the portal served on loopback, driven by Playwright in Debian's Chromium.

No browser is ever downloaded: `make test` installs Debian's chromium package and
Playwright is pointed at it. The server runs on its own SQLite database with the demo data.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask_migrate import upgrade

from portal import create_app
from portal.demo import load_demo
from portal.extensions import db
from portal.services.areas import load_areas
from tests.conftest import FAST_HASHING
from tests.helpers import served

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


#: The demo database the session built first, untouched; every server starts from a copy of it.
_demo_template: list[Path] = []


def _demo_database(path: Path) -> None:
    """A fresh copy of the demo database at ``path`` (the demo is loaded once per session)."""
    if not _demo_template:
        template = path.with_name("demo-template.sqlite3")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}", "SECRET_KEY": "e2e-demo-template",
                          **FAST_HASHING})
        with app.app_context():
            upgrade()
            load_areas()
            load_demo()
            db.session.commit()
            db.engine.dispose()
        _demo_template.append(template)
    with sqlite3.connect(_demo_template[0]) as source, sqlite3.connect(path) as target:
        source.backup(target)


@contextmanager
def serve_demo(root, prepare=None):
    """The demo on its own SQLite database in ``root``, served on loopback: yields its address and
    what ``prepare`` (called with the demo loaded) returned."""
    path = root / "e2e.sqlite3"
    _demo_database(path)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
                      "SECRET_KEY": "e2e-secret-key-not-for-production", **FAST_HASHING})
    app.instance_path = str(root)
    with app.app_context():
        prepared = prepare() if prepare else None
        db.session.commit()
    with served(app) as base:
        yield base, prepared


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    with serve_demo(tmp_path_factory.mktemp("e2e")) as (base, _nothing):
        yield base


@pytest.fixture
def csp_violations(page):
    """Console errors the page logs, such as Content-Security-Policy refusals."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors
