"""Who a reminder goes to: curators, the parties' contacts or company logins, the staff of an organization."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from companies.models import Person
from companies.roles import user_name

from ..models import CooperationProject


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str = ""
    person: Person | None = None
    user: object = None
    language: str = settings.LANGUAGE_CODE


def _recipient_of_user(user) -> Recipient | None:
    if user is None or not user.is_active or not user.email:
        return None
    person = getattr(user, "person", None)
    name = user_name(user)  # the person's name, else the account's full name, else the login
    language = person.language if person else settings.LANGUAGE_CODE
    return Recipient(email=user.email.lower(), name=name, person=person, user=user, language=language)


def recipient_of_person(person: Person) -> Recipient | None:
    email = person.contact_email
    if not email:
        return None
    user = person.user if person.user_id and person.user.is_active else None
    return Recipient(email=email.lower(), name=person.full_name, person=person, user=user, language=person.language)


def _unique(recipients) -> list[Recipient]:
    seen, result = set(), []
    for recipient in recipients:
        if recipient is not None and recipient.email not in seen:
            seen.add(recipient.email)
            result.append(recipient)
    return result


def people_with_login(organization_ids) -> dict[int, list[Person]]:
    """The people with a login of each organization (whom `project_recipients` writes to for a party
    without a named contact), by organization id: one query for a whole batch of projects."""
    by_org = defaultdict(list)
    for person in Person.objects.filter(organization_id__in=organization_ids, user__isnull=False).select_related(
        "user"
    ):
        by_org[person.organization_id].append(person)
    return by_org


def project_recipients(project: CooperationProject, logins: dict[int, list[Person]]) -> list[Recipient]:
    """The curator and the contact persons of the project's parties (a party without a named
    contact: its people with an active login who are not ministry staff, from `logins` —
    `people_with_login` of the parties' organizations)."""
    recipients = [_recipient_of_user(project.curator)] if project.curator_id else []
    for party in project.parties.all():
        if party.contact_id:
            recipients.append(recipient_of_person(party.contact))
            continue
        recipients.extend(recipient_of_person(p) for p in logins.get(party.organization_id, ()) if _is_company_login(p))
    return _unique(recipients)


def _is_company_login(person: Person) -> bool:
    return bool(person.user_id and person.user.is_active and not person.user.is_staff)


def organization_staff_recipients(organization_ids) -> dict[int, list[Recipient]]:
    """Active staff logins of each organization, by organization id."""
    people = Person.objects.filter(
        organization_id__in=organization_ids, user__is_active=True, user__is_staff=True
    ).select_related("user")
    by_org = defaultdict(list)
    for person in people:
        by_org[person.organization_id].append(recipient_of_person(person))
    return {org_id: _unique(found) for org_id, found in by_org.items()}
