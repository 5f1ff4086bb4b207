"""Errors the services raise; the web layer turns them into pages."""
from __future__ import annotations


class AccessDenied(Exception):
    """The actor may not see or change this object (out of scope, or missing role)."""


class ValidationFailed(Exception):
    """A rule of the domain refused the change. ``errors`` maps a field name (or "") to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class ConflictingEdit(Exception):
    """Someone else saved the record after this form was opened."""
