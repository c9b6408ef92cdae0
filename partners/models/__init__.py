"""The partners app's models, one module a subsystem."""

from partners.models.participants import HostParticipant
from partners.models.requests import MeetingRequest
from partners.models.schedule import (
    B2BSession,
    PlannedMeeting,
    SessionBreak,
    SessionPairing,
    SessionTable,
    SessionUnavailability,
)
from partners.models.suggestions import (
    PartnerSuggestion,
    SuggestionFeedback,
    SuggestionState,
    SuggestionTerm,
)

__all__ = [
    "B2BSession",
    "HostParticipant",
    "MeetingRequest",
    "PartnerSuggestion",
    "PlannedMeeting",
    "SessionBreak",
    "SessionPairing",
    "SessionTable",
    "SessionUnavailability",
    "SuggestionFeedback",
    "SuggestionState",
    "SuggestionTerm",
]
