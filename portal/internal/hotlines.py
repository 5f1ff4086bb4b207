"""Hotlines: staff manage the numbers each unit publishes."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("hotlines", __name__)
