"""Load the demo data set (`data.py`) through the services, once.

Every row is looked up by its natural key before it is written, and a mission, agreement or project
that exists is left alone with everything under it: a second load changes nothing and writes no
history. The whole load is one transaction.
"""

import datetime
from collections import Counter

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementParty, CooperationProject, PlanItem, Signatory, Sphere
from agreements.services.agreements import agreement_sign
from agreements.services.projects import project_create
from companies.exceptions import PortalError
from companies.models import Need, Offer, Organization, Person, Place, Region, Sector
from companies.roles import OFFICIALS_GROUP, STAFF_GROUP
from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure, Source
from missions.services.delegation import delegation_add_member
from missions.services.missions import mission_create
from missions.services.schedule import local_times_apply, meeting_record_result, meeting_schedule, program_item_save
from partners.models import B2BSession, HostParticipant, SessionBreak, SessionTable

from . import data


def _save_new(obj, created: Counter):
    obj.full_clean()
    obj.save()
    created[type(obj)] += 1
    return obj


class _Loader:
    def __init__(self):
        self.created: Counter = Counter()
        self.regions: dict[str, Region] = {}
        self.sectors: dict[str, Sector] = {}
        self.spheres: dict[str, Sphere] = {}
        self.orgs: dict[str, Organization] = {}
        self.places: dict[str, Place] = {}
        self.people: dict[str, Person] = {}
        self.missions: dict[str, Mission] = {}
        self.agreements: dict[str, Agreement] = {}

    def new(self, obj):
        return _save_new(obj, self.created)

    # --- directory ---------------------------------------------------------------------------

    def region(self, code: str) -> Region:
        if code not in self.regions:
            region = Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT, code=code).first()
            if region is None:
                raise PortalError(
                    _("Region %(code)s is missing from the directory: run migrate first.") % {"code": code},
                    code="region_missing",
                )
            self.regions[code] = region
        return self.regions[code]

    def load_sectors(self):
        for slug, name, name_en, okved, parent_slug in data.SECTORS:
            parent = self.sectors[parent_slug] if parent_slug else None
            sector = Sector.objects.filter(slug=slug).first() or Sector.objects.filter(parent=parent, name=name).first()
            if sector is None:
                sector = self.new(Sector(slug=slug, name=name, name_en=name_en, okved_code=okved, parent=parent))
            self.sectors[slug] = sector

    def load_spheres(self):
        for slug, name, name_en in data.SPHERES:
            sphere = Sphere.objects.filter(slug=slug).first() or Sphere.objects.filter(name=name).first()
            self.spheres[slug] = sphere or self.new(Sphere(slug=slug, name=name, name_en=name_en))

    def load_region_profiles(self):
        for code, row in data.REGION_PROFILES.items():
            region = self.region(code)
            if not region.profile:  # staff edits win
                region.profile = row["profile"]
                region.save(update_fields=["profile"])
            region.key_sectors.add(*(self.sectors[slug] for slug in row["key_sectors"]))

    def load_places(self):
        for slug, name, name_en, code in data.PLACES:
            region = self.region(code)
            place = Place.objects.filter(slug=slug).first() or Place.objects.filter(region=region, name=name).first()
            self.places[slug] = place or self.new(Place(slug=slug, name=name, name_en=name_en, region=region))

    def load_organizations(self):
        for row in data.ORGANIZATIONS:
            region = self.region(row["region"])
            org = (
                Organization.objects.filter(slug=row["slug"]).first()
                or Organization.objects.filter(region=region, name=row["name"]).first()
            )
            if org is None:
                org = self.new(
                    Organization(
                        slug=row["slug"],
                        kind=row.get("kind", Organization.Kind.COMPANY),
                        name=row["name"],
                        short_name=row.get("short_name", ""),
                        legal_form=row.get("legal_form", ""),
                        region=region,
                        products=row.get("products", ""),
                        capabilities=row.get("capabilities", ""),
                        is_public=True,
                    )
                )
                org.sectors.set([self.sectors[slug] for slug in row.get("sectors", ())])
            self.orgs[row["slug"]] = org

    def load_offers_and_needs(self):
        for model, rows in ((Offer, data.OFFERS), (Need, data.NEEDS)):
            for org_slug, sector_slug, title, description in rows:
                organization = self.orgs[org_slug]
                if not model.objects.filter(organization=organization, title=title).exists():
                    self.new(
                        model(
                            organization=organization,
                            sector=self.sectors[sector_slug],
                            title=title,
                            description=description,
                        )
                    )

    def load_people(self):
        for key, (org_slug, last_name, first_name, patronymic, position) in data.PEOPLE.items():
            names = {"last_name": last_name, "first_name": first_name, "patronymic": patronymic}
            organization = self.orgs[org_slug]
            person = Person.objects.filter(organization=organization, **names).first()
            self.people[key] = person or self.new(Person(organization=organization, position=position, **names))

    # --- missions ----------------------------------------------------------------------------

    def load_missions(self):
        for row in data.MISSIONS:
            mission = Mission.objects.filter(slug=row["slug"]).first()
            if mission is None:
                mission = self.create_mission(row)
            self.missions[row["slug"]] = mission

    def create_mission(self, row) -> Mission:
        mission = mission_create(
            slug=row["slug"],
            title=row["title"],
            origin_region=self.region(row["origin"]),
            destination_regions=[self.region(code) for code in row["destinations"]],
            organizer=self.orgs[row["organizer"]],
            # The ministry that keeps the record: the organizer, unless the row names the host that records it.
            recorded_by=self.orgs[row.get("recorded_by", row["organizer"])],
            head_of_delegation=self.people[row["head"]] if row["head"] else None,
            places=[self.places[slug] for slug in row.get("places", ())],
            status=data.COMPLETED,
            purpose=row["purpose"],
            results_summary=row["results_summary"],
            start_date=row.get("start_date"),
            framework_event=row.get("framework_event", ""),
            reciprocal_of=self.missions[row["reciprocal_of"]] if row.get("reciprocal_of") else None,
            is_public=True,
        )
        self.created[Mission] += 1
        for org_slug, person_key, role in row["delegation"]:
            delegation_add_member(
                mission=mission,
                organization=self.orgs[org_slug],
                person=self.people[person_key] if person_key else None,
                role=role,
            )
            self.created[DelegationMember] += 1
        # A programme item whose venue is a city of the trip takes place there.
        places_by_name = {place.name: place for place in mission.places.all()}
        for kind, title, venue, host, description in row["program"]:
            self.new(
                ProgramItem(
                    mission=mission,
                    kind=kind,
                    title=title,
                    venue=venue,
                    place=places_by_name.get(venue),
                    host=self.orgs[host] if host else None,
                    description=description,
                )
            )
        for spec in row["meetings"]:
            meeting = meeting_schedule(
                mission=mission,
                organization_a=self.orgs[spec["a"]],
                organization_b=self.orgs[spec["b"]],
                topic=spec["topic"],
                people=[self.people[key] for key in spec.get("people", ())],
                sectors=[self.sectors[slug] for slug in spec.get("sectors", ())],
                status=Meeting.Status.HELD,
            )
            if spec.get("outcome"):
                meeting_record_result(meeting=meeting, status=Meeting.Status.HELD, outcome=spec["outcome"])
            self.created[Meeting] += 1
        return mission

    def load_planned_mission(self):
        """The demo's one planned mission (data.PLANNED_MISSION), open for meeting requests."""
        row = data.PLANNED_MISSION
        mission = Mission.objects.filter(slug=row["slug"]).first()
        if mission is not None:
            self.missions[row["slug"]] = mission
            return
        start = timezone.localdate() + datetime.timedelta(days=row["days_ahead"])
        mission = mission_create(
            slug=row["slug"],
            title=row["title"],
            origin_region=self.region(row["origin"]),
            destination_regions=[self.region(code) for code in row["destinations"]],
            organizer=self.orgs[row["organizer"]],
            status=Mission.Status.PLANNED,
            purpose=row["purpose"],
            start_date=start,
            end_date=start + datetime.timedelta(days=row["days"] - 1),
            is_public=True,
        )
        self.created[Mission] += 1
        self.missions[row["slug"]] = mission
        for org_slug in row["delegation"]:
            delegation_add_member(mission=mission, organization=self.orgs[org_slug])
            self.created[DelegationMember] += 1
        for org_slug in row["hosts"]:
            self.new(HostParticipant(mission=mission, organization=self.orgs[org_slug]))
        title, venue, start_time, end_time = row["b2b"]
        session = ProgramItem(mission=mission, kind=ProgramItem.Kind.B2B, title=title, venue=venue, date=start)
        local_times_apply(session, start_time=start_time, end_time=end_time)
        program_item_save(session)
        self.created[ProgramItem] += 1

    def load_b2b_session(self):
        """The planned mission's B2B session configured for the schedule builder, unless it already is
        (a database loaded before the configuration was in the data set gets it on the next load)."""
        row = data.PLANNED_MISSION
        item = ProgramItem.objects.filter(
            mission=self.missions[row["slug"]], kind=ProgramItem.Kind.B2B, title=row["b2b"][0]
        ).first()
        if item is None or B2BSession.objects.filter(program_item=item).exists():
            return
        spec = row["b2b_session"]
        session = self.new(
            B2BSession(program_item=item, starts=spec["starts"], ends=spec["ends"], slot_minutes=spec["slot_minutes"])
        )
        for starts, ends in spec["breaks"]:
            self.new(SessionBreak(session=session, starts=starts, ends=ends))
        for number in range(1, spec["tables"] + 1):
            self.new(SessionTable(session=session, number=number, seats=spec["seats"]))

    # --- agreements and projects -------------------------------------------------------------

    def load_agreements(self):
        for row in data.AGREEMENTS:
            agreement = Agreement.objects.filter(slug=row["slug"]).first()
            if agreement is None:
                agreement = self.create_agreement(row)
            self.agreements[row["slug"]] = agreement

    def create_agreement(self, row) -> Agreement:
        mission = self.missions[row["mission"]] if row["mission"] else None
        agreement = self.new(
            Agreement(
                slug=row["slug"],
                kind=row["kind"],
                title=row["title"],
                summary=row["summary"],
                signed_at_mission=mission,
                signing_place=row.get("place", ""),
                valid_from=row.get("valid_from"),
                valid_until=row.get("valid_until"),
                status=Agreement.Status.DRAFT,
                is_public=True,
            )
        )
        agreement.spheres.set([self.spheres[slug] for slug in row["spheres"]])
        for org_slug, role in row["parties"]:
            self.new(AgreementParty(agreement=agreement, organization=self.orgs[org_slug], role=role))
        for key in row["signatories"]:
            person = self.people[key]
            self.new(
                Signatory(
                    agreement=agreement,
                    person=person,
                    on_behalf_of=person.organization,
                    position_at_signing=person.position,
                )
            )
        for action, due_date in row.get("plan", ()):
            self.new(PlanItem(agreement=agreement, action=action, due_date=due_date, status=PlanItem.Status.PLANNED))
        if row["signed"]:
            agreement = agreement_sign(agreement=agreement, signed_on=row["signed_on"], mission=mission)
        return agreement

    def load_projects(self):
        for row in data.PROJECTS:
            if CooperationProject.objects.filter(slug=row["slug"]).exists():
                continue
            origin_meeting = None
            if row.get("origin_meeting"):
                mission_slug, a, b = row["origin_meeting"]
                origin_meeting = Meeting.objects.filter(
                    mission=self.missions[mission_slug], organization_a=self.orgs[a], organization_b=self.orgs[b]
                ).first()
            project_create(
                slug=row["slug"],
                title=row["title"],
                description=row["description"],
                parties=[(self.orgs[slug], role) for slug, role in row["parties"]],
                sectors=[self.sectors[slug] for slug in row["sectors"]],
                stage=row["stage"],
                origin_mission=self.missions[row["origin_mission"]] if row.get("origin_mission") else None,
                origin_meeting=origin_meeting,
                resulting_agreement=self.agreements[row["agreement"]] if row.get("agreement") else None,
                next_step=row.get("next_step", ""),
                is_public=True,
            )
            # Loading is not activity: the clock starts at the last news the texts give.
            reported = datetime.datetime.combine(data.PROJECTS_LAST_REPORTED_ON, datetime.time(12))
            CooperationProject.objects.filter(slug=row["slug"]).update(last_activity_at=timezone.make_aware(reported))
            self.created[CooperationProject] += 1

    # --- sources -----------------------------------------------------------------------------

    def load_sources(self):
        for row in data.SOURCES:
            source = Source.objects.filter(title=row["title"]).first() or self.new(
                Source(title=row["title"], outlet=row["outlet"], published_on=row["published_on"])
            )
            source.missions.add(*(self.missions[slug] for slug in row["missions"]))
            for figure in row["figures"]:
                about = {
                    "mission": self.missions.get(figure.get("mission")),
                    "agreement": self.agreements.get(figure.get("agreement")),
                }
                if not ReportedFigure.objects.filter(source=source, metric=figure["metric"], **about).exists():
                    self.new(
                        ReportedFigure(
                            source=source,
                            metric=figure["metric"],
                            qualifier=figure["qualifier"],
                            number=figure["number"],
                            quote=figure["quote"],
                            **about,
                        )
                    )


@transaction.atomic
def demo_load() -> Counter:
    """Load the demo data set; returns how many rows of each kind this run created."""
    loader = _Loader()
    loader.load_sectors()
    loader.load_spheres()
    loader.load_region_profiles()
    loader.load_places()
    loader.load_organizations()
    loader.load_offers_and_needs()
    loader.load_people()
    loader.load_missions()
    loader.load_planned_mission()
    loader.load_b2b_session()
    loader.load_agreements()
    loader.load_projects()
    loader.load_sources()
    return loader.created


@transaction.atomic
def demo_user_ensure(*, username: str, password: str):
    """A staff superuser with this password; a second call with the same password writes nothing."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": True}
    )
    changed = created
    if not (user.is_active and user.is_staff and user.is_superuser):
        user.is_active = user.is_staff = user.is_superuser = True
        changed = True
    if not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user


@transaction.atomic
def demo_logins_ensure(*, password: str) -> list[tuple[str, str]]:
    """One login per role besides the superuser (data.DEMO_LOGINS); a second call writes nothing.

    Returns (username, role) pairs in the order of the data set.
    """
    groups = {"staff": STAFF_GROUP, "official": OFFICIALS_GROUP}
    logins = []
    for username, role, org_slug, first_name, position in data.DEMO_LOGINS:
        user, changed = get_user_model().objects.get_or_create(username=username)
        flags = {"is_active": True, "is_staff": role == "staff", "is_superuser": False}
        if any(getattr(user, name) != value for name, value in flags.items()):
            for name, value in flags.items():
                setattr(user, name, value)
            changed = True
        if not user.check_password(password):
            user.set_password(password)
            changed = True
        if not user.email:
            user.email = f"{username}@{data.DEMO_EMAIL_DOMAIN}"
            changed = True
        if changed:
            user.save()
        if username == data.DEMO_CURATOR:
            CooperationProject.objects.filter(
                slug__in=[row["slug"] for row in data.PROJECTS], curator__isnull=True
            ).update(curator=user)
        if role in groups and not user.groups.filter(name=groups[role]).exists():
            # The role groups are made after migrate (companies.services.roles_sync_groups).
            user.groups.add(Group.objects.get(name=groups[role]))
        if org_slug and not Person.objects.filter(user=user).exists():
            organization = Organization.objects.get(slug=org_slug)
            _save_new(
                Person(
                    organization=organization,
                    last_name="Демо",
                    first_name=first_name,
                    position=position,
                    user=user,
                ),
                Counter(),
            )
        logins.append((username, role))
    return logins
