"""Filters that lists of issued records (completions, awards) share."""

from models import to_utc


def filter_records(model, query, args):
    """Narrow a completions or awards query by person, offering, status and change time."""
    for field in ("person_id", "offering_id"):
        if field in args:
            query = query.where(getattr(model, field.removesuffix("_id")) == args[field])
    if args.get("status") == "revoked":
        query = query.where(model.revoked_at.is_null(False))
    elif args.get("status") == "valid":
        query = query.where(model.revoked_at.is_null())
    if "changed_since" in args:
        query = query.where(model.updated_at >= to_utc(args["changed_since"]))
    return query
