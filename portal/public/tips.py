"""Citizens' tips: the form, and following a tip with its receipt code."""
from __future__ import annotations

from portal.public import bp  # noqa: F401
