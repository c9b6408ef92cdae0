"""Writes that matter for cooperation projects: opening one and recording its progress."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Currency, Organization
from companies.services import unique_slug
from missions.models import Meeting, Mission

from ..models import Agreement, CooperationProject, ProjectParty, ProjectUpdate

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
