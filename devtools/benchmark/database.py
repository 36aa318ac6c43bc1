"""The benchmark's own database: named after the configured one, created fresh for each run.

The command talks to the server through a separate autocommit connection to the
``postgres`` maintenance database, so the configured database is only read for its
connection details and never written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

from .names import DATABASE_SUFFIX

MAX_NAME = 63  # PostgreSQL's identifier limit


def benchmark_database_name(configured_name: str) -> str:
    """``<configured name>_benchmark``, shortened so the suffix always survives."""
    return configured_name[: MAX_NAME - len(DATABASE_SUFFIX)] + DATABASE_SUFFIX


def database_url(settings_dict: dict, name: str) -> str:
    """A ``postgres://`` URL with the configured credentials and the database ``name``."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(name, safe='')}"


def _maintenance_connection(settings_dict: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        autocommit=True,
    )


def template_name(name: str) -> str:
    """The migrated, empty database runs are copied from: ``<name>_template_benchmark``."""
    stem = name[: -len(DATABASE_SUFFIX)]
    return stem[: MAX_NAME - len("_template" + DATABASE_SUFFIX)] + "_template" + DATABASE_SUFFIX


def migrations_fingerprint() -> str:
    """A hash of every installed app's migration files: the template is stale when it moves."""
    from django.apps import apps

    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def template_is_current(settings_dict: dict, template: str, fingerprint: str) -> bool:
    with _maintenance_connection(settings_dict) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [template],
        ).fetchone()
    return row is not None and row[0] == fingerprint


def create_template(settings_dict: dict, template: str, fingerprint: str, migrate) -> None:
    """(Re)create the template empty, let ``migrate(template)`` migrate it, then mark it."""
    recreate_database(settings_dict, template)
    migrate(template)
    with _maintenance_connection(settings_dict) as connection:
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(template), sql.Literal(fingerprint)
            )
        )


def recreate_database(settings_dict: dict, name: str, *, template: str | None = None) -> None:
    """Drop ``name`` if a previous run left it, and create it (a copy of ``template``)."""
    if not name.endswith(DATABASE_SUFFIX):
        raise ValueError(f"Refusing to recreate {name!r}: not a benchmark database.")
    with _maintenance_connection(settings_dict) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        connection.execute(create)


def drop_database(settings_dict: dict, name: str) -> None:
    """Remove the benchmark database (``--keep`` skips this)."""
    if not name.endswith(DATABASE_SUFFIX):
        raise ValueError(f"Refusing to drop {name!r}: not a benchmark database.")
    with _maintenance_connection(settings_dict) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
