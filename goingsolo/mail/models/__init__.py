"""The mail app's models, one module per direction; every model is imported here by name
so that Django finds them and callers import from `goingsolo.mail.models`."""

from .inbound import BounceEvent, DeliveryPause, InboundMessage, ListSettings
from .outbound import DEFAULT_DELIVERY, Delivery, ListSubscription, MailPart, OutboundEmail

__all__ = [
    "DEFAULT_DELIVERY",
    "BounceEvent",
    "Delivery",
    "DeliveryPause",
    "InboundMessage",
    "ListSettings",
    "ListSubscription",
    "MailPart",
    "OutboundEmail",
]
