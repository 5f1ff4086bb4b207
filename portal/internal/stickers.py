"""Printable stickers with a QR code for businesses that signed a commitment."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("stickers", __name__)
