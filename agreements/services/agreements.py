"""Writes that matter for agreements and their implementation plans."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.dates import DatePrecision
from companies.exceptions import PortalError
from companies.models import Organization, Person
from companies.roles import can_edit
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
    "signed_on_precision",
    "signed_at_mission",
    "signing_place",
    "valid_from",
    "valid_until",
    "is_open_ended",
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
    if status == Agreement.Status.SUPERSEDED:
        raise PortalError(
            _("An agreement becomes “superseded” when a new agreement names it as the one it replaces: "
              "open the new agreement and choose this one in “renews or replaces”."),
            code="bad_transition",
        )  # fmt: skip
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
    signed_on_precision: str = DatePrecision.DAY,
    signed_at_mission: Mission | None = None,
    signing_place: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    is_open_ended: bool = False,
    supersedes: Agreement | None = None,
    value: Decimal | None = None,
    currency: str = "",
    document=None,
    spheres=(),
    followed_up_at=(),
    sources=(),
    is_public: bool = False,
    by=None,
) -> Agreement:
    """Register an agreement with its parties (organization, role).

    It starts as a draft; one registered as signed or in force is signed in the same step, as
    agreement_sign signs a draft (Agreement.TRANSITIONS). A signed one that names the agreement it
    `supersedes` replaces it (agreement_replace).
    """
    agreement = Agreement(
        title=title,
        kind=kind,
        number=number,
        slug=slug or unique_slug(Agreement, title),
        summary=summary,
        signed_on=signed_on,
        signed_on_precision=signed_on_precision,
        signed_at_mission=signed_at_mission,
        signing_place=signing_place,
        valid_from=valid_from,
        valid_until=valid_until,
        is_open_ended=is_open_ended,
        supersedes=supersedes,
        value=value,
        currency=currency,
        document=document or "",
        is_public=is_public,
        status=Agreement.Status.DRAFT,
    )
    if status != agreement.status:
        _agreement_move(agreement, status, parties=len({organization.pk for organization, _role in parties}))
    if supersedes is not None:
        agreement_check_replacement(agreement=agreement, replaced=supersedes, by=by)
    agreement.full_clean()
    agreement.save()
    agreement.spheres.set(spheres)
    agreement.followed_up_at.set(followed_up_at)
    agreement.sources.set(sources)
    for organization, role in parties:
        party = AgreementParty(agreement=agreement, organization=organization, role=role)
        party.full_clean()
        party.save()
    if supersedes is not None and agreement.is_signed:
        _agreement_supersede(supersedes, successor=agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    spheres=None,
    followed_up_at=None,
    sources=None,
    termination_reason: str = "",
    terminated_on: datetime.date | None = None,
    by=None,
    **changes,
) -> Agreement:
    """Change an agreement in one save: new values for any of AGREEMENT_FIELDS, its spheres, the
    missions that followed it up and its sources.

    A new status goes through Agreement.TRANSITIONS with the other new values: a draft is signed
    (it needs two parties; in force unless it starts later), or an agreement is terminated (it
    needs the reason; it ends on `terminated_on`, today by default). A signed agreement that names
    the one it `supersedes`, or a draft naming one that is signed now, replaces it (agreement_replace).
    """
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"agreement_update() got fields it does not change: {', '.join(sorted(unknown))}")
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    was_signed, replaced_before = agreement.is_signed, agreement.supersedes
    status = changes.pop("status", agreement.status)
    for name, value in changes.items():
        setattr(agreement, name, value)
    if status != agreement.status:
        _agreement_move(
            agreement, status, parties=agreement.parties.count(), reason=termination_reason, on=terminated_on
        )
    replaced = agreement.supersedes
    replaces_now = replaced is not None and agreement.is_signed and (not was_signed or replaced != replaced_before)
    # A replacement that took effect stays; a link that never did (recorded before replacements were) may change.
    took_effect = replaced_before is not None and replaced_before.status == Agreement.Status.SUPERSEDED
    if was_signed and took_effect and replaced != replaced_before:
        raise PortalError(
            _("This agreement already replaces “%(a)s”, which it superseded when it was signed; a replacement "
              "is not undone by choosing another agreement or none.") % {"a": replaced_before},
            code="replacement_changed",
        )  # fmt: skip
    if replaced is not None and replaced != replaced_before or replaces_now:
        agreement_check_replacement(agreement=agreement, replaced=replaced, by=by)
    agreement.full_clean()
    agreement.save()
    if spheres is not None:
        agreement.spheres.set(spheres)
    if followed_up_at is not None:
        agreement.followed_up_at.set(followed_up_at)
    if sources is not None:
        agreement.sources.set(sources)
    if replaces_now:
        _agreement_supersede(replaced, successor=agreement)
    return agreement


def agreement_replace(*, agreement: Agreement, replaced: Agreement, by=None) -> Agreement:
    """Record that `agreement` replaces `replaced`: the new one names it (`supersedes`), and once the
    new one is signed the old one is superseded as of the new one's signing date, kept as its end
    (`valid_until`, as a termination keeps its day). A draft only names it until it is signed.

    Refused: replacing itself, a draft, a terminated agreement, one already replaced by another, one
    the new agreement itself descends from (a loop), one signed later than the new one, and one the
    user may not change.
    """
    return agreement_update(agreement=agreement, supersedes=replaced, by=by)


def _precision_rank(precision: str) -> int:
    return {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}.get(precision, 0)


def _same_or_later(later: datetime.date, later_precision: str, earlier: datetime.date, precision: str) -> bool:
    """Is `later` on or after `earlier`, each read to its precision ("2015" is not before 10.03.2015)?"""
    coarser = max(later_precision, precision, key=_precision_rank)
    if coarser == DatePrecision.YEAR:
        return later.year >= earlier.year
    if coarser == DatePrecision.MONTH:
        return (later.year, later.month) >= (earlier.year, earlier.month)
    return later >= earlier


def agreement_check_replacement(*, agreement: Agreement, replaced: Agreement, by=None) -> None:
    """Refuse a replacement agreement_replace refuses; `agreement` carries the new values (not yet saved)."""
    names = {"a": replaced}
    if agreement.pk is not None and replaced.pk == agreement.pk:
        raise PortalError(_("An agreement cannot replace itself."), code="replaces_itself")
    if replaced.status == Agreement.Status.DRAFT:
        raise PortalError(
            _("“%(a)s” is a draft: a draft that was never signed is not replaced; change it instead.") % names,
            code="replaces_draft",
        )
    if replaced.status == Agreement.Status.TERMINATED:
        raise PortalError(
            _("“%(a)s” was terminated: a terminated agreement cannot be replaced.") % names,
            code="replaces_terminated",
        )
    # Drafts that name it only plan to replace it: the first one signed does.
    replacements = replaced.superseded_by.exclude(status=Agreement.Status.DRAFT)
    other = (replacements.exclude(pk=agreement.pk) if agreement.pk else replacements).first()
    if other is not None:
        raise PortalError(_("“%(a)s” is already replaced by “%(b)s”.") % {**names, "b": other}, code="already_replaced")
    seen, step = set(), replaced
    while agreement.pk is not None and step is not None and step.pk not in seen:
        if step.supersedes_id == agreement.pk:
            raise PortalError(
                _("“%(a)s” itself follows from this agreement: replacing it would make a loop.") % names,
                code="replacement_loop",
            )
        seen.add(step.pk)
        step = step.supersedes
    if (
        agreement.signed_on
        and replaced.signed_on
        and not _same_or_later(
            agreement.signed_on, agreement.signed_on_precision, replaced.signed_on, replaced.signed_on_precision
        )
    ):
        raise PortalError(
            _("“%(a)s” was signed on %(date)s, after this agreement: a replacement is signed later.")
            % {**names, "date": replaced.signed_on_as_given},
            code="replacement_earlier",
        )
    if agreement.signed_on and replaced.valid_from and agreement.signed_on < replaced.valid_from:
        raise PortalError(
            _("“%(a)s” came into force after this agreement was signed, so it cannot end on that day.") % names,
            code="replacement_earlier",
        )
    if by is not None and not can_edit(by, replaced):
        raise PortalError(
            _("“%(a)s” is not yours to change: only the staff of its parties can mark it as replaced.") % names,
            code="replaced_not_yours",
        )


def _agreement_supersede(replaced: Agreement, *, successor: Agreement) -> Agreement:
    """Mark `replaced` superseded by `successor` as of its signing date (its earlier end, if it ended before)."""
    replaced = Agreement.objects.select_for_update().get(pk=replaced.pk)
    ends_on = successor.signed_on
    if ends_on is not None and (replaced.valid_until is None or ends_on < replaced.valid_until):
        replaced.valid_until = ends_on
    replaced.status = Agreement.Status.SUPERSEDED
    replaced.full_clean()
    replaced.save()
    return replaced


@transaction.atomic
def agreement_sign(
    *,
    agreement: Agreement,
    signed_on: datetime.date | None,
    signed_on_precision: str = DatePrecision.DAY,
    mission: Mission | None = None,
    place: str = "",
    by=None,
) -> Agreement:
    """Record the signing of a draft; it is in force at once unless it starts later.

    `signed_on=None` records a signing whose date the source does not state; a date known only to its
    month or year comes with its `signed_on_precision`.
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
        signed_on_precision=signed_on_precision,
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
