"""The declarative base, column types and small mixins shared by every model."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, MetaData, String, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    with_loader_criteria,
)
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An instant, always handed to Python as an aware UTC datetime.

    PostgreSQL keeps the zone itself; SQLite has none, so UTC is stored without it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class StoredImageMixin:
    """An image from outside, re-encoded without metadata (services/images.py) and kept in the
    instance folder under a random name the server chose."""

    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    mime_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def trigram_index(name: str, column: str) -> Index:
    """An index for ``LIKE '%words%'`` searches: GIN with pg_trgm's operator class on PostgreSQL
    (the migration creates the extension), a plain index on SQLite, which has no trigrams."""
    return Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})


class SoftDeleteMixin:
    """A record staff delete only softly: deleting sets ``deleted_at`` and ``deleted_by_id``, and
    the record can be restored. Every ORM query leaves deleted rows out (lists, ``Session.get``,
    relationships, subqueries, the public site) unless it asks otherwise with the execution option
    ``include_deleted=True`` (a "recently deleted" list, a restore)."""

    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def deleted_by(cls) -> Mapped[Any]:
        return relationship("User", foreign_keys=[cls.deleted_by_id])

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@event.listens_for(Session, "do_orm_execute")
def _hide_soft_deleted(state: ORMExecuteState) -> None:
    if state.is_select and not state.is_column_load and not state.execution_options.get("include_deleted"):
        state.statement = state.statement.options(with_loader_criteria(
            SoftDeleteMixin, lambda cls: cls.deleted_at.is_(None), include_aliases=True))


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys on, and real transactions (pysqlite's own handling breaks SAVEPOINT)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


@event.listens_for(Engine, "connect")
def _postgresql_settings(dbapi_connection, _record):
    """No JIT compilation on PostgreSQL: the planner's cost estimates over the national tables
    start it on ordinary page queries, and compiling then takes hundreds of milliseconds that the
    query itself does not need."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    # IMMEDIATE: a transaction takes the write lock when it starts, so two requests wait
    # for each other (busy_timeout) instead of one failing when it turns from reading to writing.
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@event.listens_for(Engine, "handle_error")
def _no_row_values_in_errors(context: ExceptionContext):
    """PostgreSQL explains some refusals with the values of the row ("Failing row contains (…)",
    "Key (…)=(…) already exists"), and that text would reach the error log with the traceback:
    a tip sender's contact with it. Keep the primary message only (the statement's parameters are
    hidden as well: ``hide_parameters`` in config.py)."""
    error = context.original_exception
    diag = getattr(error, "diag", None)
    if diag is None or not getattr(diag, "message_detail", None):
        return None
    error.args = (diag.message_primary or type(error).__name__,)
    if context.sqlalchemy_exception is None:
        return None
    executing = context.execution_context
    return DBAPIError.instance(context.statement, context.parameters, error, context.dialect.loaded_dbapi.Error,
                               hide_parameters=context.engine.hide_parameters if context.engine else True,
                               connection_invalidated=context.is_disconnect, dialect=context.dialect,
                               ismulti=bool(executing is not None and executing.executemany))
