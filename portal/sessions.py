"""Flask-Login wired to server-side sessions: the cookie holds a random token that the
database must still know, so signing out or locking an account ends the session everywhere."""
from __future__ import annotations

from flask import Flask, request, session
from flask_login import login_user, logout_user

from portal.extensions import db, login_manager
from portal.models import User
from portal.services import auth

TOKEN_KEY = "sid"


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "internal.auth.login"
    login_manager.session_protection = None  # the server-side session does this job
    login_manager.user_loader(_load_user)


def _load_user(user_id: str) -> User | None:
    user = auth.user_for_token(session.get(TOKEN_KEY))
    if db.session.info.pop(auth.SESSION_CHANGED, False):
        db.session.commit()  # touched or ended: keep that even on a read-only request
    if user is None or str(user.id) != user_id:
        return None
    return user


def client() -> auth.Client:
    return auth.Client(ip=request.remote_addr, user_agent=request.user_agent.string)


def sign_in(user: User) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session at sign-in (ASVS 7.2.4)
    if lang:
        session["lang"] = lang
    session[TOKEN_KEY] = auth.start_session(user, client())
    login_user(user, remember=False)


def sign_out(user: User | None) -> None:
    auth.end_session(session.get(TOKEN_KEY), user)
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang


def current_token() -> str | None:
    return session.get(TOKEN_KEY)
