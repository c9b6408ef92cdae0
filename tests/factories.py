"""factory_boy factories for every model. Regions come from the directory loaded by migration."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementParty,
    CooperationProject,
    PlanItem,
    ProjectParty,
    ProjectUpdate,
    Reminder,
    Signatory,
    Sphere,
)
from companies.models import FederalDistrict, Need, Offer, Organization, Person, Place, Region, Sector
from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class MinistryStaffFactory(UserFactory):
    """A ministry employee as the roles see one: a staff login (not a superuser) in the "Ministry
    staff" group, with a Person of `organization` (a new ministry by default) and no own address,
    so letters go to the login's e-mail."""

    class Meta:
        skip_postgeneration_save = True

    is_staff = True

    @factory.post_generation
    def organization(self, create, extracted, **kwargs):
        if not create:
            return
        from django.contrib.auth.models import Group

        from companies.roles import STAFF_GROUP

        self.groups.add(Group.objects.get(name=STAFF_GROUP))
        PersonFactory(
            organization=extracted or MinistryFactory(),
            user=self,
            email="",
            last_name=f"Сотрудник-{self.username}",
            **kwargs,
        )


class FederalDistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FederalDistrict

    code = factory.Sequence(lambda n: f"fd{n}")
    name = factory.Sequence(lambda n: f"Округ {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    """A foreign country by default, so it never collides with the 89 subjects of the directory."""

    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Страна {n}")
    name_en = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"country-{n}")
    kind = Region.Kind.FOREIGN_COUNTRY


class PlaceFactory(factory.django.DjangoModelFactory):
    """A city of a region of a foreign country."""

    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Город {n}")
    name_en = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    region = factory.SubFactory(
        RegionFactory, kind=Region.Kind.FOREIGN_REGION, country=factory.SubFactory(RegionFactory)
    )


def directory_region(code: str) -> Region:
    """A federal subject from the directory by its code: '73' Ulyanovsk, '74' Chelyabinsk…"""
    return Region.objects.get(kind=Region.Kind.FEDERAL_SUBJECT, code=code)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Отрасль {n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.COMPANY
    name = factory.Sequence(lambda n: f"Предприятие {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    legal_form = Organization.LegalForm.OOO
    region = factory.LazyFunction(lambda: directory_region("73"))
    is_public = True


class MinistryFactory(OrganizationFactory):
    kind = Organization.Kind.GOVERNMENT
    name = factory.Sequence(lambda n: f"Министерство промышленности {n}")
    legal_form = Organization.LegalForm.STATE_BODY


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Иванов{n}")
    first_name = "Иван"
    position = "Директор"
    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Предложение {n}")


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Потребность {n}")


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Бизнес-миссия {n}")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    origin_region = factory.LazyFunction(lambda: directory_region("73"))
    organizer = factory.SubFactory(MinistryFactory)
    recorded_by = factory.SelfAttribute("organizer")
    start_date = datetime.date(2025, 2, 3)
    end_date = datetime.date(2025, 2, 4)
    status = Mission.Status.COMPLETED
    is_public = True

    @factory.post_generation
    def destination_regions(self, create, extracted, **kwargs):
        if create:
            self.destination_regions.set(extracted or [directory_region("74")])


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Пресс-релиз {n}")
    outlet = "Новости"


class ReportedFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportedFigure

    source = factory.SubFactory(SourceFactory)
    mission = factory.SubFactory(MissionFactory)
    metric = ReportedFigure.Metric.CONTRACTS
    qualifier = ReportedFigure.Qualifier.MORE_THAN
    number = 50


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    mission = factory.SubFactory(MissionFactory)
    organization = factory.SubFactory(OrganizationFactory)


class DatedFromStartFactory(factory.django.DjangoModelFactory):
    """A programme item or meeting with a start gets its date, the day of the start in its venue's zone."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        row = model_class(*args, **kwargs)
        if row.starts_at and row.date is None:
            row.date = row.starts_at.astimezone(row.venue_zone).date()
        row.save()
        return row


class ProgramItemFactory(DatedFromStartFactory):
    class Meta:
        model = ProgramItem

    mission = factory.SubFactory(MissionFactory)
    kind = ProgramItem.Kind.ROUND_TABLE
    title = factory.Sequence(lambda n: f"Круглый стол {n}")


def _slot(n: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 2, 3, 9, 0)) + datetime.timedelta(hours=n)


class MeetingFactory(DatedFromStartFactory):
    class Meta:
        model = Meeting

    mission = factory.SubFactory(MissionFactory)
    organization_a = factory.SubFactory(OrganizationFactory)
    organization_b = factory.SubFactory(
        OrganizationFactory, region=factory.LazyFunction(lambda: directory_region("74"))
    )
    starts_at = factory.Sequence(_slot)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(minutes=30))
    status = Meeting.Status.SCHEDULED


class SphereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sphere

    name = factory.Sequence(lambda n: f"Сфера {n}")
    slug = factory.Sequence(lambda n: f"sphere-{n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.INTERGOVERNMENTAL
    title = factory.Sequence(lambda n: f"Соглашение о сотрудничестве {n}")
    slug = factory.Sequence(lambda n: f"agreement-{n}")
    status = Agreement.Status.IN_FORCE
    signed_on = datetime.date(2025, 2, 3)
    valid_from = datetime.date(2025, 2, 3)
    is_public = True


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(MinistryFactory)


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    agreement = factory.SubFactory(AgreementFactory)
    person = factory.SubFactory(PersonFactory)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    action = factory.Sequence(lambda n: f"Мероприятие плана {n}")
    due_date = datetime.date(2025, 12, 31)


class CooperationProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CooperationProject

    title = factory.Sequence(lambda n: f"Кооперационный проект {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    stage = CooperationProject.Stage.NEGOTIATION
    curator = factory.SubFactory(StaffUserFactory)
    is_public = True


class ProjectPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectParty

    project = factory.SubFactory(CooperationProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(CooperationProjectFactory)
    text = factory.Sequence(lambda n: f"Обновление {n}")


def _reminder_subject(reminder) -> str:
    if reminder.project is not None:
        return f"project:{reminder.project.pk}"
    if reminder.plan_item is not None:
        return f"plan_item:{reminder.plan_item.pk}"
    return f"organization:{reminder.organization.pk}" if reminder.organization is not None else "none"


def _reminder_period(reminder, n: int) -> str:
    """For a stale reminder, the period the scan would give it (so it is not obsolete at send time)."""
    if reminder.project is not None and reminder.kind == Reminder.Kind.PROJECT_STALE:
        return f"{timezone.localtime(reminder.project.last_activity_at).date().isoformat()}#1"
    return f"period-{n}"


class ReminderFactory(factory.django.DjangoModelFactory):
    """A pending "project without activity" reminder, as the scan writes it, to one recipient."""

    class Meta:
        model = Reminder

    class Params:
        sent = factory.Trait(state=Reminder.State.SENT, sent_at=factory.LazyFunction(timezone.now), attempts=1)
        failed = factory.Trait(state=Reminder.State.FAILED, attempts=6, last_error="SMTPRecipientsRefused: {}")

    kind = Reminder.Kind.PROJECT_STALE
    project = factory.SubFactory(CooperationProjectFactory)
    plan_item = None
    organization = None
    subject = factory.LazyAttribute(_reminder_subject)
    period = factory.LazyAttributeSequence(_reminder_period)
    due_on = factory.LazyFunction(timezone.localdate)
    recipient_email = factory.Sequence(lambda n: f"recipient{n}@example.org")
    recipient_name = factory.Sequence(lambda n: f"Получатель {n}")


# --- Builders of a small world: a mission between regions, an agreement or a project between parties


def mission_between(origin, destinations, **kwargs):
    """A mission from `origin` to `destinations`, organized by a ministry of the origin unless given."""
    if "organizer" not in kwargs:
        kwargs["organizer"] = MinistryFactory(region=origin)
    return MissionFactory(origin_region=origin, destination_regions=destinations, **kwargs)


def agreement_between(*organizations, **kwargs):
    agreement = AgreementFactory(**kwargs)
    for organization in organizations:
        AgreementPartyFactory(agreement=agreement, organization=organization)
    return agreement


def project_between(*organizations, **kwargs):
    project = CooperationProjectFactory(**kwargs)
    for organization in organizations:
        ProjectPartyFactory(project=project, organization=organization)
    return project
