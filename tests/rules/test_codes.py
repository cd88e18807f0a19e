"""Verification codes as printed on paper and as typed back from it."""

import pytest

from rules.codes import ALPHABET, group_code, new_verify_code, parse_code


def test_a_code_prints_in_groups_of_four_for_reading_aloud():
    assert group_code("7KQ2M9XD4TRB") == "7KQ2-M9XD-4TRB"


@pytest.mark.parametrize(
    "typed",
    ["7KQ2-M9XD-4TRB", "7kq2m9xd4trb", " 7kq2 m9xd 4trb ", "7KQ2 - M9XD - 4TRB", "7kq2-M9xd-4Trb"],
)
def test_a_code_is_read_back_whatever_its_case_spaces_and_dashes(typed):
    assert parse_code(typed) == "7KQ2M9XD4TRB"


def test_letters_mistaken_for_digits_are_read_as_the_digits():
    assert parse_code("IL0O-1111-2222") == "110011112222"
    assert parse_code("i1lo-oooo-abcd") == "11100000ABCD"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "7KQ2-M9XD-4TR",
        "7KQ2-M9XD-4TRBX",
        "7KQ2-M9XD-4TRU",
        "7KQ2_M9XD_4TRB",
        "7KQ2-M9XD-4TRÉ",
        None,
        12,
    ],
)
def test_what_cannot_be_a_code_is_none(typed):
    assert parse_code(typed) is None


def test_every_new_code_survives_printing_and_typing_back():
    for _ in range(200):
        code = new_verify_code()
        assert set(code) <= set(ALPHABET)
        assert parse_code(group_code(code).lower()) == code
