"""Reads of an endpoint's delivery log: each delivery with its event and every try."""

from collections import defaultdict

from models import Delivery, Event, WebhookAttempt, WebhookEndpoint


def webhooks_query(agency):
    """An agency's webhook endpoints, inactive ones too, oldest first."""
    return (
        WebhookEndpoint.select()
        .where(WebhookEndpoint.agency == agency.id)
        .order_by(WebhookEndpoint.id)
    )


def deliveries_query(endpoint, status=None):
    """The deliveries made (or waiting) for an endpoint, newest first, with their event."""
    query = (
        Delivery.select(Delivery, Event)
        .join(Event)
        .where(Delivery.channel == "webhook", Delivery.recipient == f"webhook:{endpoint.id}")
        .order_by(Delivery.id.desc())
    )
    return query.where(Delivery.status == status) if status else query


def delivery_views(deliveries):
    """Dicts for a page of deliveries, each with its tries (one query for the page)."""
    from notifications.webhooks import public_type

    tries = defaultdict(list)
    ids = [d.id for d in deliveries]
    if ids:
        rows = (
            WebhookAttempt.select()
            .where(WebhookAttempt.delivery.in_(ids))
            .order_by(WebhookAttempt.attempted_at, WebhookAttempt.id)
        )
        for row in rows:
            tries[row.delivery_id].append(row)
    views = []
    for delivery in deliveries:
        mine = tries[delivery.id]
        last = mine[-1] if mine else None
        views.append(
            {
                "id": delivery.id,
                "event_id": delivery.event_id,
                "type": public_type(delivery.event.kind),
                "kind": delivery.event.kind,
                "status": delivery.status,
                "attempts": delivery.attempts,
                "last_error": delivery.last_error,
                "response_code": last.response_code if last else None,
                "created_at": delivery.created_at,
                "next_attempt_at": delivery.next_attempt_at
                if delivery.status == "pending"
                else None,
                "last_attempt_at": last.attempted_at if last else None,
                "sent_at": delivery.sent_at if delivery.status == "sent" else None,
                "tries": mine,
            }
        )
    return views


def delivery_view(endpoint, delivery_id):
    """One delivery of the endpoint as the log shows it."""
    [view] = delivery_views(list(deliveries_query(endpoint).where(Delivery.id == delivery_id)))
    return view
