"""Response headers that every page carries: a strict Content-Security-Policy and friends."""
from __future__ import annotations

from flask import Flask, abort, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def init_app(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes():
        """No text the portal keeps may hold a NUL character (PostgreSQL refuses it)."""
        values = list(request.args.values()) + (list(request.form.values()) if request.form else [])
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.blueprint and request.blueprint.startswith("internal"):
            headers["Cache-Control"] = "no-store"
        return response
