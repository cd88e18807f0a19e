"""TEMPORARY shim while call sites move to operations.audit (issue 6); deleted at its end."""

from flask import g, has_request_context

from operations import audit as _audit
from operations.audit import plain, snapshot  # noqa: F401


def _actor(user):
    if user is None and has_request_context():
        user = g.get("user")
    return user


def record(action, entity, entity_id, *, user=None, **kwargs):
    _audit.record(_actor(user), action, entity, entity_id, **kwargs)


def change(action, entity, instance, changes, **kwargs):
    return _audit.change(_actor(None), action, entity, instance, changes, **kwargs)
