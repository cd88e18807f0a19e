"""Values worked out once per distinct key while an export streams: rows repeat theirs."""


class Known(dict):
    """`known[key]` is `work(key)`, worked out on first use; emptied when `size` keys are
    known, so memory stays flat whatever the count."""

    def __init__(self, work, size=4096):
        super().__init__()
        self.work, self.size = work, size

    def __missing__(self, key):
        if len(self) >= self.size:
            self.clear()
        found = self[key] = self.work(key)
        return found


def each(known: Known, column) -> list:
    """`known[(type(value), value)]` for each value of a column, at C speed once seen: the
    key's type keeps apart equal values of two types (88 and 88.0, 1 and True)."""
    return list(map(known.__getitem__, zip(map(type, column), column, strict=True)))


def typed(convert, none=None):
    """`convert` as the work of a Known keyed by (type, value); None is `none`."""
    return lambda key: none if key[1] is None else convert(key[1])
