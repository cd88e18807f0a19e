"""A name given at the door is compared with the one on file without crediting the wrong person."""

import pytest

from rules.identity import name_only_key, names_agree, person_name_key


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [
        ("Sean", "O'Brien", "sean obrien"),
        ("SEAN", "OBRIEN", "sean obrien"),
        ("Seán", "O\u2019Brien", "sean obrien"),
        ("sean", "o brien", "sean obrien"),
        ("  Sean ", "O\u00b4Brien", "sean obrien"),
        ("Mary-Jane", "Smith", "maryjane smith"),
        ("Mary Jane", "Smith", "maryjane smith"),
        ("Mary\u2010Jane", "Smith", "maryjane smith"),
        ("Mary \u2013 Jane", "Smith", "maryjane smith"),
        ("Zoë", "Ångström", "zoe angstrom"),
        ("Søren", "Łukasiewicz", "soren lukasiewicz"),
        ("Jürgen", "Straße", "jurgen strasse"),
        ("Ｊａｋｅ", "Morrow", "jake morrow"),
        ("José Luis", "García-López", "joseluis garcialopez"),
        ("Nobody", "Atall", "nobody atall"),
    ],
)
def test_person_name_key_ignores_case_accents_spacing_hyphens_and_apostrophes(first, last, key):
    assert person_name_key(first, last) == key


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        (("Sean", "O'Brien"), ("Sean", "O'Brien")),
        (("SEAN", "OBRIEN"), ("Sean", "O'Brien")),
        (("Seán", "O\u2019Brien"), ("Sean", "O'Brien")),
        (("sean", "o brien"), ("Sean", "O'Brien")),
        (("Mary Jane", "Smith"), ("Mary-Jane", "Smith")),
        (("Maryjane", "Smith"), ("Mary-Jane", "Smith")),
        (("J", "Morrow"), ("Jake", "Morrow")),
        (("J.", "Morrow"), ("Jake", "Morrow")),
        (("Jake", "Morrow"), ("J.", "Morrow")),
        (("Jake", "Morrow"), ("Jake Allen", "Morrow")),
        (("Jake Allen", "Morrow"), ("Jake", "Morrow")),
        (("Jake A.", "Morrow"), ("Jake", "Morrow")),
        (("Jake A.", "Morrow"), ("Jake Allen", "Morrow")),
        (("J. A.", "Morrow"), ("Jake Allen", "Morrow")),
        (("J.A.", "Morrow"), ("Jake Allen", "Morrow")),
        (("Jean", "Dupont"), ("Jean-Luc", "Dupont")),
        (("JL", "Dupont"), ("J.L.", "Dupont")),
        (("Eve", "Van der Berg"), ("eve", "VanDerBerg")),
    ],
)
def test_the_same_person_written_differently_agrees(given, recorded):
    assert names_agree(*given, *recorded) is True
    assert names_agree(*recorded, *given) is True


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        (("Nobody", "Atall"), ("Sean", "O'Brien")),
        (("Jon", "Morrow"), ("John", "Morrow")),
        (("Jake", "Morrow"), ("Jake", "Marrow")),
        (("K", "Morrow"), ("Jake", "Morrow")),
        (("Jake Allen", "Morrow"), ("Jake Brian", "Morrow")),
        (("Jake A.", "Morrow"), ("Jake B.", "Morrow")),
        (("Allen", "Morrow"), ("Jake Allen", "Morrow")),
        (("Luc", "Dupont"), ("Jean-Luc", "Dupont")),
        (("Jake", "Morrow"), ("Jake", "Morrow-Hill")),
        (("Jake", "Morrow"), ("Jake", "Morrow Jr.")),
        (("Mary", "Jane Smith"), ("Mary Jane", "Smith")),
        (("Sean", "O'Brien"), ("O'Brien", "Sean")),
        (("Ja", "Morrow"), ("Jake", "Morrow")),
        (("", "Morrow"), ("Jake", "Morrow")),
        (("Jake", ""), ("Jake", "")),
        (("Jake", "-"), ("Jake", "'")),
    ],
)
def test_different_people_or_missing_names_disagree(given, recorded):
    assert names_agree(*given, *recorded) is False
    assert names_agree(*recorded, *given) is False


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [
        ("Jake", "Morrow", "j morrow"),
        ("J.", "Morrow", "j morrow"),
        ("jake allen", "MORROW", "j morrow"),
        ("Seán", "O\u2019Brien", "s obrien"),
        ("Ève", "Fox", "e fox"),
        ("", "Fox", ""),
        ("Eve", "  ", ""),
    ],
)
def test_name_only_key_is_the_first_initial_and_the_compact_last_name(first, last, key):
    assert name_only_key(first, last) == key


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        (("J", "Morrow"), ("Jake", "Morrow")),
        (("Jake A.", "Morrow"), ("Jake", "Morrow")),
        (("Maryjane", "Smith"), ("Mary-Jane", "Smith")),
        (("sean", "o brien"), ("Seán", "O'Brien")),
        (("Eve", "Fox"), ("eve", "fox")),
    ],
)
def test_a_lookup_by_name_only_key_finds_every_name_that_agrees(given, recorded):
    assert names_agree(*given, *recorded)
    assert name_only_key(*given) == name_only_key(*recorded)


def test_a_lookup_by_name_only_key_is_narrowed_by_names_agree():
    on_file = [("Jake", "Morrow"), ("Jon", "Morrow"), ("Jake Allen", "Morrow"), ("Jake", "Moore")]
    key = name_only_key("Jake", "Morrow")
    candidates = [name for name in on_file if name_only_key(*name) == key]
    assert candidates == [("Jake", "Morrow"), ("Jon", "Morrow"), ("Jake Allen", "Morrow")]
    same = [name for name in candidates if names_agree("Jake", "Morrow", *name)]
    assert same == [("Jake", "Morrow"), ("Jake Allen", "Morrow")]
