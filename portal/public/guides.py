"""Guides to spotting fakes: the public list, search and one page per guide."""
from __future__ import annotations

from portal.public import bp  # noqa: F401
