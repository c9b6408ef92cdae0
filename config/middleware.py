"""A NUL character in the admin's address or form data is a 400 with a message.

PostgreSQL refuses NUL in text, so a NUL that reaches a query is a 500 there, and the admin passes
several parameters to the database without a form field's validation: the changelist's search
`q` and its filters, the autocomplete's `term`, for every ModelAdmin including Django's and
django-axes'. This is the one place that stops it for the admin. Elsewhere the values go through
forms: the public pages' and the API's search text is cleaned of control characters
(companies.search.normalize_query) and their filters' fields refuse NUL (Django's
ProhibitNullCharactersValidator), as the API's error shape or the page's notice says.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def has_nul(data) -> bool:
    """True if a key or a value of a QueryDict contains a NUL character."""
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class AdminNulCharacterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or admin.site.name not in match.namespaces:
            return None
        if has_nul(request.GET):
            message = _("The address contains a NUL character (U+0000): the request was not carried out.")
        elif request.method == "POST" and has_nul(request.POST):
            message = _("The form contains a NUL character (U+0000): nothing was saved.")
        else:
            return None
        context = {**admin.site.each_context(request), "title": _("Bad request"), "message": message}
        return TemplateResponse(request, "admin/bad_request.html", context, status=400)
