"""Hot fixed-shape queries whose SQL peewee writes once and which then run with new values.

peewee writes a query's SQL afresh every time it runs (dozens of nodes, each asked for its
text), which cost a small request more than the database's own work. A `Statement` is
written once per database kind from a peewee query whose changing values are `Slot`s:
each slot records its place and the converter its column would apply, and a run hands the
driver the converted values under the cached text, reading rows through the query's own
cursor wrapper, so rows come back exactly as the query would give them.
"""

import itertools
import re
import threading
import weakref

from peewee import JSONField, Node, PostgresqlDatabase

from database import db


def size_class(count):
    """The list size a statement is written for to hold `count` values: the next power of
    two, so a handful of shapes serve every IN list."""
    return 1 << max(0, count - 1).bit_length()


class Slot(Node):
    """A value left open in a statement's query, found in the values by `name` (or by a
    path of keys and indexes: ("rows", 0, "minutes")); `count` given, a parenthesised
    list of that many values (for IN), a shorter list padded with its last value, which an
    IN list reads the same. `field` converts it where peewee would not (an INSERT's values)."""

    def __init__(self, name, count=None, field=None):
        self.path = name if isinstance(name, tuple) else (name,)
        self.count, self.field = count, field

    def __sql__(self, ctx):
        field = self.field
        convert = field.db_value if field is not None else ctx.state.converter
        param = ctx.state.param or "?"
        wrapped = wrapped_json(field)
        if wrapped is not None:
            ctx.sql(wrapped[0])
            ctx._values[-1] = _Open(self.path, None, wrapped[1])
            return ctx
        if self.count is None:
            ctx._values.append(_Open(self.path, None, convert))
            return ctx.literal(param)
        for index in range(self.count):
            ctx._values.append(_Open(self.path, index, convert))
        return ctx.literal("(" + ", ".join([param] * self.count) + ")")


def wrapped_json(field):
    """For a JSON field the database wraps in SQL of its own (SQLite's json(?)): that SQL
    and the function giving its parameter, the JSON text; None for any other field."""
    if isinstance(field, JSONField):
        wrapped = field.db_value([])
        if isinstance(wrapped, Node):
            return wrapped, lambda value: None if value is None else field._dumps(value)
    return None


class _Open:
    __slots__ = ("path", "index", "convert")

    def __init__(self, path, index, convert):
        self.path, self.index, self.convert = path, index, convert

    def value(self, values):
        for key in self.path:
            values = values[key]
        if self.index is not None:
            values = values[min(self.index, len(values) - 1)]
        return values if self.convert is None else self.convert(values)


# PostgreSQL plans a query afresh each time it is sent (~0.1-0.5 ms of the server's CPU, more
# than most of these take to run): each statement is prepared once per connection and then
# executed by name. Names are unique in this process; each connection keeps those it has.
_names = itertools.count()
_prepared = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%%|%s")


def _numbered(sql):
    """peewee's PostgreSQL SQL (%s placeholders) as PREPARE takes it ($1, $2, ...)."""
    numbers = itertools.count(1)
    return _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)


def _prepare(name, sql):
    """Prepare `sql` as `name` on this connection; False if PostgreSQL will not (a parameter
    whose type it cannot tell), leaving any open transaction as it was."""
    nested = db.in_transaction()
    if nested:
        db.execute_sql("SAVEPOINT muster_prepare")
    try:
        db.execute_sql(f"PREPARE {name} AS {_numbered(sql)}")
    except Exception:  # psycopg2's errors
        if nested:
            db.execute_sql("ROLLBACK TO SAVEPOINT muster_prepare")
        return False
    finally:
        if nested:
            db.execute_sql("RELEASE SAVEPOINT muster_prepare")
    return True


# A row reader's own state for one run; the rest of it is the same for every run.
_PER_RUN = {"cursor", "count", "index", "populated", "row_cache"}


class Statement:
    """`build(*shape)` gives a peewee query whose changing values are Slots; its SQL is
    written once per database kind and shape (e.g. how many ids an IN list holds)."""

    def __init__(self, build):
        self.build = build
        self._written, self._readers = {}, {}
        self._lock = threading.Lock()

    def _written_for(self, shape):
        key = (type(db.obj), shape)
        found = self._written.get(key)
        if found is None:
            query = self.build(*shape)
            sql, params = query.sql()
            name = f"muster_{next(_names)}" if isinstance(db.obj, PostgresqlDatabase) else None
            found = (query, sql, tuple(params), name)
            with self._lock:
                self._written[key] = found
        return found

    def _bound(self, shape, values):
        query, sql, params, name = self._written_for(shape)
        bound = [p.value(values) if isinstance(p, _Open) else p for p in params]
        if name is not None and db.obj.prepares:
            sql = self._prepared_as(name, sql, len(bound))
        return query, sql, bound

    def _run(self, shape, values):
        query, sql, bound = self._bound(shape, values)
        return query, db.execute_sql(sql, bound)

    def _prepared_as(self, name, sql, count):
        """The EXECUTE of `sql` prepared on this connection (prepared now if it is not)."""
        known = _prepared.setdefault(db.connection_as_is(), {})
        if name not in known:
            known[name] = _prepare(name, sql)
        if not known[name]:
            return sql
        return f"EXECUTE {name} ({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"

    def rows(self, *shape, **values):
        """The rows, as the query's own iteration gives them (models, tuples, dicts)."""
        query, cursor = self._run(shape, values)
        reader = query._get_cursor_wrapper(cursor)  # peewee's row reader for this query
        # What a reader works out from the columns before its first row depends on the SQL
        # alone (and cost as much as the read): worked out once, then lent to each reader.
        key = (type(db.obj), shape)
        known = self._readers.get(key)
        if known is not None:
            reader.__dict__.update(known)
        found = list(reader)
        if known is None and reader.initialized:
            self._readers[key] = {
                name: value for name, value in vars(reader).items() if name not in _PER_RUN
            }
        return found

    def cursor(self, *shape, **values):
        """Run a read; the driver's cursor, for a reader that converts values itself."""
        return self._run(shape, values)[1]

    def first(self, *shape, **values):
        """The first row, or None (write the query with .limit(1))."""
        found = self.rows(*shape, **values)
        return found[0] if found else None

    def rowcount(self, *shape, **values):
        """Run a write; the number of rows it changed."""
        return db.rows_affected(self._run(shape, values)[1])

    def at_commit(self, *shape, **values):
        """Run a write whose answer nobody reads: on PostgreSQL, in a transaction, it is
        sent with the transaction's next statement or its COMMIT (database.Postgres)."""
        _, sql, bound = self._bound(shape, values)
        later = getattr(db.obj, "run_at_commit", None)
        if later is None:
            db.execute_sql(sql, bound)
        else:
            later(sql, bound)
