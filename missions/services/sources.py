"""Writes of sources (press releases, reports) and the figures they claim about a mission."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.roles import user_organization

from ..models import Mission, ReportedFigure, Source


@transaction.atomic
def source_record(
    *,
    title: str,
    outlet: str = "",
    url: str = "",
    published_on: datetime.date | None = None,
    missions=(),
    by,
) -> Source:
    """Record a source; the ministry of the staff member who entered it keeps it (Source.ownership).

    A source is recorded once: an address already on file is refused with the source that has it.
    """
    url = url.strip()
    if url:
        existing = Source.objects.filter(url=url).first()
        if existing is not None:
            raise PortalError(
                {"url": _("The source at this address is already recorded: “%(title)s”.") % {"title": existing}},
                code="source_recorded",
            )
    source = Source(
        title=title.strip(),
        outlet=outlet.strip(),
        url=url,
        published_on=published_on,
        recorded_by=user_organization(by),
    )
    source.full_clean()
    source.save()
    source.missions.set(missions)
    return source


@transaction.atomic
def figure_record(
    *,
    source: Source,
    metric: str,
    number: Decimal,
    qualifier: str = ReportedFigure.Qualifier.EXACTLY,
    currency: str = "",
    mission: Mission | None = None,
    agreement=None,
    period: int | None = None,
    quote: str = "",
    by=None,
) -> ReportedFigure:
    """Record a figure `source` claims about a mission or an agreement ("more than 50 new contracts")."""
    figure = ReportedFigure(
        source=source,
        mission=mission,
        agreement=agreement,
        metric=metric,
        qualifier=qualifier,
        number=number,
        currency=currency or "",
        period=period,
        quote=quote.strip(),
    )
    figure.full_clean()
    figure.save()
    return figure
