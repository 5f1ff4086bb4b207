"""Helpers that request a page, check the status and hand back something easy to assert on."""
from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.factories import PASSWORD


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
        return self.post("/internal/login", {"username": user.username, "password": password}, status=303)

    def sign_out(self) -> Page:
        return self.post("/internal/logout", status=303)
