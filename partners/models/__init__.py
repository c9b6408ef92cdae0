"""The partners app's models, one module a subsystem."""

from partners.models.requests import MeetingRequest

__all__ = ["MeetingRequest"]
