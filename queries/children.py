"""Child rows attached to a page of items with one query per kind, never one per item."""

from collections import defaultdict


def attach_children(items, attribute, model, parent_field, view, order_by=None):
    """Set `item.<attribute>` to the list of `view(row)` for each `model` row whose
    `parent_field` points at the item; one query for the whole page."""
    ids = [item.id for item in items]
    grouped = defaultdict(list)
    query = model.select().where(parent_field.in_(ids))
    for row in query.order_by(*(order_by or [model.id])):
        grouped[getattr(row, parent_field.name + "_id")].append(view(row))
    for item in items:
        setattr(item, attribute, grouped[item.id])
    return items
