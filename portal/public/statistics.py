"""Statistics for journalists: figures by month, province and goods category."""
from __future__ import annotations

from portal.public import bp  # noqa: F401
