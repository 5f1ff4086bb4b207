"""The schema exists only through migrations, and the migrations match the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.extensions import db
from tests.conftest import config_for


def _fresh_url(database: str, tmp_path) -> tuple[str, callable]:
    """An empty database of the same kind as the test database."""
    if database.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}", lambda: None
    base = create_engine(database, isolation_level="AUTOCOMMIT")
    name = base.url.database + "_migrations"
    with base.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with base.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        base.dispose()

    return base.url.set(database=name).render_as_string(hide_password=False), drop


def test_migrations_build_the_schema_the_models_describe(database, tmp_path):
    url, drop = _fresh_url(database, tmp_path)
    try:
        app = create_app(config_for(url, tmp_path))
        with app.app_context():
            assert inspect(db.engine).get_table_names() == []
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                        db.metadata)
            assert diff == [], f"models and migrations differ: {diff}"
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert "units" in inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        drop()
