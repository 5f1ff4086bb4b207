"""Check a business: its commitment and published violations, and its QR sticker page."""
from __future__ import annotations

from portal.public import bp  # noqa: F401
