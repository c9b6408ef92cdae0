"""The directory: regions, sectors, organizations, people and their cooperation offers and needs."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .names import GOVERNMENT_WORDING_MESSAGE, government_word_in, name_normal_form
from .ownership import Ownership
from .validators import validate_inn, validate_ogrn, validate_okved, validate_time_zone


class Currency(models.TextChoices):
    """Currencies deals are quoted in: roubles by default, also dollars, yuan and neighbours'."""

    RUB = "RUB", _("Russian rouble")
    USD = "USD", _("US dollar")
    CNY = "CNY", _("Chinese yuan")
    EUR = "EUR", _("Euro")
    BYN = "BYN", _("Belarusian rouble")
    KZT = "KZT", _("Kazakhstani tenge")
    UZS = "UZS", _("Uzbekistani som")
    IRR = "IRR", _("Iranian rial")


def recorded_by_field() -> models.ForeignKey:
    """The organization whose staff entered a row (set by the service that creates it, never by a
    form): they keep editing it, wherever it is (`Ownership(kept_by="recorded_by")`)."""
    return models.ForeignKey(
        "companies.Organization",
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("The organization whose staff entered the row; they keep editing it."),
    )


class BilingualNameMixin:
    """A record named in Russian (`name`) and English (`name_en`); shows the active language."""

    @property
    def display_name(self) -> str:
        if (get_language() or "ru").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def __str__(self) -> str:
        return self.display_name


class FederalDistrict(BilingualNameMixin, models.Model):
    code = models.SlugField(_("code"), max_length=10, unique=True)
    position = models.PositiveSmallIntegerField(_("sort order"), default=0)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    centre = models.CharField(_("administrative centre"), max_length=100, blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("federal district")
        verbose_name_plural = _("federal districts")


class Sector(BilingualNameMixin, models.Model):
    """An industry, in two levels: a top-level sector and its subsectors."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    okved_code = models.CharField(
        _("OKVED code"), max_length=10, blank=True, validators=[validate_okved], help_text=_("For example 28.12.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="sector_unique_name_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="sector_unique_top_level_name"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")), name="sector_not_own_parent"
            ),
        ]

    def clean(self):
        # Two levels only: a subsector's parent must itself be top-level. Reading the parent is
        # one row already loaded by the form, not a query to unrelated rows.
        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Sectors have two levels: choose a top-level sector as parent.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A sector cannot be its own parent.")})


class Region(BilingualNameMixin, models.Model):
    # The 89 federal subjects and the world's countries ship with the portal and stay a superuser's;
    # a region of a foreign country (or a country) entered by staff is theirs to keep editing.
    ownership = Ownership(kept_by="recorded_by")

    class Kind(models.TextChoices):
        FEDERAL_SUBJECT = "federal_subject", _("federal subject of Russia")
        FOREIGN_COUNTRY = "foreign_country", _("foreign country")
        FOREIGN_REGION = "foreign_region", _("region of a foreign country")

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FEDERAL_SUBJECT)
    federal_district = models.ForeignKey(
        FederalDistrict,
        verbose_name=_("federal district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regions",
    )
    country = models.ForeignKey(
        "self",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subregions",
        limit_choices_to={"kind": "foreign_country"},
        help_text=_("For a region of a foreign country: the country it belongs to."),
    )
    code = models.CharField(
        _("code"), max_length=10, blank=True, help_text=_("Region code for a federal subject, ISO code for a country.")
    )
    capital = models.CharField(_("capital"), max_length=100, blank=True)
    capital_en = models.CharField(_("capital in English"), max_length=100, blank=True)
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "One per line, in the nominative: short and colloquial names, abbreviations and the adjective "
            "(e.g. Башкирия, Южный Урал, ХМАО, башкирский). Press releases are read with them; inflected "
            "forms are recognised."
        ),
    )
    profile = models.TextField(_("profile"), blank=True, help_text=_("What the region produces and offers partners."))
    key_sectors = models.ManyToManyField(Sector, verbose_name=_("key sectors"), blank=True, related_name="regions")
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("The IANA time zone of the region's venues, e.g. Europe/Samara; empty: Moscow time."),
    )
    recorded_by = recorded_by_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], condition=~Q(code=""), name="region_unique_code"),
            models.CheckConstraint(
                condition=Q(kind="federal_subject", federal_district__isnull=False)
                | Q(~Q(kind="federal_subject"), federal_district__isnull=True),
                name="region_federal_district_iff_federal_subject",
            ),
            models.CheckConstraint(
                condition=Q(kind="foreign_region") | Q(country__isnull=True),
                name="region_country_only_for_foreign_region",
            ),
        ]

    def get_absolute_url(self) -> str:
        return f"/regions/{self.slug}/"

    def clean(self):
        # A region of a foreign country needs its country (a rule of the admin form, not of the
        # database, whose constraint only keeps the country off the other kinds: the message goes on
        # the field). The federal district is left to the constraint: staff never see that field.
        if self.kind == self.Kind.FOREIGN_REGION and not self.country_id:
            raise ValidationError({"country": _("Choose the country this region belongs to.")})
        if self.kind != self.Kind.FOREIGN_REGION and self.country_id:
            raise ValidationError(
                {"country": _("Only a region of a foreign country belongs to a country: leave it empty.")}
            )

    # A region covers itself and, for a foreign country, its regions: the country's page, its pairs and
    # its counts roll up a mission to one of its oblasts or an organization there. One rule, for a
    # filter along a lookup path to a Region and for one row.
    @staticmethod
    def within_q(path: str, region: "Region | models.Expression") -> Q:
        """The Region at lookup `path` is `region` or one of its regions."""
        return Q(**{path: region}) | Q(**{f"{path}__country": region})

    @staticmethod
    def covering_pks(pk: int, country_id: int | None) -> tuple[int, ...]:
        """The regions a row in region `pk` (of country `country_id`) counts for, as `within_q` finds it:
        the region itself and its country. For figures summed per region in Python."""
        return (pk,) if country_id is None else (pk, country_id)

    def covers(self, other: "Region") -> bool:
        return self.pk in Region.covering_pks(other.pk, other.country_id)

    @staticmethod
    def aliases_text(aliases) -> str:
        """The `aliases` field's text for a list of names: one per line."""
        return "\n".join(aliases)

    @property
    def alias_list(self) -> list[str]:
        """The other names, one per non-empty line of `aliases`, trimmed."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def tzinfo(self) -> ZoneInfo:
        """The zone times at this region's venues are given in (Moscow time when none is set)."""
        return ZoneInfo(self.time_zone or settings.TIME_ZONE)


class Place(BilingualNameMixin, models.Model):
    """A city, town or other locality a mission visits or a programme item takes place in."""

    ownership = Ownership(kept_by="recorded_by", region="region")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="places")
    recorded_by = recorded_by_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="place_unique_name_in_region",
                violation_error_message=_("This region already has a place with this name."),
            )
        ]


class Organization(models.Model):
    ownership = Ownership("pk", kept_by="recorded_by", region="region")

    class Kind(models.TextChoices):
        COMPANY = "company", _("company")
        GOVERNMENT = "government", _("government or ministry")
        MUNICIPALITY = "municipality", _("municipality")
        DEVELOPMENT_INSTITUTION = "development", _("development institution or fund")
        ASSOCIATION = "association", _("association or chamber of commerce")
        EDUCATION = "education", _("education or research")

    class LegalForm(models.TextChoices):
        OOO = "ooo", _("LLC (OOO)")
        AO = "ao", _("JSC (AO)")
        PAO = "pao", _("public JSC (PAO)")
        NAO = "nao", _("non-public JSC (NAO)")
        OAO = "oao", _("open JSC (OAO)")
        ZAO = "zao", _("closed JSC (ZAO)")
        IP = "ip", _("individual entrepreneur (IP)")
        GUP = "gup", _("state unitary enterprise (GUP)")
        FGUP = "fgup", _("federal state unitary enterprise (FGUP)")
        MUP = "mup", _("municipal unitary enterprise (MUP)")
        STATE_BODY = "state_body", _("state body")
        GBU = "gbu", _("state budgetary institution (GBU)")
        GAU = "gau", _("state autonomous institution (GAU)")
        ANO = "ano", _("autonomous non-profit organization (ANO)")
        FUND = "fund", _("fund")
        MKK = "mkk", _("microcredit company (MKK)")
        ASSOCIATION = "association", _("association or union")
        OTHER = "other", _("other")

    class Size(models.TextChoices):
        MICRO = "micro", _("micro enterprise")
        SMALL = "small", _("small enterprise")
        MEDIUM = "medium", _("medium-sized enterprise")
        LARGE = "large", _("large enterprise")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    name = models.CharField(_("full name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=150, blank=True)
    name_original = models.CharField(
        _("name in the original language"),
        max_length=300,
        blank=True,
        help_text=_("For a foreign organization: its name in its own language or in English."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True, validators=[validate_ogrn])
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organizations")
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="organizations")
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    products = models.TextField(_("products"), blank=True)
    capabilities = models.TextField(_("capabilities"), blank=True)
    website = models.URLField(_("website"), blank=True)
    accepts_meeting_requests = models.BooleanField(
        _("accepts meeting requests"),
        default=True,
        help_text=_("Other participants of a mission may ask this organization for a B2B meeting."),
    )
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The directory search's stored texts (companies.search): kept current by companies.signals from
    # the sectors and the offers and needs, so a search reads one row per organization, never joins.
    search_sectors = models.TextField(_("sectors, as searched"), blank=True, default="", editable=False)
    search_items = models.TextField(_("active offers and needs, as searched"), blank=True, default="", editable=False)
    # PostgreSQL only: the weighted 'russian' tsvector of the names, search_sectors and the rest, written by
    # a trigger of migration 0022 on every insert and every update of those columns (GIN-indexed). NULL on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(excluded_fields=["search_sectors", "search_items", "search_document"])

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("view_unpublished", _("Can see records not marked public"))]
        constraints = [
            # A conditional constraint gets Django's generic "Constraint … is violated" unless it has a message.
            models.UniqueConstraint(
                fields=["inn"],
                condition=~Q(inn=""),
                name="organization_unique_inn",
                violation_error_message=_("An organization with this INN is already registered."),
            ),
            models.UniqueConstraint(
                fields=["ogrn"],
                condition=~Q(ogrn=""),
                name="organization_unique_ogrn",
                violation_error_message=_("An organization with this OGRN is already registered."),
            ),
            models.UniqueConstraint(fields=["region", "name"], name="organization_unique_name_in_region"),
        ]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return f"/companies/{self.slug}/"

    NAME_FIELDS = ("name", "short_name", "name_original")

    def normalize_names(self) -> None:
        """Store the names in their normal form (companies.names): no invisible characters, NFKC,
        single spaces. Called by clean (so the unique checks see it) and save (so every writer does)."""
        for field in self.NAME_FIELDS:
            setattr(self, field, name_normal_form(getattr(self, field)))

    def clean(self):
        had_name = bool(self.name)
        self.normalize_names()
        if had_name and not self.name:
            raise ValidationError({"name": _("Enter the name in letters: invisible characters alone are not a name.")})
        if self.kind == self.Kind.COMPANY:
            errors = {}
            for field in ("name", "short_name"):
                word = government_word_in(getattr(self, field))
                if word:
                    errors[field] = GOVERNMENT_WORDING_MESSAGE % {"word": word}
            if errors:
                raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalize_names()
        super().save(*args, **kwargs)


class ProfileChange(models.Model):
    """Changes to its name, registry numbers or legal form a company asked for in its personal area.

    They wait here for the ministry staff who keep the organization (its region's, or those who
    entered it: the organization's own ownership, along `organization`); the public pages and the API
    show the approved values on the Organization until staff approve (companies.account_services).
    A company has at most one pending change: a new request replaces its proposed values.
    """

    ownership = Ownership("organization", kept_by="organization__recorded_by", region="organization__region")

    # The profile fields that wait for staff; the others a company changes at once.
    FIELDS = ("name", "short_name", "legal_form", "inn", "ogrn")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review by the ministry staff")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn by the company")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="profile_changes"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("full name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=150, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=Organization.LegalForm.choices, blank=True)
    inn = models.CharField(_("INN"), max_length=12, blank=True, validators=[validate_inn])
    ogrn = models.CharField(_("OGRN"), max_length=15, blank=True, validators=[validate_ogrn])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why the change was rejected."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("profile change request")
        verbose_name_plural = _("profile change requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="pending"),
                name="profile_change_one_pending",
                violation_error_message=_("This organization already has a change waiting for review."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="profile_change_decided_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(organization)s: %(name)s") % {
            "organization": self.organization,
            "name": self.name,
        }

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def proposed(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in self.FIELDS}


class Person(models.Model):
    """Someone of an organization; known by name, or only by position ("deputy prime minister")."""

    ownership = Ownership("organization", kept_by="recorded_by", region="organization__region")

    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="people"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language of letters"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the reminders and notices the portal sends this person."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    recorded_by = recorded_by_field()
    # Who moved a login to another organization, and when (companies.roles.LOGIN_BINDING_FIELDS).
    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "position"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "last_name", "first_name", "patronymic"],
                condition=~Q(last_name=""),
                name="person_unique_in_organization",
                violation_error_message=_("This organization already has a person with this name."),
            ),
            models.UniqueConstraint(
                fields=["organization", "position"],
                condition=Q(last_name=""),
                name="person_unnamed_unique_position",
                violation_error_message=_("This organization already has a person known by this position."),
            ),
            models.CheckConstraint(
                condition=~Q(last_name="") | ~Q(position=""),
                name="person_named_or_positioned",
                violation_error_message=_("Enter the person's last name, or their position if the name is not known."),
            ),
            models.CheckConstraint(
                condition=~Q(last_name="") | Q(first_name="", patronymic=""),
                name="person_first_name_with_last_name",
                violation_error_message=_("Enter the last name too, or leave the name empty."),
            ),
        ]

    def clean(self):
        # The database's check constraints say the same; here the message goes on the field.
        if not self.last_name and not self.position:
            raise ValidationError(
                {"position": _("Enter the person's last name, or their position if the name is not known.")}
            )
        if not self.last_name and (self.first_name or self.patronymic):
            raise ValidationError({"last_name": _("Enter the last name too, or leave the name empty.")})

    @property
    def is_named(self) -> bool:
        return bool(self.last_name)

    @property
    def full_name(self) -> str:
        """The name; for a person known only by position, the position."""
        name = " ".join(part for part in (self.first_name, self.patronymic, self.last_name) if part)
        return name or self.position

    @property
    def contact_email(self) -> str:
        """Where letters to this person go: their own address, else their login's."""
        return self.email or (self.user.email if self.user_id and self.user else "")

    def __str__(self) -> str:
        """The name; a person known only by position is named by the position and organization."""
        if self.is_named or self.organization_id is None:
            return self.full_name
        return gettext("%(position)s (%(organization)s)") % {
            "position": self.position,
            "organization": self.organization,
        }


class CooperationItem(models.Model):
    """What an organization offers partners, or what it looks for: shared shape of Offer and Need."""

    # An offer of an organization a ministry's staff recorded (a foreign company) is theirs too.
    ownership = Ownership("organization", kept_by="organization__recorded_by", region="organization__region")

    organization = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.CASCADE)
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Offer(CooperationItem):
    class Meta(CooperationItem.Meta):
        verbose_name = _("cooperation offer")
        verbose_name_plural = _("cooperation offers")
        default_related_name = "offers"
        constraints = [models.UniqueConstraint(fields=["organization", "title"], name="offer_unique_title")]


class Need(CooperationItem):
    class Meta(CooperationItem.Meta):
        verbose_name = _("cooperation need")
        verbose_name_plural = _("cooperation needs")
        default_related_name = "needs"
        constraints = [models.UniqueConstraint(fields=["organization", "title"], name="need_unique_title")]


class CalendarFeed(models.Model):
    """The secret that opens a user's meetings as an iCal feed without signing in; reset makes a new one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class RevokedReason(models.TextChoices):
    BY_HAND = "by_hand", _("revoked by hand")
    PASSWORD_CHANGED = "password_changed", _("the user's password was changed")


class ApiToken(models.Model):
    """A key for integrations to call the REST API as its user. Only a digest is stored: the key is
    shown once, when it is made, and can be revoked at any time."""

    ownership = Ownership("user__person__organization")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the key is for, e.g. “1C integration”."))
    prefix = models.CharField(_("key begins with"), max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why revoked"), max_length=20, choices=RevokedReason.choices, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class SearchSynonym(models.Model):
    """A group of words or phrases the directory search treats as one ("датчик, сенсор"): a query
    word that is one of them finds organizations that use any other (companies.search)."""

    ownership = Ownership(portal_wide=True)  # one dictionary for the portal: any ministry's staff extend it

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_(
            "Words or phrases that mean the same in a search, separated by commas, for example "
            "“датчик, сенсор” or “ЧПУ, числовое программное управление”. Any grammatical form will do."
        ),
    )
    recorded_by = recorded_by_field()
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym group")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return ", ".join(self.term_list)

    @property
    def term_list(self) -> list[str]:
        """The terms, trimmed, without blanks or repeats, in the order given."""
        seen, terms = set(), []
        for term in self.terms.replace(";", ",").replace("\n", ",").split(","):
            term = " ".join(term.split())
            if term and term.casefold() not in seen:
                seen.add(term.casefold())
                terms.append(term)
        return terms

    def clean(self):
        terms = self.term_list
        if len(terms) < 2:
            raise ValidationError({"terms": _("Give at least two terms, separated by commas.")})
        if any(len(term) > 100 for term in terms):
            raise ValidationError({"terms": _("A term is at most 100 characters long.")})
        self.terms = ", ".join(terms)


class ExportJob(models.Model):
    """A large changelist export to XLSX, written by a Celery task to a file under var/ (generated
    name) and downloaded by the user who asked for it once it is ready."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("export state", "waiting")
        RUNNING = "running", pgettext_lazy("export state", "being written")
        DONE = "done", pgettext_lazy("export state", "ready")
        FAILED = "failed", pgettext_lazy("export state", "failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    app_label = models.CharField(_("application"), max_length=100)
    model_name = models.CharField(_("model"), max_length=100)
    query = models.TextField(_("filters and search"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)  # of the page it was asked from
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=100, blank=True)
    download_name = models.CharField(_("download name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.app_label}.{self.model_name} {self.created_at:%Y-%m-%d %H:%M}"


class ImportJob(models.Model):
    """One upload of a spreadsheet to import: who, what, into which mission or agreement, the parsed
    rows between the preview and the confirmation, and how the dry run or the import went.

    The rows are kept here rather than the file (nothing of the upload stays on disk); a job of more
    than IMPORT_INLINE_MAX_ROWS rows runs in a Celery task that reads them from here.
    """

    class Status(models.TextChoices):
        PARSED = "parsed", _("read")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        APPLYING = "applying", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    RUNNING = (Status.CHECKING, Status.APPLYING)

    kind = models.CharField(_("kind"), max_length=40)
    target_id = models.PositiveBigIntegerField(_("target"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PARSED)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    ignored_headers = models.JSONField(_("ignored columns"), default=list, blank=True)
    rows = models.JSONField(_("rows"), default=list, blank=True)
    total = models.PositiveIntegerField(_("rows in the file"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    results = models.JSONField(_("results"), default=list, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING
