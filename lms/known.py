"""Values worked out once per distinct key while an export streams: rows repeat theirs."""

from types import NoneType


class Known(dict):
    """`known[key]` is `work(key)`, worked out on first use; emptied when `size` keys are
    known, so memory stays flat whatever the count."""

    def __init__(self, work, size=4096):
        super().__init__()
        self.work, self.size, self.kinds = work, size, {}

    def of(self, kind: type) -> "Known":
        """This one's `[(type, value)]` keyed by value alone, for values of `kind` or None."""
        found = self.kinds.get(kind)
        if found is None:
            found = self.kinds[kind] = Known(lambda value: self[type(value), value], self.size)
        return found

    def __missing__(self, key):
        if len(self) >= self.size:
            self.clear()
        found = self[key] = self.work(key)
        return found


def each(known: Known, column) -> list:
    """`known[(type(value), value)]` for each value of a column, at C speed once seen: the
    key's type keeps apart equal values of two types (88 and 88.0, 1 and True). A column of
    one type (and None) is looked up by value alone, no key made: no two of its values are
    equal and of two types."""
    kinds = set(map(type, column))
    kinds.discard(NoneType)
    if len(kinds) == 1:
        return list(map(known.of(kinds.pop()).__getitem__, column))
    return list(map(known.__getitem__, zip(map(type, column), column, strict=True)))


def typed(convert, none=None):
    """`convert` as the work of a Known keyed by (type, value); None is `none`."""
    return lambda key: none if key[1] is None else convert(key[1])
