"""The whole data set in one run: the directory, missions and meetings, agreements, projects."""

import datetime
from collections.abc import Callable

from django.db import connection, transaction

from companies.search import organizations_refresh_search
from config.portal.figures_cache import figures_invalidate

from .base import Dice, Sizes, Writer, is_postgresql
from .directory import directory_generate
from .missions import missions_generate
from .outcomes import agreements_generate, projects_generate


@transaction.atomic
def data_generate(*, scale: float, seed: int, today: datetime.date, out: Callable[[str], None]) -> dict:
    """Write the data set in one transaction; returns the rows written per model."""
    dice = Dice(seed)
    sizes = Sizes.at(scale)
    writer = Writer(out)
    out(f"Generating at scale {scale} (seed {seed}, as of {today.isoformat()}): {sizes}")
    directory = directory_generate(dice, writer, companies=sizes.companies, year=today.year)
    facts = missions_generate(dice, writer, directory, missions=sizes.missions, meetings=sizes.meetings, today=today)
    agreements_generate(
        dice, writer, directory, facts, agreements=sizes.agreements, plan_items=sizes.plan_items, today=today
    )
    projects_generate(dice, writer, directory, facts, projects=sizes.projects, today=today)
    writer.flush()
    organizations_refresh_search()  # the rows were written in bulk, past the signals that keep it current
    figures_invalidate()  # the same for the cached figures and counts (config.portal.figures_cache)
    if is_postgresql():  # the planner's statistics, as autovacuum would gather them later
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    writer.progress("done")
    return {model._meta.label: count for model, count in writer.written.items()}
