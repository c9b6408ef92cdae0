"""Writes that matter for agreements and their implementation plans."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Organization, Person
from companies.services import unique_slug
from missions.models import Mission

from ..models import Agreement, AgreementParty, PlanItem

# --- Agreements ----------------------------------------------------------------------------

# The fields of an agreement that agreement_update changes; its spheres are passed on their own.
AGREEMENT_FIELDS = (
    "kind",
    "number",
    "title",
    "slug",
    "summary",
    "status",
    "signed_on",
    "signed_at_mission",
    "signing_place",
    "valid_from",
    "valid_until",
    "supersedes",
    "value",
    "currency",
    "document",
    "is_public",
)


def agreement_check_status_change(
    *, agreement: Agreement, status: str, signed_on: datetime.date | None = None, reason: str = ""
) -> None:
    """Refuse a status change staff may not make by hand (Agreement.TRANSITIONS), so a form can say so first."""
    if status == agreement.status:
        return
    if not agreement.can_move_to(status):
        raise PortalError(
            _("An agreement cannot be moved from “%(a)s” to “%(b)s” by hand: sign a draft or terminate an "
              "agreement; “in force” and “expired” follow from its dates.")
            % {"a": agreement.get_status_display(), "b": dict(Agreement.Status.choices).get(status, status)},
            code="bad_transition",
        )  # fmt: skip
    if status == Agreement.Status.TERMINATED and not reason.strip():
        raise PortalError(_("Give the reason for the termination."), code="no_reason")
    if signed_on and signed_on > timezone.localdate():
        raise PortalError(_("The signing date cannot be in the future."), code="future_signing")


def _agreement_move(
    agreement: Agreement, status: str, *, parties: int, reason: str = "", on: datetime.date | None = None
) -> None:
    """Move an agreement, not yet saved, by hand: sign a draft or terminate an agreement.

    A signed agreement is in force at once unless it starts later (Agreement.status_on); a terminated
    one ends on `on` (today by default) and its summary keeps the reason.
    """
    agreement_check_status_change(agreement=agreement, status=status, signed_on=agreement.signed_on, reason=reason)
    today = timezone.localdate()
    if status == Agreement.Status.TERMINATED:
        agreement.status, agreement.valid_until = status, on or today
        agreement.summary = (agreement.summary + "\n\n" if agreement.summary else "") + _("Terminated: %(r)s") % {
            "r": reason
        }
        return
    if parties < 2:
        raise PortalError(_("An agreement needs at least two parties before it is signed."), code="few_parties")
    agreement.status = Agreement.Status.SIGNED
    agreement.status = agreement.status_on(today)


@transaction.atomic
def agreement_create(
    *,
    title: str,
    kind: str,
    parties: list[tuple[Organization, str]] = (),
    status: str = Agreement.Status.DRAFT,
    number: str = "",
    slug: str = "",
    summary: str = "",
    signed_on: datetime.date | None = None,
    signed_at_mission: Mission | None = None,
    signing_place: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    supersedes: Agreement | None = None,
    value: Decimal | None = None,
    currency: str = "",
    document=None,
    spheres=(),
    is_public: bool = False,
    by=None,
) -> Agreement:
    """Register an agreement with its parties (organization, role).

    It starts as a draft; one registered as signed or in force is signed in the same step, as
    agreement_sign signs a draft (Agreement.TRANSITIONS).
    """
    agreement = Agreement(
        title=title,
        kind=kind,
        number=number,
        slug=slug or unique_slug(Agreement, title),
        summary=summary,
        signed_on=signed_on,
        signed_at_mission=signed_at_mission,
        signing_place=signing_place,
        valid_from=valid_from,
        valid_until=valid_until,
        supersedes=supersedes,
        value=value,
        currency=currency,
        document=document or "",
        is_public=is_public,
        status=Agreement.Status.DRAFT,
    )
    if status != agreement.status:
        _agreement_move(agreement, status, parties=len({organization.pk for organization, _role in parties}))
    agreement.full_clean()
    agreement.save()
    agreement.spheres.set(spheres)
    for organization, role in parties:
        party = AgreementParty(agreement=agreement, organization=organization, role=role)
        party.full_clean()
        party.save()
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    spheres=None,
    termination_reason: str = "",
    terminated_on: datetime.date | None = None,
    by=None,
    **changes,
) -> Agreement:
    """Change an agreement in one save: new values for any of AGREEMENT_FIELDS, and its spheres.

    A new status goes through Agreement.TRANSITIONS with the other new values: a draft is signed
    (it needs two parties; in force unless it starts later), or an agreement is terminated (it
    needs the reason; it ends on `terminated_on`, today by default).
    """
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"agreement_update() got fields it does not change: {', '.join(sorted(unknown))}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    status = changes.pop("status", agreement.status)
    for name, value in changes.items():
        setattr(agreement, name, value)
    if status != agreement.status:
        _agreement_move(
            agreement, status, parties=agreement.parties.count(), reason=termination_reason, on=terminated_on
        )
    agreement.full_clean()
    agreement.save()
    if spheres is not None:
        agreement.spheres.set(spheres)
    return agreement


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    signed_on: datetime.date | None,
    mission: Mission | None = None,
    place: str = "",
    by=None,
) -> Agreement:
    """Record the signing of a draft; it is in force at once unless it starts later.

    `signed_on=None` records a signing whose date the source does not state.
    """
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.can_move_to(Agreement.Status.SIGNED):
        raise PortalError(
            _("Only a draft can be signed; this agreement is “%(s)s”.") % {"s": agreement.get_status_display()},
            code="not_draft",
        )
    return agreement_update(
        agreement=agreement,
        status=Agreement.Status.SIGNED,
        signed_on=signed_on,
        signed_at_mission=mission or agreement.signed_at_mission,
        signing_place=place or agreement.signing_place,
        by=by,
    )


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, on: datetime.date, reason: str, by=None) -> Agreement:
    """End a signed agreement on `on`, for the reason given."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.can_move_to(Agreement.Status.TERMINATED):
        raise PortalError(_("Only a signed agreement in force can be terminated."), code="not_in_force")
    return agreement_update(
        agreement=agreement,
        status=Agreement.Status.TERMINATED,
        termination_reason=reason,
        terminated_on=on,
        by=by,
    )


@transaction.atomic
def agreements_refresh_statuses(
    *, agreements: QuerySet[Agreement] | None = None, today: datetime.date | None = None, by=None
) -> int:
    """Bring signed agreements into force and expire those past their term (Agreement.status_on).

    All agreements, or those of `agreements` (an admin's selection). Returns how many changed; a
    second run on the same day changes none. The rows are locked and refreshed in one transaction,
    each changed row saved on its own so that its change history says when it came into force or expired.
    """
    today = today or timezone.localdate()
    candidates = Agreement.objects.select_for_update().filter(status__in=Agreement.DATED_STATUSES).order_by("pk")
    if agreements is not None:
        candidates = candidates.filter(pk__in=agreements.values("pk"))
    changed = 0
    for agreement in candidates:
        status = agreement.status_on(today)
        if status != agreement.status:
            agreement.status = status
            agreement.save(update_fields=["status", "updated_at"])
            changed += 1
    return changed


# --- Implementation plans ------------------------------------------------------------------


# The fields of a plan item that plan_item_update changes; its projects are passed on their own.
PLAN_ITEM_FIELDS = (
    "agreement",
    "number",
    "action",
    "responsible_organization",
    "responsible_person",
    "due_date",
    "status",
    "completed_on",
    "evidence",
)


@transaction.atomic
def plan_item_create(
    *,
    agreement: Agreement,
    action: str,
    number: str = "",
    responsible_organization: Organization | None = None,
    responsible_person: Person | None = None,
    due_date: datetime.date | None = None,
    status: str = PlanItem.Status.PLANNED,
    completed_on: datetime.date | None = None,
    evidence: str = "",
    projects=(),
    by=None,
) -> PlanItem:
    """Add an action to an agreement's plan; one added as done is done today unless it says when."""
    item = PlanItem(
        agreement=agreement,
        number=number,
        action=action,
        responsible_organization=responsible_organization,
        responsible_person=responsible_person,
        due_date=due_date,
        status=status,
        completed_on=plan_item_completion_date(status=status, completed_on=completed_on),
        evidence=evidence,
    )
    item.full_clean()
    item.save()
    item.projects.set(projects)
    return item


@transaction.atomic
def plan_item_update(*, item: PlanItem, projects=None, by=None, **changes) -> PlanItem:
    """Change a plan item in one save: new values for any of PLAN_ITEM_FIELDS, and its projects.

    A new status goes through PlanItem.TRANSITIONS. A done item has its completion date: the one
    given, else the one it was done on, else today; never a future one. Any other status has none.
    """
    unknown = set(changes) - set(PLAN_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"plan_item_update() got fields it does not change: {', '.join(sorted(unknown))}")
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    status = changes.pop("status", item.status)
    completed_on = changes.pop("completed_on", None)
    plan_item_check_status_change(item=item, status=status)
    # Marking an item done again (say, to add evidence) keeps the date it was done on.
    already_done_on = item.completed_on if item.status == PlanItem.Status.DONE else None
    for name, value in changes.items():
        setattr(item, name, value)
    item.status = status
    item.completed_on = plan_item_completion_date(status=status, completed_on=completed_on or already_done_on)
    item.full_clean()
    item.save()
    if projects is not None:
        item.projects.set(projects)
    return item


def plan_item_set_status(
    *, item: PlanItem, status: str, completed_on: datetime.date | None = None, evidence: str = "", by=None
) -> PlanItem:
    """Move a plan item; `done` needs the completion date (today by default), never a future one."""
    changes = {"evidence": evidence} if evidence else {}
    return plan_item_update(item=item, status=status, completed_on=completed_on, by=by, **changes)


def plan_item_completion_date(*, status: str, completed_on: datetime.date | None) -> datetime.date | None:
    """The completion date a plan item with `status` stores: none unless done, today by default, never later."""
    if status != PlanItem.Status.DONE:
        return None
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise PortalError(_("The completion date cannot be in the future."), code="future_completion")
    return completed_on


def plan_item_check_status_change(*, item: PlanItem, status: str) -> None:
    """Refuse a status the item may not move to (PlanItem.TRANSITIONS), so a form can say so before saving."""
    if item.pk and status != item.status and not item.can_move_to(status):
        raise PortalError(
            _("A plan item cannot go from “%(a)s” to “%(b)s”.")
            % {"a": item.get_status_display(), "b": dict(PlanItem.Status.choices).get(status, status)},
            code="bad_transition",
        )
