"""Why the builder could not place a pair, in words: the solver returns a code and its details, the
plan keeps them, and the page says them in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def reason_text(code: str, params: dict) -> str:
    count = params.get("count", 0)
    if code == "no_slots":
        return _("the session has no slots: check its times, slot length and breaks")
    if code == "no_tables":
        return _("the session has no tables")
    if code == "no_table_large_enough":
        return (
            ngettext(
                "no table seats %(seats)d people: the largest seats %(largest)d",
                "no table seats %(seats)d people: the largest seats %(largest)d",
                params.get("seats", 0),
            )
            % params
        )
    if code == "unavailable":
        return (
            ngettext(
                "«%(org)s» is unavailable in the only slot",
                "«%(org)s» is unavailable in all %(count)d slots",
                count,
            )
            % params
        )
    if code == "no_common_time":
        return _("the two sides have no free time in common")
    if code == "busy":
        return (
            ngettext(
                "«%(org)s» has no free slot: the only one is taken",
                "«%(org)s» has no free slot: all %(count)d are taken",
                count,
            )
            % params
        )
    if code == "both_busy":
        return _("in every slot when both sides are free, one of them already has a meeting")
    if code == "no_table_free":
        return _("not enough tables: every suitable table is taken when both sides are free")
    if code == "withdrawn":
        return _("the meeting is no longer requested")
    return code
