"""Whether two written names are the same person's: normalised keys and a lenient agreement."""

import unicodedata

# Removed, not treated as a break: "O'Brien", "OBrien" and "O´Brien" are one spelling.
APOSTROPHES = "'\u2018\u2019\u201b\u02bc\u02bb\u02b9`\u00b4\u2032\uff07"
# Letters that NFKD leaves whole; a card typed on a US keyboard drops their marks all the same.
LOOKALIKES = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "þ": "th", "æ": "ae", "œ": "oe"}
)


def fold(text):
    """Text without case, accents or apostrophes: 'Seán O’Brien' -> 'sean obrien'."""
    text = "".join(c for c in (text or "") if c not in APOSTROPHES)
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c)).translate(LOOKALIKES)


def name_tokens(text):
    """The words of a name after folding; hyphens, dots, commas and spaces all separate."""
    words, word = [], []
    for c in fold(text) + " ":
        if c.isalnum() or unicodedata.category(c).startswith("M"):
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    return words


def _compact(text):
    return "".join(name_tokens(text))


def person_name_key(first, last):
    """A name with only its letters and digits, one space between first and last names.

    'Sean O'Brien', 'SEAN OBRIEN', 'Seán O’Brien' and 'sean' / 'o brien' all give
    'sean obrien'; 'Mary-Jane' and 'Mary Jane' both give 'maryjane'.
    """
    return f"{_compact(first)} {_compact(last)}"


def name_only_key(first, last):
    """The first letter of the first name and the compact last name: 'Jake Morrow' -> 'j morrow'.

    Every pair of names that `names_agree` accepts shares this key (an initial, a compound
    first name written solid or a missing middle name all keep the first letter), so it finds
    every candidate and the caller confirms each. A name-only walk-in:

        key = name_only_key(first, last)  # stored the same way on Person, indexed
        candidates = Person.select().where(Person.agency == agency, Person.name_key == key, ...)
        same = [p for p in candidates if names_agree(first, last, p.first_name, p.last_name)]

    one in `same` is a match, several ask for an identifier, none creates a person. The key is
    computed in Python (SQL cannot fold accents the same way), so it is stored on the row when
    the name is written. A name with no letters gives '' and should match nothing.
    """
    given, family = _compact(first), _compact(last)
    if not given or not family:
        return ""
    return f"{given[0]} {family}"


def _words_agree(a, b):
    """Equal words, or one a single-letter initial of the other."""
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def first_names_agree(given, recorded):
    """'Jake' agrees with 'J.', 'Jake Allen', 'J. A.'; not with 'Jon', 'Jake Brian' or 'K'."""
    given_words, recorded_words = name_tokens(given), name_tokens(recorded)
    if not given_words or not recorded_words:
        return False
    if "".join(given_words) == "".join(recorded_words):
        return True
    # Words beyond the shorter name are middle names the other side left out.
    return all(_words_agree(a, b) for a, b in zip(given_words, recorded_words, strict=False))


def names_agree(given_first, given_last, recorded_first, recorded_last):
    """Whether a name given at the door can be the recorded person's.

    Last names must be equal once folded and compacted (no partial compound names). First
    names may differ by an initial or by a middle name one side lacks. A side with no letters
    in either name agrees with nothing.
    """
    given_family, recorded_family = _compact(given_last), _compact(recorded_last)
    if not given_family or given_family != recorded_family:
        return False
    return first_names_agree(given_first, recorded_first)
