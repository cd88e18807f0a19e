"""The channels events are delivered over (e-mail, webhooks), behind one registry.

A channel has a `name`, `recipients(event) -> list[str]` (the recipient keys for the event,
already scoped: nobody hears of a person outside what they may see) and
`send(delivery, event) -> None`, which raises DeliveryFailed when it could not deliver.
A channel may also define `send_batch(items)` taking [(delivery, event)] of one recipient
and returning {delivery_id: error or None}, to send several at once (a digest).
"""

CHANNELS = {}


class DeliveryFailed(Exception):
    """A delivery did not go through; `retry` False when trying again cannot help."""

    def __init__(self, message, retry=True):
        super().__init__(message)
        self.message = message
        self.retry = retry


def register(channel):
    """Add a channel (replacing one of the same name); returns it."""
    CHANNELS[channel.name] = channel
    return channel
