"""Reads of agreements and projects that are more than one line, and who may see which."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from companies.models import Currency, Organization
from companies.selectors import visible_or_none, visible_q

from .models import Agreement, AgreementParty, CooperationProject, PlanItem, ProjectParty, Signatory


def plan_items_overdue(*, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    today = today or timezone.localdate()
    return PlanItem.objects.filter(PlanItem.overdue_q(today)).select_related(
        "agreement", "responsible_organization", "responsible_person__organization"
    )


def agreements_visible_to(user) -> QuerySet[Agreement]:
    return Agreement.objects.select_related("signed_at_mission").filter(visible_q(user))


def projects_visible_to(user) -> QuerySet[CooperationProject]:
    return CooperationProject.objects.select_related("origin_mission", "resulting_agreement").filter(visible_q(user))


# --- Contracts: the one definition ---------------------------------------------------------------
# A signed contract is a cooperation project at a contract stage, or a commercial contract registered
# as an agreement that has been signed (signed, in force or expired) with no counted project behind it
# (a project whose `resulting_agreement` it is). Its value is the project's expected value or the
# contract's value, summed per currency and never converted.

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
# An agreement in one of these states has been signed.
AGREEMENT_SIGNED_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED)


def projects_contract_signed(projects: QuerySet[CooperationProject]) -> QuerySet[CooperationProject]:
    """The projects that count as signed contracts."""
    return projects.filter(stage__in=PROJECT_CONTRACT_STAGES)


def agreements_counted_as_contracts(
    agreements: QuerySet[Agreement], projects: QuerySet[CooperationProject]
) -> QuerySet[Agreement]:
    """Signed commercial contracts that count on their own: none of `projects` at a contract stage
    produced them (that project is the contract, counted once)."""
    behind = projects_contract_signed(projects).filter(resulting_agreement=OuterRef("pk"))
    return agreements.filter(kind=Agreement.Kind.CONTRACT, status__in=AGREEMENT_SIGNED_STATUSES).exclude(Exists(behind))


@dataclass
class ContractTotals:
    count: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)  # currency → sum

    def add(self, currency: str, amount: Decimal | None) -> None:
        if amount:
            self.values[currency] = self.values.get(currency, Decimal(0)) + amount

    @property
    def roubles(self) -> Decimal:
        return self.values.get(Currency.RUB, Decimal(0))

    @property
    def other_currencies(self) -> list[tuple[str, Decimal]]:
        return sorted((c, v) for c, v in self.values.items() if c != Currency.RUB)


def contracts_signed(projects: QuerySet[CooperationProject], agreements: QuerySet[Agreement]) -> ContractTotals:
    """How many contracts `projects` and `agreements` hold and their value per currency: two queries."""
    totals = ContractTotals()
    sources = (
        (projects_contract_signed(projects), "expected_value"),
        (agreements_counted_as_contracts(agreements, projects), "value"),
    )
    for rows, value_field in sources:
        for row in rows.order_by().values("currency").annotate(n=Count("pk", distinct=True), value=Sum(value_field)):
            totals.count += row["n"]
            totals.add(row["currency"], row["value"])
    return totals


def projects_born_at(projects: QuerySet[CooperationProject], missions: QuerySet) -> QuerySet[CooperationProject]:
    """Projects born at one of `missions`: at the mission itself or at one of its meetings."""
    return projects.filter(Q(origin_mission__in=missions) | Q(origin_meeting__mission__in=missions))


# --- Pages: the registry and the status page ---------------------------------------------------


def _visible_parties(user) -> Prefetch:
    return Prefetch(
        "parties",
        queryset=AgreementParty.objects.filter(visible_q(user, "organization__")).select_related(
            "organization__region"
        ),
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
    overdue = PlanItem.overdue_q(today, prefix="plan_items__")
    return (
        agreements.annotate(
            plan_total=Count(
                "plan_items", filter=Q(plan_items__status__in=[*PlanItem.OPEN_STATUSES, PlanItem.Status.DONE])
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
                queryset=Signatory.objects.filter(visible_q(user, "person__organization__"))
                .filter(Q(on_behalf_of__isnull=True) | visible_q(user, "on_behalf_of__"))
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
    """An implementation plan counted by status in SQL (one GROUP BY query, whatever its length); an
    overdue item (`PlanItem.overdue_q`) counts as overdue, not as planned or in progress; cancelled
    items count nowhere but in `cancelled`."""

    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    planned: int = 0
    cancelled: int = 0
    # The rows shown, which the view sets: a page of the plan, or all of it for the printed report.
    items: Iterable[PlanItem] = ()

    @property
    def items_total(self) -> int:
        """Every item of the plan, cancelled ones too: the rows its table pages through."""
        return self.total + self.cancelled

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


def agreement_plan_progress(agreement: Agreement, *, today: datetime.date | None = None) -> PlanProgress:
    """The plan's items counted by status, the overdue ones apart: one query."""
    today = today or timezone.localdate()
    rows = (
        PlanItem.objects.filter(agreement=agreement)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=PlanItem.overdue_q(today)))
    )
    progress = PlanProgress()
    for row in rows:
        progress.overdue += row["overdue"]
        setattr(progress, row["status"], getattr(progress, row["status"]) + row["n"] - row["overdue"])
    progress.total = progress.done + progress.in_progress + progress.overdue + progress.planned
    return progress


def agreement_plan_items(agreement: Agreement, user, *, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    """The plan in the status page's order: overdue items first, then the plan's own order (due date,
    number) within each part; with what a row shows. Mark a loaded page with `plan_items_mark`."""
    today = today or timezone.localdate()
    return (
        PlanItem.objects.filter(agreement=agreement)
        .select_related("responsible_organization", "responsible_person__organization")
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=projects_visible_to(user).order_by("title", "pk"),
                to_attr="visible_projects",
            )
        )
        .alias(late=Case(When(PlanItem.overdue_q(today), then=Value(0)), default=Value(1)))
        .order_by("late", F("due_date").asc(nulls_last=True), "number", "pk")
    )


def plan_items_mark(items, user, *, today: datetime.date | None = None) -> None:
    """Set `overdue` (`PlanItem.is_overdue`), `visible_organization` and `visible_person` on loaded items."""
    today = today or timezone.localdate()
    for item in items:
        item.overdue = item.is_overdue(today)
        item.visible_organization = visible_or_none(item.responsible_organization, user)
        person = item.responsible_person
        item.visible_person = person if person and visible_or_none(person.organization, user) else None


def projects_of_agreement(agreement: Agreement, user) -> QuerySet[CooperationProject]:
    """Projects the agreement produced or its plan lists, that the user may see."""
    in_plan = PlanItem.projects.through.objects.filter(planitem__agreement=agreement).values("cooperationproject_id")
    return projects_visible_to(user).filter(Q(resulting_agreement=agreement) | Q(pk__in=in_plan))


def project_parties_visible_to(user) -> Prefetch:
    """A project's parties the user may see, as `visible_parties`."""
    return Prefetch(
        "parties",
        queryset=ProjectParty.objects.filter(visible_q(user, "organization__")).select_related("organization"),
        to_attr="visible_parties",
    )


def agreement_projects(agreement: Agreement, user) -> list[CooperationProject]:
    """Projects the agreement produced or its plan lists, with their visible parties."""
    return list(
        projects_of_agreement(agreement, user)
        .prefetch_related(project_parties_visible_to(user))
        .order_by("title", "pk")
    )


def projects_of_organization(organization: Organization) -> QuerySet[CooperationProject]:
    """Projects the organization is a party to, published or not: its own work is never hidden from it."""
    parties = ProjectParty.objects.select_related("organization").order_by("pk")
    return (
        CooperationProject.objects.filter(
            pk__in=ProjectParty.objects.filter(organization=organization).values("project")
        )
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-last_activity_at", "title")
    )
