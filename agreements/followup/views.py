"""The page a reminder's one-click link opens: a company contact records progress without signing in.

GET only shows the form (mail scanners open links); the POST records the update through
`project_record_progress`, the service staff use, and spends the link.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from companies.exceptions import PortalError
from companies.forms import add_service_error

from ..forms import ProjectUpdateForm
from .links import project_record_progress_by_link, reminder_from_link

TEMPLATE = "agreements/followup_update.html"


@never_cache
@require_http_methods(["GET", "POST"])
def followup_update(request, token: str):
    try:
        reminder = reminder_from_link(token)
    except PortalError as exc:
        status = 410 if exc.code in ("link_used", "link_expired") else 404
        return render(request, TEMPLATE, {"refusal": " ".join(exc.messages)}, status=status)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The letter's language, unless the visitor chose one with the switch.
        translation.activate(reminder.language)
        request.LANGUAGE_CODE = reminder.language
    project = reminder.project
    if project.stage in project.CLOSED_STAGES:
        refusal = _("The project is “%(s)s”: it takes no more updates.") % {"s": project.get_stage_display()}
        return render(request, TEMPLATE, {"refusal": refusal, "project": project}, status=410)
    form = ProjectUpdateForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project_record_progress_by_link(
                token=token,
                note=data["note"],
                stage=data["stage"],
                next_step=data["next_step"],
                next_step_due=data["next_step_due"],
            )
        except PortalError as exc:
            if exc.code and exc.code.startswith("link_"):
                return render(request, TEMPLATE, {"refusal": " ".join(exc.messages), "project": project}, status=410)
            add_service_error(form, exc)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            project.refresh_from_db()
            return render(request, TEMPLATE, {"done": True, "project": project, "reminder": reminder})
    status = 400 if request.method == "POST" else 200
    return render(request, TEMPLATE, {"form": form, "project": project, "reminder": reminder}, status=status)
