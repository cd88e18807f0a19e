"""Which agencies a partner list may hold."""

import pytest

from rules.errors import RuleViolation
from rules.partners import check_partner_list


def test_repeats_are_dropped_in_order():
    assert check_partner_list(1, [3, 2, 3], {2, 3}, {}) == [3, 2]


@pytest.mark.parametrize(
    ("wanted", "known", "merged", "message"),
    [
        ([2, 8, 9], {2}, {}, "Unknown agency ids: 8, 9."),
        ([1, 2], {1, 2}, {}, "An agency cannot list itself as its own partner."),
        ([4], {4}, {4: 2}, "Agency 4 was merged into agency 2; list 2."),
    ],
)
def test_a_bad_id_is_named(wanted, known, merged, message):
    with pytest.raises(RuleViolation) as refused:
        check_partner_list(1, wanted, known, merged)
    assert refused.value.errors == {"partner_ids": [message]}


def test_the_field_named_is_the_one_sent():
    with pytest.raises(RuleViolation) as refused:
        check_partner_list(1, [9], set(), {}, field="agency_ids")
    assert list(refused.value.errors) == ["agency_ids"]
