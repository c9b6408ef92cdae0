"""The partners app's models, one module a subsystem."""

from partners.models.participants import HostParticipant
from partners.models.requests import MeetingRequest

__all__ = ["HostParticipant", "MeetingRequest"]
