"""Bulk SQL the ORM does not write well, in one place, for PostgreSQL and SQLite alike."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

#: SQLite allows 32,766 parameters per statement; stay well below it.
_MAX_PARAMETERS = 30_000


def is_postgresql() -> bool:
    """Whether the default database is PostgreSQL (production, the integration tests)."""
    return connection.vendor == "postgresql"


def bulk_update_values(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[str],
    *,
    batch_size: int = 1000,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Write ``fields`` of ``objs`` (found by primary key) with one ``UPDATE ... FROM`` a
    ``VALUES`` list per batch; return the number of rows updated.

    ``bulk_update`` builds one ``CASE`` per field over the whole batch, which costs more to
    build and to plan than the work (a second per thousand people, and more than grading a
    batch of quiz attempts); a statement per row costs a round trip each. Each value is
    prepared by its model field as ``save()`` prepares it. PostgreSQL needs each value cast
    to its column's type (parameters arrive untyped in a ``VALUES`` list); SQLite gets none,
    since its casts follow affinity rules that would turn a date into a number.
    """
    if not objs:
        return 0
    database = connections[using]
    meta = model._meta
    model_fields = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = database.ops.quote_name
    cast = database.vendor == "postgresql"

    def slot(field: models.Field, type_of) -> str:
        return f"CAST(%s AS {type_of(database)})" if cast else "%s"

    placeholders = [slot(meta.pk, meta.pk.rel_db_type)] + [
        slot(field, field.db_type) for field in model_fields[1:]
    ]
    row = "({})".format(", ".join(placeholders))
    # A VALUES list's columns: named by us on PostgreSQL, column1... on SQLite (no alias list).
    if cast:
        columns = [f"c{index}" for index in range(len(model_fields))]
        alias = "v ({})".format(", ".join(columns))
    else:
        columns = [f"column{index + 1}" for index in range(len(model_fields))]
        alias = "v"
    table = quote(meta.db_table)
    sets = ", ".join(
        f"{quote(field.column)} = v.{column}"
        for field, column in zip(model_fields[1:], columns[1:], strict=True)
    )
    per_batch = max(1, min(batch_size, _MAX_PARAMETERS // len(model_fields)))
    updated = 0
    with database.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), database)
                for obj in batch
                for field in model_fields
            ]
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(batch))}) AS"
                f" {alias} WHERE {table}.{quote(meta.pk.column)} = v.{columns[0]}",
                params,
            )
            updated += max(cursor.rowcount, 0)
    return updated


def date_plus_days_sql(expression: str, days: int) -> str:
    """SQL for the date ``expression`` plus ``days`` days, on PostgreSQL and SQLite alike.

    ``days`` is an integer written into the statement (``int()`` makes sure of it), so the
    caller's parameters keep their order. SQLite keeps dates as ``YYYY-MM-DD`` text, which
    its ``date()`` function reads and writes.
    """
    days = int(days)
    if connection.vendor == "postgresql":
        return f"(CAST({expression} AS date) + {days})"
    return f"date({expression}, '{days:+d} days')"
