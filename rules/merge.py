"""Merging two records of one person: the pure checks and what the survivor keeps."""

from .errors import Conflict


def check_mergeable(survivor, duplicate):
    """Two distinct records, neither already merged away."""
    if survivor.id == duplicate.id:
        raise Conflict("A person cannot be merged into themself.")
    if survivor.merged_into_id or duplicate.merged_into_id:
        raise Conflict("One of these people was already merged into another.")


def check_no_clashes(shared_offerings, shared_teaching, survivor_ids, duplicate_ids):
    """Two records on one roster, or two values of one regulator id, need a person's call."""
    if shared_offerings:
        raise Conflict(
            f"Both records are on the roster of offerings {sorted(shared_offerings)}; "
            "withdraw one of them there first."
        )
    if shared_teaching:
        raise Conflict("Both records teach the same offering; correct its instructors first.")
    differing = sorted(
        scheme
        for scheme, value in duplicate_ids.items()
        if scheme in survivor_ids and survivor_ids[scheme] != value
    )
    if differing:
        raise Conflict(f"The records hold different values for {differing}; correct one first.")


def merged_external_ids(survivor_ids, duplicate_ids):
    """The survivor keeps its own regulator ids and gains the duplicate's others."""
    return {**duplicate_ids, **survivor_ids}


def check_nothing_lost(before, after):
    """Every row that pointed at either record must now point at the survivor."""
    if before != after:
        raise RuntimeError(f"Merge would lose records: {before} became {after}.")
