"""The partners app's models, one module a subsystem."""

from partners.models.requests import MeetingRequest
from partners.models.suggestions import (
    PartnerSuggestion,
    SuggestionFeedback,
    SuggestionState,
    SuggestionTerm,
)

__all__ = ["MeetingRequest", "PartnerSuggestion", "SuggestionFeedback", "SuggestionState", "SuggestionTerm"]
