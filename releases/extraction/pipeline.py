"""The whole reading of a release: one call from text to Draft."""

import datetime

from releases.draft import Draft
from releases.extraction import dates, figures, programme, regions
from releases.extraction.nlp import analysed as analyse_text


def analyse(text: str, *, published: datetime.date | None = None) -> Draft:
    """The draft mission record a release's text proposes (nothing is written)."""
    analysed = analyse_text(text)
    origin, destination = regions.find_regions(analysed)
    found_dates = dates.find_dates(analysed, published)
    return Draft(
        text=text,
        published=published,
        origin_regions=origin,
        destination_regions=destination,
        cities=regions.find_cities(analysed),
        dates=found_dates,
        figures=figures.find_figures(analysed),
        programme=programme.find_programme(analysed, found_dates),
    )
