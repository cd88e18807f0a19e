"""A page of a peewee query in SQL, read from whichever end of its order is nearer."""

from peewee import Field, Ordering


def page_of(collection, page, page_size, total):
    """The items of page `page` (from 1) of a query or api.MappedQuery holding `total` rows.

    LIMIT/OFFSET reads and throws away every row before the page, so a late page of a long
    list costs a scan of most of it. A page past the middle is read instead in the reversed
    order with the smaller offset from the other end and turned back: the last page of a
    million costs what the first does. Only a query ordered down to its primary key (a total
    order) is reversed, so both directions list exactly the same rows in mirror order.
    """
    query = getattr(collection, "query", collection)
    shown = getattr(collection, "view_page", list)
    offset = (page - 1) * page_size
    if offset >= total:
        return shown([])
    from_end = total - offset - page_size  # rows after this page
    backwards = reversed_order(query)
    if from_end >= offset or backwards is None:
        return shown(list(query.limit(page_size).offset(offset)))
    rows = list(
        query.order_by(*backwards).limit(page_size + min(from_end, 0)).offset(max(from_end, 0))
    )
    return shown(rows[::-1])


def reversed_order(query):
    """The mirror of the query's ORDER BY, or None unless it ends with the primary key."""
    order = list(getattr(query, "_order_by", None) or ())
    if not order or not _is_primary_key(order[-1], query):
        return None
    return [_mirrored(term) for term in order]


def _is_primary_key(term, query):
    node = term.node if isinstance(term, Ordering) else term
    model = getattr(query, "model", None)
    return isinstance(node, Field) and model is not None and node is model._meta.primary_key


def _mirrored(term):
    """DESC for ASC and back; NULLs go to the other end too (SQLite and PostgreSQL both put
    them at opposite ends for ASC and DESC, so flipping the direction alone mirrors them)."""
    if not isinstance(term, Ordering):
        return term.desc()
    direction = "ASC" if term.direction.upper() == "DESC" else "DESC"
    nulls = {"first": "LAST", "last": "FIRST"}.get((term.nulls or "").lower())
    return Ordering(term.node, direction, collation=term.collation, nulls=nulls)
