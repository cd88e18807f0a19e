"""A dict that works out each key's value once (rows repeat their dates, hours and codes)."""


class Memo(dict):
    """`memo[key]` is `work(key)`, worked out on first use; None stays None unless `of_none`."""

    def __init__(self, work, *, of_none=False):
        super().__init__({} if of_none else {None: None})
        self.work = work

    def __missing__(self, key):
        found = self[key] = self.work(key)
        return found
