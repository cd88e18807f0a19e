"""What a rule says when a request breaks it; the API maps these to 422 and 409."""


class RuleViolation(Exception):
    """Input that breaks a rule; `errors` maps field paths to messages."""

    def __init__(self, message, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class Conflict(Exception):
    """A request that clashes with the current state of the records."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
