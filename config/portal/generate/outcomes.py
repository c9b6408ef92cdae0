"""Generated outcomes: agreements with parties, signatories and plans; cooperation projects at every
stage with their parties and updates; the check-in reminders already sent about them."""

import datetime
from decimal import Decimal

from agreements.models import (
    Agreement,
    AgreementParty,
    CooperationProject,
    PlanItem,
    ProjectParty,
    ProjectUpdate,
    Reminder,
    Signatory,
)
from agreements.models.followup import default_checkin_offsets
from missions.models import Meeting, Mission

from . import vocabulary as words
from .base import SLUG_PREFIX, Dice, Writer
from .directory import Directory
from .missions import MissionFacts

Stage, Kind = CooperationProject.Stage, Agreement.Kind
# The way a project goes; a project at a stage has passed the ones before it (suspended and dropped
# leave from negotiation).
PATH = [Stage.LEAD, Stage.NEGOTIATION, Stage.PROPOSAL, Stage.CONTRACT_SIGNED, Stage.IN_IMPLEMENTATION, Stage.COMPLETED]
STAGE_WEIGHTS = {
    Stage.LEAD: 15, Stage.NEGOTIATION: 30, Stage.PROPOSAL: 15, Stage.CONTRACT_SIGNED: 12,
    Stage.IN_IMPLEMENTATION: 10, Stage.COMPLETED: 8, Stage.SUSPENDED: 5, Stage.DROPPED: 5,
}  # fmt: skip
KIND_WEIGHTS = {
    Kind.INTERGOVERNMENTAL: 15,
    Kind.INTERAGENCY: 20,
    Kind.INSTITUTIONAL: 10,
    Kind.MEMORANDUM: 25,
    Kind.CONTRACT: 30,
}
PLANNED_KINDS = (Kind.INTERGOVERNMENTAL, Kind.INTERAGENCY, Kind.INSTITUTIONAL)
UTC = datetime.UTC


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _between(dice: Dice, a: datetime.date, b: datetime.date) -> datetime.date:
    return a + datetime.timedelta(days=dice.randint(0, max(0, (b - a).days)))


def agreements_generate(
    dice: Dice, writer: Writer, d: Directory, facts: list[MissionFacts], *, agreements: int, plan_items: int, today
):
    done = [f for f in facts if f.status == Mission.Status.COMPLETED]
    kinds = dice.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=agreements)
    planned = [i for i, kind in enumerate(kinds) if kind in PLANNED_KINDS] or [0]
    plan_sizes = dict(zip(planned, dice.heavy_tail(len(planned), plan_items, alpha=1.2, cap=0.0045), strict=True))
    Spheres = Agreement.spheres.through
    for start in range(0, agreements, 1000):
        rows, parties_of = [], []
        for i in range(start, min(agreements, start + 1000)):
            kind = kinds[i]
            mission = dice.choice(done) if done and dice.chance(0.4) else None
            if kind == Kind.CONTRACT:
                if mission and mission.delegation and mission.hosts:
                    parties = [dice.choice(mission.delegation), dice.choice(mission.hosts)]
                else:
                    region = dice.choice(list(d.companies))
                    parties = dice.sample(d.companies[region], 2) if len(d.companies[region]) > 1 else []
                if len(parties) < 2:
                    kind = kinds[i] = Kind.MEMORANDUM
            if kind != Kind.CONTRACT:
                a, b = (
                    (mission.origin_id, mission.destination_ids[0])
                    if mission
                    else [r.pk for r in dice.sample(d.regions, 2)]
                )
                parties = [d.ministries[a].pk, d.ministries[b].pk]
            signed = mission.end if mission else _between(dice, today - datetime.timedelta(days=365 * 8), today)
            draft = mission is None and dice.chance(0.05)
            valid_until = (
                None if dice.chance(0.3) else signed + datetime.timedelta(days=365 * dice.choice([1, 2, 3, 5]))
            )
            status = Agreement.Status.DRAFT if draft else Agreement.Status.IN_FORCE
            if not draft and valid_until and valid_until < today:
                status = Agreement.Status.EXPIRED
            elif not draft and dice.chance(0.04):
                status = Agreement.Status.TERMINATED
            value = Decimal(dice.randint(1, 5000) * 100_000) if kind == Kind.CONTRACT and dice.chance(0.7) else None
            rows.append(
                Agreement(
                    kind=kind,
                    number=f"{i + 1}-{signed.year}" if not draft else "",
                    title=words.AGREEMENT_TITLES[kind],
                    slug=f"{SLUG_PREFIX}agreement-{i + 1}",
                    summary="Стороны развивают сотрудничество в промышленности и торговле.",
                    signed_on=None if draft else signed,
                    signed_at_mission_id=mission.pk if mission and not draft else None,
                    signing_place="" if mission else "Москва",
                    valid_from=None if draft else signed,
                    valid_until=None if draft else valid_until,
                    is_open_ended=not draft and valid_until is None and dice.chance(0.5),
                    status=status,
                    value=value,
                    currency="RUB" if value is not None else "",
                    is_public=dice.chance(0.85),
                )
            )
            parties_of.append(parties)
        writer.create(rows)
        for index, (agreement, parties) in enumerate(zip(rows, parties_of, strict=True), start):
            contract = agreement.kind == Kind.CONTRACT
            roles = (
                [AgreementParty.Role.SUPPLIER, AgreementParty.Role.CUSTOMER]
                if contract
                else [AgreementParty.Role.PARTY] * 2
            )
            writer.add_all(
                AgreementParty(agreement=agreement, organization_id=o, role=r)
                for o, r in zip(parties, roles, strict=True)
            )
            if agreement.status != Agreement.Status.DRAFT:
                for org in parties:
                    person = d.directors.get(org) if contract else getattr(d.ministers.get(org), "pk", None)
                    if person:
                        writer.add(Signatory(agreement=agreement, person_id=person, on_behalf_of_id=org))
            if not contract:
                writer.add_all(Spheres(agreement_id=agreement.pk, sphere_id=s.pk) for s in dice.sample(d.spheres, 2))
            _plan(dice, writer, agreement, parties, plan_sizes.get(index, 0), today)
        writer.progress(f"agreements {min(agreements, start + 1000):,}/{agreements:,}")


def _plan(dice: Dice, writer: Writer, agreement: Agreement, parties: list[int], size: int, today) -> None:
    begin = agreement.valid_from or today
    end = agreement.valid_until or begin + datetime.timedelta(days=3 * 365)
    for n in range(1, size + 1):
        due = _between(dice, begin, end)
        if due < today:
            status = dice.weighted(list(PlanItem.Status), [20, 15, 55, 10])
        else:
            status = dice.weighted([PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS], [60, 40])
        writer.add(
            PlanItem(
                agreement=agreement,
                number=str(n),
                action=dice.choice(words.PLAN_ACTIONS),
                responsible_organization_id=dice.choice(parties),
                due_date=due,
                status=status,
                completed_on=min(due, today) if status == PlanItem.Status.DONE else None,
                evidence="Отчёт рабочей группы." if status == PlanItem.Status.DONE else "",
            )
        )


def projects_generate(dice: Dice, writer: Writer, d: Directory, facts: list[MissionFacts], *, projects: int, today):
    by_pk = {f.pk: f for f in facts}
    held = list(
        Meeting.objects.filter(mission_id__in=by_pk, status=Meeting.Status.HELD)
        .exclude(outcome__in=["", Meeting.Outcome.NO_FURTHER_CONTACT])
        .order_by("pk")
        .values_list("pk", "mission_id", "organization_a_id", "organization_b_id")
    )
    dice.shuffle(held)
    done = [f for f in facts if f.status == Mission.Status.COMPLETED and f.delegation and f.hosts]
    stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    checkin = default_checkin_offsets()[0]
    for start in range(0, projects, 2000):
        rows = []
        for i in range(start, min(projects, start + 2000)):
            meeting = held[i] if i < min(len(held), int(projects * 0.55)) else None
            if meeting:
                mission, a, b = by_pk[meeting[1]], meeting[2], meeting[3]
            elif done and dice.chance(0.7):
                mission = dice.choice(done)
                a, b = dice.choice(mission.delegation), dice.choice(mission.hosts)
            else:
                mission = None
                region = dice.choice(list(d.companies))
                a = dice.choice(d.companies[region])
                b = dice.choice(d.companies[dice.choice(list(d.companies))])
                if a == b:
                    b = next(o for o in d.companies[region] + [d.ministries[region].pk] if o != a)
            stage = dice.weighted(stages, weights)
            born = mission.end if mission else _between(dice, today - datetime.timedelta(days=365 * 5), today)
            active = _at(_between(dice, born, today), hour=dice.randint(7, 16))
            closed = stage in (Stage.COMPLETED, Stage.DROPPED)
            has_step = not closed and dice.chance(0.7)
            region_id = mission.origin_id if mission else None
            curator = d.staff.get(region_id) if region_id in d.staff else d.staff.get(dice.choice(list(d.staff)))
            product = dice.choice(words.PRODUCTS)
            project = CooperationProject(
                title=dice.choice(words.PROJECT_TITLES).format(p=product),
                slug=f"{SLUG_PREFIX}project-{i + 1}",
                description=f"Кооперационный проект: {product}.",
                stage=stage,
                expected_value=Decimal(dice.randint(5, 20_000) * 10_000) if dice.chance(0.6) else None,
                origin_mission_id=mission.pk if mission else None,
                origin_meeting_id=meeting[0] if meeting else None,
                curator=None if dice.chance(0.05) else curator,
                next_step=dice.choice(words.NEXT_STEPS) if has_step else "",
                next_step_due=_between(dice, active.date(), active.date() + datetime.timedelta(days=90))
                if has_step
                else None,
                last_activity_at=active,
                is_public=dice.chance(0.75),
            )
            project._parties, project._mission, project._born = (a, b), mission, born
            rows.append(project)
        writer.create(rows)
        Sectors = CooperationProject.sectors.through
        for project in rows:
            a, b = project._parties
            writer.add(
                ProjectParty(
                    project=project, organization_id=a, role=ProjectParty.Role.SUPPLIER, contact_id=d.directors.get(a)
                )
            )
            writer.add(
                ProjectParty(
                    project=project, organization_id=b, role=ProjectParty.Role.CUSTOMER, contact_id=d.directors.get(b)
                )
            )
            writer.add(Sectors(cooperationproject_id=project.pk, sector_id=dice.choice(d.sectors).pk))
            _updates(dice, writer, project)
            mission = project._mission
            contact = d.directors.get(a)
            if mission and contact and (today - mission.end).days >= checkin and dice.chance(0.3):
                sent_on = mission.end + datetime.timedelta(days=checkin)
                writer.add(
                    Reminder(
                        kind=Reminder.Kind.PROJECT_CHECKIN,
                        state=Reminder.State.SENT,
                        subject=f"project:{project.pk}",
                        period=f"+{checkin}",
                        due_on=sent_on,
                        project=project,
                        recipient_email=d.emails[a],
                        recipient_person_id=contact,
                        attempts=1,
                        next_attempt_at=_at(sent_on, 9),
                        sent_at=_at(sent_on, 9),
                    )
                )
        writer.progress(f"projects {min(projects, start + 2000):,}/{projects:,}")


def _updates(dice: Dice, writer: Writer, project: CooperationProject) -> None:
    """The stage changes that brought the project where it is, the last one on its last activity."""
    stage = project.stage
    if stage in (Stage.SUSPENDED, Stage.DROPPED):
        path = [Stage.LEAD, Stage.NEGOTIATION, stage]
    else:
        path = PATH[: PATH.index(stage) + 1]
    steps = list(zip(path, path[1:], strict=False))[-3:] or [("", "")]
    born, last = project._born, project.last_activity_at
    span = max(1, (last.date() - born).days)
    for n, (stage_from, stage_to) in enumerate(steps, 1):
        when = last if n == len(steps) else _at(born + datetime.timedelta(days=span * n // (len(steps) + 1)))
        writer.add(
            ProjectUpdate(
                project=project,
                author=project.curator,
                created_at=when,
                text=dice.choice(words.UPDATE_TEXTS),
                stage_from=stage_from,
                stage_to=stage_to,
            )
        )
