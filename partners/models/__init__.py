"""The partners app's models, one module a subsystem."""

from partners.models.requests import MeetingRequest
from partners.models.schedule import (
    B2BSession,
    PlannedMeeting,
    SessionBreak,
    SessionPairing,
    SessionTable,
    SessionUnavailability,
)

__all__ = [
    "B2BSession",
    "MeetingRequest",
    "PlannedMeeting",
    "SessionBreak",
    "SessionPairing",
    "SessionTable",
    "SessionUnavailability",
]
