"""Password hashing (argon2id) and the rules a new password must meet (OWASP ASVS 5.0, 6.2)."""
from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MAX_LENGTH = 128


def _hasher() -> PasswordHasher:
    conf = current_app.config
    return PasswordHasher(
        time_cost=conf["ARGON2_TIME_COST"],
        memory_cost=conf["ARGON2_MEMORY_COST"],
        parallelism=conf["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)


@cache
def _common_passwords() -> frozenset[str]:
    text = files("portal.data").joinpath("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, username: str = "", full_name: str = "") -> list:
    """What is wrong with a proposed password, as messages for the user; empty when it is fine.

    Length and a list of common passwords, no composition rules (ASVS 6.2.1, 6.2.4, 6.2.5).
    """
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(_l("Use at least %(num)d characters.", num=minimum))
    if len(password) > MAX_LENGTH:
        problems.append(_l("Use at most %(num)d characters.", num=MAX_LENGTH))
    lowered = password.lower()
    if lowered in _common_passwords():
        problems.append(_l("This password is too common; choose another."))
    if username and username.lower() in lowered:
        problems.append(_l("The password must not contain your user name."))
    if full_name and lowered == full_name.lower():
        problems.append(_l("The password must not be your name."))
    return problems
