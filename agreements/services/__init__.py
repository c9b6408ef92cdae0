"""Writes that matter for agreements, their plans and cooperation projects."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Currency, Organization
from companies.services import unique_slug
from missions.models import Meeting, Mission

from ..models import Agreement, CooperationProject, PlanItem, ProjectParty, ProjectUpdate

# --- Agreements ----------------------------------------------------------------------------


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
    if agreement.status != Agreement.Status.DRAFT:
        raise PortalError(
            _("Only a draft can be signed; this agreement is “%(s)s”.") % {"s": agreement.get_status_display()},
            code="not_draft",
        )
    agreement_check_status_change(current=agreement.status, status=Agreement.Status.SIGNED, signed_on=signed_on)
    if agreement.parties.count() < 2:
        raise PortalError(_("An agreement needs at least two parties before it is signed."), code="few_parties")
    agreement.signed_on = signed_on
    agreement.signed_at_mission = mission or agreement.signed_at_mission
    agreement.signing_place = place or agreement.signing_place
    agreement.status = Agreement.Status.SIGNED
    agreement.full_clean()
    agreement.save()
    return agreement_refresh_status(agreement=agreement)


# Statuses staff set by hand; "in force" and "expired" then follow from the dates.
AGREEMENT_MANUAL_TRANSITIONS = {
    Agreement.Status.DRAFT: {Agreement.Status.SIGNED, Agreement.Status.IN_FORCE},
    Agreement.Status.SIGNED: {Agreement.Status.TERMINATED},
    Agreement.Status.IN_FORCE: {Agreement.Status.TERMINATED},
}


def agreement_check_status_change(
    *, current: str, status: str, signed_on: datetime.date | None = None, reason: str = ""
) -> None:
    """Refuse a status change staff may not make by hand, so a form can say so before saving."""
    if status == current:
        return
    if status not in AGREEMENT_MANUAL_TRANSITIONS.get(current, set()):
        raise PortalError(
            _("An agreement cannot be moved from “%(a)s” to “%(b)s” by hand: sign a draft or terminate an "
              "agreement; “in force” and “expired” follow from its dates.")
            % {"a": Agreement.Status(current).label, "b": dict(Agreement.Status.choices).get(status, status)},
            code="bad_transition",
        )  # fmt: skip
    if status == Agreement.Status.TERMINATED and not reason.strip():
        raise PortalError(_("Give the reason for the termination."), code="no_reason")
    if signed_on and signed_on > timezone.localdate():
        raise PortalError(_("The signing date cannot be in the future."), code="future_signing")


def agreement_status_on(agreement: Agreement, today: datetime.date) -> str:
    """The status the dates give a signed agreement on `today`; drafts and terminated stay as they are."""
    if agreement.status not in (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED):
        return agreement.status
    if agreement.valid_until and agreement.valid_until < today:
        return Agreement.Status.EXPIRED
    if agreement.valid_from is None or agreement.valid_from <= today:
        return Agreement.Status.IN_FORCE
    return Agreement.Status.SIGNED


def agreement_refresh_status(*, agreement: Agreement, today: datetime.date | None = None) -> Agreement:
    status = agreement_status_on(agreement, today or timezone.localdate())
    if status != agreement.status:
        agreement.status = status
        agreement.save(update_fields=["status", "updated_at"])
    return agreement


def agreements_refresh_statuses(*, today: datetime.date | None = None) -> int:
    """Bring signed agreements into force and expire those past their term. Returns rows changed.

    Idempotent: a second run on the same day changes nothing. Each row is saved on its own so that
    the change history says when it expired.
    """
    today = today or timezone.localdate()
    changed = 0
    candidates = Agreement.objects.filter(
        status__in=[Agreement.Status.SIGNED, Agreement.Status.IN_FORCE, Agreement.Status.EXPIRED]
    )
    for agreement in candidates.iterator():
        with transaction.atomic():
            before = agreement.status
            agreement_refresh_status(agreement=agreement, today=today)
            changed += agreement.status != before
    return changed


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, on: datetime.date, reason: str, by=None) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status not in (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE):
        raise PortalError(_("Only a signed agreement in force can be terminated."), code="not_in_force")
    agreement_check_status_change(current=agreement.status, status=Agreement.Status.TERMINATED, reason=reason)
    agreement.status = Agreement.Status.TERMINATED
    agreement.valid_until = on
    agreement.summary = (agreement.summary + "\n\n" if agreement.summary else "") + _("Terminated: %(r)s") % {
        "r": reason
    }
    agreement.full_clean()
    agreement.save()
    return agreement


# --- Implementation plans ------------------------------------------------------------------


@transaction.atomic
def plan_item_set_status(
    *, item: PlanItem, status: str, completed_on: datetime.date | None = None, evidence: str = "", by=None
) -> PlanItem:
    """Move a plan item; `done` needs the completion date (today by default), never a future one."""
    # Marking an item done again (say, to add evidence) keeps the date it was done on.
    already_done_on = item.completed_on if item.status == PlanItem.Status.DONE else None
    completed_on = plan_item_completion_date(status=status, completed_on=completed_on or already_done_on)
    item.status, item.completed_on = status, completed_on
    if evidence:
        item.evidence = evidence
    item.full_clean()
    item.save()
    return item


# --- Cooperation projects ------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    title: str,
    parties: list[tuple[Organization, str]],
    description: str = "",
    sectors=(),
    stage: str = CooperationProject.Stage.LEAD,
    expected_value: Decimal | None = None,
    currency: str = Currency.RUB,
    origin_mission: Mission | None = None,
    origin_meeting: Meeting | None = None,
    resulting_agreement: Agreement | None = None,
    curator=None,
    next_step: str = "",
    next_step_due: datetime.date | None = None,
    is_public: bool = False,
    slug: str = "",
    by=None,
) -> CooperationProject:
    """Open a cooperation project between two or more organizations."""
    organizations = [org for org, _role in parties]
    if len({org.pk for org in organizations}) < 2:
        raise PortalError(_("A cooperation project needs at least two different organizations."), code="few_parties")
    if len(organizations) != len({org.pk for org in organizations}):
        raise PortalError(_("An organization appears twice among the parties."), code="duplicate_party")
    if origin_meeting is not None:
        if origin_mission is not None and origin_meeting.mission_id != origin_mission.pk:
            raise PortalError(_("The origin meeting belongs to another mission."), code="meeting_mission_mismatch")
        origin_mission = origin_meeting.mission
    project = CooperationProject(
        title=title,
        slug=slug or unique_slug(CooperationProject, title),
        description=description,
        stage=stage,
        expected_value=expected_value,
        currency=currency,
        origin_mission=origin_mission,
        origin_meeting=origin_meeting,
        resulting_agreement=resulting_agreement,
        curator=curator,
        next_step=next_step,
        next_step_due=next_step_due,
        is_public=is_public,
        last_activity_at=timezone.now(),
    )
    project.full_clean()
    project.save()
    project.sectors.set(sectors)
    for organization, role in parties:
        party = ProjectParty(project=project, organization=organization, role=role)
        party.full_clean()
        party.save()
    ProjectUpdate.objects.create(
        project=project,
        author=by,
        text=_("Project opened."),
        stage_to=stage,
        next_step=next_step,
        next_step_due=next_step_due,
    )
    return project


_UNCHANGED = object()


@transaction.atomic
def project_record_progress(
    *,
    project: CooperationProject,
    by,
    note: str = "",
    stage: str | None = None,
    next_step=_UNCHANGED,
    next_step_due=_UNCHANGED,
    reported_by=None,
) -> CooperationProject:
    """Record progress on a project: a note, a stage change, a new next step and its date.

    Every front door (admin, personal area, one-click link, API) records progress through here.
    Any recorded progress resets the project's follow-up clock. Refuses an empty update, a stage
    move the workflow does not allow, and a change to a closed project.
    """
    project = CooperationProject.objects.select_for_update().get(pk=project.pk)
    project_check_progress(project=project, note=note, stage=stage, next_step=next_step, next_step_due=next_step_due)
    stage_changes = stage is not None and stage != project.stage
    step_changes = next_step is not _UNCHANGED and next_step != project.next_step
    due_changes = next_step_due is not _UNCHANGED and next_step_due != project.next_step_due
    stage_from = project.stage
    if stage_changes:
        project.stage = stage
    if step_changes:
        project.next_step = next_step
    if due_changes:
        project.next_step_due = next_step_due
    if project.stage in CooperationProject.CLOSED_STAGES:
        project.next_step, project.next_step_due = "", None
    project.last_activity_at = timezone.now()
    project.full_clean()
    project.save()
    ProjectUpdate.objects.create(
        project=project,
        author=by,
        reported_by=reported_by,
        text=note.strip(),
        stage_from=stage_from if stage_changes else "",
        stage_to=project.stage if stage_changes else "",
        next_step=project.next_step if (step_changes or due_changes) else "",
        next_step_due=project.next_step_due if (step_changes or due_changes) else None,
    )
    return project


# --- Checks the staff admin shows as form errors, and its writes ----------------------------


def plan_item_completion_date(*, status: str, completed_on: datetime.date | None) -> datetime.date | None:
    """The completion date plan_item_set_status stores for `status`; refuses a future one."""
    if status != PlanItem.Status.DONE:
        return None
    today = timezone.localdate()
    completed_on = completed_on or today
    if completed_on > today:
        raise PortalError(_("The completion date cannot be in the future."), code="future_completion")
    return completed_on


def project_check_progress(
    *,
    project: CooperationProject,
    note: str = "",
    stage: str | None = None,
    next_step=_UNCHANGED,
    next_step_due=_UNCHANGED,
) -> None:
    """Refuse what project_record_progress would refuse, so a form can say so before anything is saved."""
    stage_changes = stage is not None and stage != project.stage
    step_changes = next_step is not _UNCHANGED and next_step != project.next_step
    due_changes = next_step_due is not _UNCHANGED and next_step_due != project.next_step_due
    if not (note.strip() or stage_changes or step_changes or due_changes):
        raise PortalError(_("Nothing to record: write a note or change the stage or next step."), code="empty_update")
    if project.stage in CooperationProject.CLOSED_STAGES:
        raise PortalError(
            _("The project is “%(s)s”: it takes no more updates.") % {"s": project.get_stage_display()}, code="closed"
        )
    if stage_changes and not project.can_move_to(stage):
        raise PortalError(
            _("A project cannot go from “%(a)s” to “%(b)s”.")
            % {"a": project.get_stage_display(), "b": dict(CooperationProject.Stage.choices).get(stage, stage)},
            code="bad_transition",
        )
    if due_changes and next_step_due and next_step_due < timezone.localdate():
        raise PortalError(_("The next step's due date is in the past."), code="due_in_past")
    # The row rules (a due date needs a step) on an unsaved copy; the caller's instance stays as it is.
    after = CooperationProject(**{f.attname: getattr(project, f.attname) for f in project._meta.concrete_fields})
    after.stage = stage if stage_changes else project.stage
    after.next_step = next_step if step_changes else project.next_step
    after.next_step_due = next_step_due if due_changes else project.next_step_due
    if after.stage in CooperationProject.CLOSED_STAGES:
        after.next_step, after.next_step_due = "", None
    after.full_clean(validate_unique=False)


@transaction.atomic
def project_opened_in_admin(*, project: CooperationProject, by) -> ProjectUpdate:
    """Log the opening of a project the admin saved with its parties, as project_create does."""
    if project.parties.count() < 2:
        raise PortalError(_("A cooperation project needs at least two different organizations."), code="few_parties")
    project.last_activity_at = timezone.now()
    project.save(update_fields=["last_activity_at"])
    return ProjectUpdate.objects.create(
        project=project,
        author=by,
        text=_("Project opened."),
        stage_to=project.stage,
        next_step=project.next_step,
        next_step_due=project.next_step_due,
    )
