"""The agreements app's models, one module per subsystem: agreements and their plans, cooperation
projects, the follow-up engine's policy and log."""

from .agreements import Agreement, AgreementParty, PlanItem, Signatory, Sphere
from .followup import Reminder, ReminderPolicy, StaleAfter, default_checkin_offsets
from .projects import CooperationProject, ProjectParty, ProjectUpdate

__all__ = [
    "Agreement",
    "AgreementParty",
    "CooperationProject",
    "PlanItem",
    "ProjectParty",
    "ProjectUpdate",
    "Reminder",
    "ReminderPolicy",
    "Signatory",
    "Sphere",
    "StaleAfter",
    "default_checkin_offsets",
]
