"""Which agencies may be listed as partners: the pure checks of a partner list."""

from .errors import RuleViolation


def check_partner_list(agency_id, wanted, known, merged_into, field="partner_ids"):
    """The partner ids to keep, in order and without repeats, or a RuleViolation naming
    every id that is unknown, the agency itself, or an agency merged into another.

    known: the ids among `wanted` that exist; merged_into: {id: survivor id} of merged ones.
    """
    unique = list(dict.fromkeys(wanted))
    problems = []
    unknown = [i for i in unique if i not in known]
    if unknown:
        problems.append(f"Unknown agency ids: {', '.join(map(str, unknown))}.")
    if agency_id in unique:
        problems.append("An agency cannot list itself as its own partner.")
    for merged, survivor in sorted(merged_into.items()):
        problems.append(f"Agency {merged} was merged into agency {survivor}; list {survivor}.")
    if problems:
        raise RuleViolation(" ".join(problems), {field: problems})
    return unique
