"""Helpers that request a page, check the status and hand back something easy to assert on."""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from bs4 import BeautifulSoup
from sqlalchemy import select, update
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import User
from portal.services import two_factor
from tests.factories import PASSWORD


@contextmanager
def served(app, threaded: bool = True) -> Iterator[str]:
    """The app on a loopback port, for what must go over real HTTP (a browser, a load client,
    the server's own request log); yields the base address."""
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def text(self) -> str:
        return re.sub(r"\s+", " ", self.soup.get_text(" ")).strip()

    def field_error(self, field_id: str) -> str:
        node = self.soup.find(id=f"{field_id}-error")
        return node.get_text(" ", strip=True) if node else ""

    def value(self, field_id: str) -> str | None:
        node = self.soup.find(id=field_id)
        if node is None:
            return None
        if node.name == "select":
            chosen = node.find("option", selected=True)
            return chosen.get("value") if chosen else None
        if node.name == "textarea":  # browsers drop the newline that starts a textarea
            return node.get_text().removeprefix("\r\n").removeprefix("\n")
        return node.get("value")

    def csrf_token(self) -> str:
        return self.soup.find("meta", attrs={"name": "csrf-token"})["content"]


class Browser:
    """The Flask test client with the habits of a person: open a page, send a form."""

    def __init__(self, client):
        self.client = client

    def get(self, url: str, status: int = 200, **kwargs) -> Page:
        page = Page(self.client.get(url, **kwargs))
        assert page.status == status, f"GET {url}: {page.status} (wanted {status})\n{page.text()[:600]}"
        return page

    def post(self, url: str, data: dict | None = None, status: int = 200, **kwargs) -> Page:
        page = Page(self.client.post(url, data=data or {}, **kwargs))
        assert page.status == status, f"POST {url}: {page.status} (wanted {status})\n{page.text()[:600]}"
        return page

    def sign_in(self, user, password: str = PASSWORD) -> Page:
        """Sign in through the form, and through the code step when the user has a second factor;
        returns the last answer (a 303 to where the user lands)."""
        page = self.post("/internal/login", {"username": user.username, "password": password,
                                             **self._csrf("/internal/login")}, status=303)
        if page.response.headers["Location"].endswith("/internal/login/code"):
            page = self.post("/internal/login/code", {"code": current_code(user), **self._csrf("/internal/login/code")},
                             status=303)
        return page

    def _csrf(self, url: str) -> dict:
        """The form's token, when the test runs with CSRF switched on."""
        if not self.client.application.config["WTF_CSRF_ENABLED"]:
            return {}
        return {"csrf_token": Page(self.client.get(url, follow_redirects=True)).csrf_token()}

    def sign_out(self) -> Page:
        return self.post("/internal/logout", status=303)


def current_code(user) -> str:
    """The code the user's authenticator app shows now. The step of the last accepted code is
    forgotten first, so that signing in twice within 30 seconds is not refused as a replay."""
    users = User.__table__  # a Core UPDATE: no version change, no audit trail of a test's shortcut
    db.session.connection().execute(update(users).where(users.c.id == user.id).values(totp_last_step=None))
    db.session.commit()
    secret = db.session.scalar(select(User.totp_secret).where(User.id == user.id))
    return two_factor.code_at(secret, two_factor.current_step())
