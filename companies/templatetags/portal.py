"""Template helpers shared by every public page."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from companies import roles

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **changes) -> str:
    """The current query string with some parameters replaced (pagination that keeps the filters)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_param(context, name: str, value) -> str:
    """The current query string with the parameter `name` (given as a variable) set to `value`."""
    return query_replace(context, **{name: value})


@register.filter
def money(value, currency: str = "RUB") -> str:
    """12500000 → '12 500 000 ₽' (grouped in the active language's style)."""
    if value in (None, ""):
        return "—"
    symbols = {"RUB": "₽", "USD": "$", "CNY": "¥", "EUR": "€"}
    amount = number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, use_l10n=True, force_grouping=True)
    return f"{amount} {symbols.get(currency, currency)}"


@register.filter
def percent_of(part, whole) -> int:
    """Width of a bar in per cent, 0 when the whole is empty."""
    try:
        return round(100 * float(part) / float(whole)) if whole else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def user_display(user) -> str:
    """A curator or author as a person: name and position (companies.roles.user_display)."""
    return roles.user_display(user)


@register.filter
def user_name(user) -> str:
    """The signed-in user's name for the header, else the login (companies.roles.user_name)."""
    return roles.user_name(user)
