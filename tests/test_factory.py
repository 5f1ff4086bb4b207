"""The app factory: configuration layers, production safety, and serving one half alone."""
import pytest

from portal import create_app


def test_defaults_are_vietnamese_and_vietnam_time(app):
    assert app.config["BABEL_DEFAULT_LOCALE"] == "vi"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Ho_Chi_Minh"


def test_sqlite_in_instance_folder_is_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/portal.sqlite3")


def test_environment_variables_configure_the_app(monkeypatch):
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql://portal@db.example/portal")
    monkeypatch.setenv("PORTAL_SESSION_IDLE_MINUTES", "15")
    app = create_app({"TESTING": True, "SECRET_KEY": "x" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://portal@db.example/portal"
    assert app.config["SESSION_IDLE_MINUTES"] == 15


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_uses_secure_host_only_cookies(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "s" * 40)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-portal"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_unknown_site_name_is_refused():
    with pytest.raises(RuntimeError, match="PORTAL_SITES"):
        create_app({"SITES": "public,backoffice", "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.config(SITES="public")
def test_public_only_deployment_has_no_staff_area(web):
    assert web.get("/").status == 200
    web.get("/internal/login", status=404)
    web.get("/internal/", status=404)


@pytest.mark.config(SITES="internal")
def test_internal_only_deployment_has_no_public_site(web):
    web.get("/", status=404)
    web.get("/hotlines", status=404)
    assert web.get("/internal/login").status == 200


def test_htmx_is_served_from_the_npm_package(web):
    response = web.client.get("/vendor/htmx.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"htmx" in response.data[:2000]
    web.get("/vendor/../../etc/passwd", status=404)
    web.get("/vendor/other.js", status=404)
