"""Notices of events: e-mail and webhook channels, and the worker that delivers them."""

import importlib.util

from . import channels, email

# The webhook channel is built beside this package; until its module exists, e-mail only.
if importlib.util.find_spec(f"{__name__}.webhooks") is not None:
    from . import webhooks
