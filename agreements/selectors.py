"""Reads of agreements and projects that are more than one line, and who may see which."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from companies.selectors import can_see_unpublished

from .models import Agreement, AgreementParty, CooperationProject, PlanItem, ProjectParty, Signatory


def plan_items_overdue(*, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    today = today or timezone.localdate()
    return PlanItem.objects.filter(
        status__in=[PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS], due_date__lt=today
    ).select_related("agreement", "responsible_organization", "responsible_person")


def agreements_visible_to(user) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("signed_at_mission")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)


def projects_visible_to(user) -> QuerySet[CooperationProject]:
    qs = CooperationProject.objects.select_related("origin_mission", "resulting_agreement")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)


# --- Pages: the registry and the status page ---------------------------------------------------

# A project at one of these stages stands for a signed contract.
PROJECT_CONTRACT_STAGES = (
    CooperationProject.Stage.CONTRACT_SIGNED,
    CooperationProject.Stage.IN_IMPLEMENTATION,
    CooperationProject.Stage.COMPLETED,
)
# A project at one of these stages is still being negotiated.
PROJECT_PRE_CONTRACT_STAGES = (
    CooperationProject.Stage.LEAD,
    CooperationProject.Stage.NEGOTIATION,
    CooperationProject.Stage.PROPOSAL,
)
_ACTIVE_PLAN_STATUSES = (PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS)


def _public(prefix: str, user) -> Q:
    """A filter on `<prefix>is_public` that keeps everything for staff."""
    return Q() if can_see_unpublished(user) else Q(**{f"{prefix}is_public": True})


def _visible_parties(user) -> Prefetch:
    return Prefetch(
        "parties",
        queryset=AgreementParty.objects.filter(_public("organization__", user)).select_related("organization__region"),
        to_attr="visible_parties",
    )


def agreement_years(agreements: QuerySet[Agreement]) -> list[int]:
    return [d.year for d in agreements.order_by().dates("signed_on", "year", order="DESC")]


def agreements_with_list_details(
    agreements: QuerySet[Agreement], user, *, today: datetime.date | None = None
) -> QuerySet[Agreement]:
    """Registry rows: visible parties prefetched, plan progress counted in the same query.

    Cancelled plan items count nowhere; an overdue item is counted as overdue, not as planned or in
    progress.
    """
    today = today or timezone.localdate()
    overdue = Q(plan_items__status__in=_ACTIVE_PLAN_STATUSES, plan_items__due_date__lt=today)
    return (
        agreements.annotate(
            plan_total=Count(
                "plan_items", filter=Q(plan_items__status__in=[*_ACTIVE_PLAN_STATUSES, PlanItem.Status.DONE])
            ),
            plan_done=Count("plan_items", filter=Q(plan_items__status=PlanItem.Status.DONE)),
            plan_overdue=Count("plan_items", filter=overdue),
            plan_in_progress=Count(
                "plan_items",
                filter=Q(plan_items__status=PlanItem.Status.IN_PROGRESS)
                & (Q(plan_items__due_date__isnull=True) | Q(plan_items__due_date__gte=today)),
            ),
        )
        .order_by(F("signed_on").desc(nulls_last=True), "title", "pk")
        .prefetch_related(_visible_parties(user))
    )
    # (an aggregate drops Meta.ordering: a page needs an explicit, total order)


def agreement_for_page(user) -> QuerySet[Agreement]:
    return (
        agreements_visible_to(user)
        .select_related("supersedes")
        .prefetch_related(
            "spheres",
            _visible_parties(user),
            Prefetch(
                "signatories",
                queryset=Signatory.objects.filter(_public("person__organization__", user))
                .filter(Q(on_behalf_of__isnull=True) | _public("on_behalf_of__", user))
                .select_related("person__organization", "on_behalf_of"),
                to_attr="visible_signatories",
            ),
            Prefetch(
                "superseded_by",
                queryset=agreements_visible_to(user).order_by("signed_on", "title"),
                to_attr="visible_successors",
            ),
        )
    )


@dataclass
class PlanProgress:
    items: list[PlanItem]
    total: int
    done: int
    in_progress: int
    overdue: int
    planned: int
    cancelled: int

    def _share(self, part: int) -> int:
        return round(100 * part / self.total) if self.total else 0

    @property
    def done_percent(self) -> int:
        return self._share(self.done)

    @property
    def in_progress_percent(self) -> int:
        return self._share(self.in_progress)

    @property
    def overdue_percent(self) -> int:
        return self._share(self.overdue)

    @property
    def planned_percent(self) -> int:
        return self._share(self.planned)


def agreement_plan(agreement: Agreement, user, *, today: datetime.date | None = None) -> PlanProgress:
    """The implementation plan, overdue items first, each marked `overdue`, with its progress counts."""
    today = today or timezone.localdate()
    items = list(
        PlanItem.objects.filter(agreement=agreement)
        .select_related("responsible_organization", "responsible_person__organization")
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=projects_visible_to(user).order_by("title", "pk"),
                to_attr="visible_projects",
            )
        )
    )
    see_all = can_see_unpublished(user)
    counts = dict.fromkeys(("done", "in_progress", "overdue", "planned", "cancelled"), 0)
    for item in items:
        item.overdue = item.is_overdue(today)
        if item.overdue:
            counts["overdue"] += 1
        else:
            counts[item.status] += 1
        organization = item.responsible_organization
        item.visible_organization = organization if organization and (see_all or organization.is_public) else None
        person = item.responsible_person
        item.visible_person = person if person and (see_all or person.organization.is_public) else None
    items.sort(key=lambda item: not item.overdue)  # stable: the plan's own order is kept within each part
    return PlanProgress(items=items, total=len(items) - counts["cancelled"], **counts)


def agreement_projects(agreement: Agreement, user) -> list[CooperationProject]:
    """Projects the agreement produced or its plan lists, with their visible parties."""
    in_plan = PlanItem.projects.through.objects.filter(planitem__agreement=agreement).values("cooperationproject_id")
    return list(
        projects_visible_to(user)
        .filter(Q(resulting_agreement=agreement) | Q(pk__in=in_plan))
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=ProjectParty.objects.filter(_public("organization__", user)).select_related("organization"),
                to_attr="visible_parties",
            )
        )
        .order_by("title", "pk")
    )
