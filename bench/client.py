"""A small HTTP client for the benchmark: cookies kept, redirects not followed, and signing in
to the staff area through the real forms (password, then the second factor when asked)."""
from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
SETUP_SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: dict | str | None = None, headers: dict[str, str] | None = None,
                timeout: float = 300) -> Answer:
        body = urllib.parse.urlencode(data, doseq=True) if isinstance(data, dict) else data
        request = urllib.request.Request(self.base + path, data=body.encode() if body is not None else None,
                                         headers=headers or {})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def cookies(self) -> dict[str, str]:
        return {c.name: c.value for c in self.jar}


def csrf_token(page: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1) or match.group(2)


class SignInFailed(RuntimeError):
    pass


def sign_in(client: Client, username: str, password: str, code_for: Callable[[str | None, int], str]) -> None:
    """Sign in through /internal/login. When the portal asks for the second factor
    (/internal/login/code) or to set one up first (/internal/account/two-factor), answer with
    ``code_for(secret, attempt)``: the code of the user's key (None: the key in the database),
    ``attempt`` 0 for the current time step and 1 for the next (a code is accepted once)."""
    form = client.request("/internal/login")
    answer = client.request("/internal/login", {"username": username, "password": password,
                                                "csrf_token": csrf_token(form.text)})
    if answer.status != 303:
        raise SignInFailed(f"{username}: the sign-in form answered {answer.status}")
    if answer.location.endswith("/login/code"):
        answer = _second_factor(client, "/internal/login/code", None, code_for)
    landing = client.request("/internal/")
    if landing.status in (302, 303) and landing.location.endswith("/account/two-factor"):
        page = client.request("/internal/account/two-factor").text
        secret = SETUP_SECRET.search(page)
        if not secret:
            raise SignInFailed(f"{username}: the second factor must be set up, and its key was not found")
        _second_factor(client, "/internal/account/two-factor", secret.group(1).replace(" ", ""), code_for,
                       done=200)
        landing = client.request("/internal/")
    if landing.status != 200:
        raise SignInFailed(f"{username}: after signing in, My work answered {landing.status} "
                           f"{landing.headers.get('location', '')}")


def _second_factor(client: Client, path: str, secret: str | None, code_for, *, done: int = 303) -> Answer:
    for attempt in (0, 1):
        page = client.request(path).text
        answer = client.request(path, {"code": code_for(secret, attempt), "csrf_token": csrf_token(page)})
        if answer.status == done:
            return answer
    raise SignInFailed(f"{path} refused the code ({answer.status})")
