"""Guides to spotting fakes: staff write, illustrate and publish them."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("guides", __name__)
