"""What needs a company's attention, for the overview of its personal area.

Reads only: the organization's own meetings, projects and applications, narrowed by the definitions
their apps keep (a stale project is the follow-up policy's `projects_stale`, never a second rule).
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from agreements.followup.policy import projects_stale, reminder_policy_get
from agreements.selectors import projects_of_organization
from companies.models import Organization
from missions.models import DelegationApplication, Meeting
from missions.selectors import applications_of_organization, meetings_of_organization

UPCOMING_MEETINGS_SHOWN = 5


@dataclass(frozen=True)
class AccountOverview:
    upcoming_meetings: list[Meeting]
    upcoming_meetings_count: int
    projects_awaiting_update: list  # CooperationProject rows, the longest idle first
    open_applications: list[DelegationApplication]


def meetings_upcoming_of(organization: Organization, *, today: datetime.date):
    """Its meetings from today on that are still going to happen (requested or scheduled), soonest first.

    A meeting whose day is not known yet is upcoming while its mission has not ended."""
    going_to_happen = [Meeting.Status.REQUESTED, Meeting.Status.SCHEDULED]
    return (
        meetings_of_organization(organization)
        .filter(status__in=going_to_happen)
        .filter(Q(date__gte=today) | Q(date__isnull=True, mission__end_date__gte=today))
        .order_by(F("date").asc(nulls_last=True), F("starts_at").asc(nulls_last=True), "pk")
    )


def account_overview(organization: Organization, *, today: datetime.date) -> AccountOverview:
    upcoming = meetings_upcoming_of(organization, today=today)
    stale = projects_stale(projects_of_organization(organization), policy=reminder_policy_get(), today=today)
    applications = (
        applications_of_organization(organization)
        .filter(status=DelegationApplication.Status.PENDING)
        .order_by("mission__start_date", "pk")
    )
    return AccountOverview(
        upcoming_meetings=list(upcoming[:UPCOMING_MEETINGS_SHOWN]),
        upcoming_meetings_count=upcoming.count(),
        projects_awaiting_update=list(stale),
        open_applications=list(applications),
    )
