"""What the hub refuses, in words a person can act on."""

from __future__ import annotations


class HubError(Exception):
    """A rule of the hub said no; the message is safe to show to the person who asked."""


class NotFound(HubError):
    """Nothing the person may see matches (never says whether something hidden exists)."""


class NotAllowed(HubError):
    """The person can see the record but this change is not theirs to make."""


class Invalid(HubError):
    """The request contradicts itself or the data (a date in the past, a self-cover...)."""


class Conflict(HubError):
    """Someone else changed the same record at the same moment."""
