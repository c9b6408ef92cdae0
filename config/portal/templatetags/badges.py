"""The colour of every status badge, in one place: what a colour means is the same on every page.

green ("ok"): done or in force; blue ("info"): planned or going on; amber ("warn"): needs a look
(suspended, expired); red ("bad"): overdue, and only that; grey (no tone): ended without a result.
A stage in progress is never red.
"""

from django import template

register = template.Library()

OK, INFO, WARN, BAD, NEUTRAL = "ok", "info", "warn", "bad", ""

TONES: dict[str, dict[str, str]] = {
    "project": {
        "lead": INFO,
        "negotiation": INFO,
        "proposal": INFO,
        "contract_signed": OK,
        "in_implementation": OK,
        "completed": OK,
        "suspended": WARN,
        "dropped": NEUTRAL,
    },
    "mission": {
        "planned": INFO,
        "confirmed": INFO,
        "under_way": INFO,
        "completed": OK,
        "cancelled": NEUTRAL,
    },
    "agreement": {
        "draft": INFO,
        "signed": INFO,
        "in_force": OK,
        "expired": WARN,
        "terminated": NEUTRAL,
        "superseded": NEUTRAL,
    },
    "plan_item": {
        "planned": INFO,
        "in_progress": INFO,
        "done": OK,
        "cancelled": NEUTRAL,
        "overdue": BAD,
    },
    "application": {
        "pending": INFO,
        "approved": OK,
        "declined": NEUTRAL,
    },
}


@register.filter
def tone(value: str, kind: str) -> str:
    """The badge class of a status of `kind`: {{ project.stage|tone:"project" }} → "info"."""
    return TONES[kind].get(value, NEUTRAL)


@register.filter
def badge_class(value: str, kind: str) -> str:
    """The class attribute of a status badge: "badge ok", or "badge" for a grey one."""
    return f"badge {tone(value, kind)}".strip()
