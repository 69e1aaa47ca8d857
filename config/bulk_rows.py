"""Rows written straight into a model's table: the demo seed's catalogue and new search documents.

Django's ``bulk_create`` builds a model instance per row and compiles every value through its field;
at a million products (seven million rows) that is most of the seed's time. Here a row is a dict of
the values that differ from the model's defaults, the defaults are worked out once per model, and on
PostgreSQL the rows go through ``COPY``. Primary keys are taken from the table's sequence beforehand,
so that rows of other tables can point at them in the same batch.

For rows whose values are already right (built by code, not typed by anyone): no signal is sent, no
``save()`` runs, and nothing is validated. It imports only Django.
"""

from django.db import connection

# Field types whose Python values the database driver does not take as they are (on SQLite; on
# PostgreSQL psycopg adapts them all but JSON).
_PREPARED_ON_SQLITE = {"UUIDField", "DateTimeField", "DateField", "DecimalField", "JSONField"}
_PREPARED_ON_POSTGRESQL = {"JSONField"}


def ids_allocate(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s table, in increasing order."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count])
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite has no sequence: the seed runs in one transaction, so no other writer takes these.
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the model)
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def rows_insert(model, rows: list[dict]) -> None:
    """Insert ``rows`` (attribute name to value; the rest from the model's defaults) into the model's
    own table, primary keys included: for a child of multi-table inheritance, its parent's rows must
    be inserted first."""
    if not rows:
        return
    fields = model._meta.local_concrete_fields
    template = model()
    prepared = _PREPARED_ON_POSTGRESQL if connection.vendor == "postgresql" else _PREPARED_ON_SQLITE
    defaults, converters = [], []
    for field in fields:
        defaults.append(field.get_db_prep_save(field.pre_save(template, add=True), connection))
        converters.append(
            (lambda value, field=field: field.get_db_prep_save(value, connection))
            if field.get_internal_type() in prepared else None
        )
    names = [field.attname for field in fields]
    unknown = set().union(*rows) - set(names)
    if unknown:
        raise ValueError(f"{model.__name__} has no column for {sorted(unknown)}")
    missing = object()
    values = []
    for row in rows:
        line = []
        for name, default, convert in zip(names, defaults, converters, strict=True):
            value = row.get(name, missing)
            line.append(default if value is missing else (convert(value) if convert else value))
        values.append(line)
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The driver's own cursor: its errors are turned into Django's (IntegrityError, ...) here.
            with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)  # noqa: S608 (names from the model)
