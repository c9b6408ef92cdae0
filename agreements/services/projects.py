"""Writes that matter for cooperation projects: opening one, changing it, and recording its progress."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Currency, Organization, Person
from companies.roles import can_edit
from companies.services import unique_slug
from missions.models import Meeting, Mission
from missions.services.schedule import meeting_record_result

from ..models import Agreement, CooperationProject, ProjectParty, ProjectUpdate

# The fields of a project that project_update changes; its sectors are passed on their own.
PROJECT_FIELDS = (
    "title",
    "slug",
    "description",
    "stage",
    "expected_value",
    "currency",
    "origin_mission",
    "origin_meeting",
    "resulting_agreement",
    "curator",
    "next_step",
    "next_step_due",
    "is_public",
)
# The fields whose change is progress: logged as a project update, and it resets the follow-up clock.
PROGRESS_FIELDS = ("stage", "next_step", "next_step_due")

_UNCHANGED = object()


def project_check_origin(*, origin_mission: Mission | None, origin_meeting: Meeting | None) -> Mission | None:
    """The mission a project comes from: its origin meeting's, which must agree with the mission given."""
    if origin_meeting is None:
        return origin_mission
    if origin_mission is not None and origin_meeting.mission_id != origin_mission.pk:
        raise PortalError(_("The origin meeting belongs to another mission."), code="meeting_mission_mismatch")
    return origin_meeting.mission


@transaction.atomic
def project_create(
    *,
    title: str,
    parties: list[tuple[Organization, str]] | list[tuple[Organization, str, Person | None]],
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
    """Open a cooperation project between two or more organizations, and log its opening.

    `parties` are (organization, role) or (organization, role, contact person).
    """
    organizations = [party[0] for party in parties]
    if len({org.pk for org in organizations}) < 2:
        raise PortalError(_("A cooperation project needs at least two different organizations."), code="few_parties")
    if len(organizations) != len({org.pk for org in organizations}):
        raise PortalError(_("An organization appears twice among the parties."), code="duplicate_party")
    project = CooperationProject(
        title=title,
        slug=slug or unique_slug(CooperationProject, title),
        description=description,
        stage=stage,
        expected_value=expected_value,
        currency=currency,
        origin_mission=project_check_origin(origin_mission=origin_mission, origin_meeting=origin_meeting),
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
    for organization, role, *contact in parties:
        party = ProjectParty(project=project, organization=organization, role=role, contact=next(iter(contact), None))
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


# Outcomes a project opened from the meeting replaces; an agreement reached says more, and stays.
_OUTCOMES_BEFORE_A_PROJECT = (
    "",
    Meeting.Outcome.NO_FURTHER_CONTACT,
    Meeting.Outcome.FOLLOW_UP_AGREED,
    Meeting.Outcome.NEGOTIATION_STARTED,
)


@transaction.atomic
def project_from_meeting(*, meeting: Meeting, by) -> tuple[CooperationProject, bool]:
    """Open the cooperation project a B2B meeting led to, in one step: its two organizations as
    partners (each with its person at the meeting as contact), the mission and the meeting as its
    origin, the meeting's sectors, its topic as the title, and the acting staff member as curator.
    A held meeting's outcome becomes "project opened".

    A meeting opens one project: asked again, this returns the project it opened (and False).
    Refused for a meeting of a mission the user may not change, and for a cancelled or no-show one.
    """
    meeting = (
        Meeting.objects.select_for_update()
        .select_related("mission", "organization_a", "organization_b")
        .get(pk=meeting.pk)
    )
    if not can_edit(by, meeting.mission):
        raise PortalError(
            _("The meeting belongs to the mission “%(m)s”, which is not yours to change: its organizer's staff "
              "open projects from its meetings.") % {"m": meeting.mission},
            code="meeting_not_yours",
        )  # fmt: skip
    existing = CooperationProject.objects.filter(origin_meeting=meeting).order_by("created_at", "pk").first()
    if existing is not None:
        return existing, False
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW):
        raise PortalError(
            _("The meeting is “%(s)s”: a meeting that did not take place opens no project.")
            % {"s": meeting.get_status_display()},
            code="meeting_not_held",
        )
    people = list(meeting.people.all())

    def contact(organization):
        return next((person for person in people if person.organization_id == organization.pk), None)

    title = meeting.topic.strip() or f"{meeting.organization_a} — {meeting.organization_b}"
    project = project_create(
        title=title[: CooperationProject._meta.get_field("title").max_length],
        parties=[
            (meeting.organization_a, ProjectParty.Role.PARTNER, contact(meeting.organization_a)),
            (meeting.organization_b, ProjectParty.Role.PARTNER, contact(meeting.organization_b)),
        ],
        sectors=list(meeting.sectors.all()),
        origin_mission=meeting.mission,
        origin_meeting=meeting,
        curator=by,
        by=by,
    )
    if meeting.status == Meeting.Status.HELD and meeting.outcome in _OUTCOMES_BEFORE_A_PROJECT:
        meeting_record_result(meeting=meeting, status=meeting.status, outcome=Meeting.Outcome.PROJECT_OPENED, by=by)
    return project, True


@transaction.atomic
def project_update(
    *, project: CooperationProject, by, note: str = "", sectors=None, reported_by=None, **changes
) -> CooperationProject:
    """Change a project in one save: new values for any of PROJECT_FIELDS, its sectors, and a note.

    A note, or a change of stage or next step, is progress: refused as project_record_progress refuses
    it (the stage moves through CooperationProject.TRANSITIONS, a closed project takes none), logged
    as a project update, and it resets the follow-up clock. Other fields change without that.
    """
    unknown = set(changes) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"project_update() got fields it does not change: {', '.join(sorted(unknown))}")
    project = CooperationProject.objects.select_for_update().get(pk=project.pk)
    progress = {name: changes.pop(name) for name in PROGRESS_FIELDS if name in changes}
    records = bool(note.strip()) or any(value != getattr(project, name) for name, value in progress.items())
    return _project_change(
        project,
        by=by,
        note=note,
        reported_by=reported_by,
        progress=progress if records else {},
        changes=changes,
        sectors=sectors,
        records=records,
    )


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

    The personal area, the one-click link, the API and the admin's project update page record
    progress through here (the admin's project page through project_update, with its other fields).
    Any recorded progress resets the project's follow-up clock. Refuses an empty update, a stage
    move the workflow does not allow, and a change to a closed project.
    """
    project = CooperationProject.objects.select_for_update().get(pk=project.pk)
    progress = {"stage": stage} if stage is not None else {}
    if next_step is not _UNCHANGED:
        progress["next_step"] = next_step
    if next_step_due is not _UNCHANGED:
        progress["next_step_due"] = next_step_due
    return _project_change(
        project, by=by, note=note, reported_by=reported_by, progress=progress, changes={}, sectors=None, records=True
    )


def _project_change(project, *, by, note, reported_by, progress: dict, changes: dict, sectors, records: bool):
    """Save the change of a locked project; with `records`, as progress (checked, logged, clock reset)."""
    if records:
        project_check_progress(project=project, note=note, **progress)
    if {"origin_mission", "origin_meeting"} & set(changes):
        changes["origin_mission"] = project_check_origin(
            origin_mission=changes.get("origin_mission", project.origin_mission),
            origin_meeting=changes.get("origin_meeting", project.origin_meeting),
        )
    stage_from = project.stage
    for name, value in changes.items():
        setattr(project, name, value)
    stage_changes = "stage" in progress and progress["stage"] != project.stage
    step_changes = "next_step" in progress and progress["next_step"] != project.next_step
    due_changes = "next_step_due" in progress and progress["next_step_due"] != project.next_step_due
    for name, value in progress.items():
        setattr(project, name, value)
    if records:
        if project.stage in CooperationProject.CLOSED_STAGES:
            project.next_step, project.next_step_due = "", None
        project.last_activity_at = timezone.now()
    project.full_clean()
    project.save()
    if sectors is not None:
        project.sectors.set(sectors)
    if records:
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


# --- Checks the staff admin shows as form errors ---------------------------------------------


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
