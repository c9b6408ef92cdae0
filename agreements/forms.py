"""Forms of agreements' pages: a project's progress, recorded from the personal area or a reminder's link."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CooperationProject


class ProjectUpdateForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"))
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_due = forms.DateField(
        label=_("Next step due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, project: CooperationProject, **kwargs):
        kwargs.setdefault(
            "initial",
            {"stage": project.stage, "next_step": project.next_step, "next_step_due": project.next_step_due},
        )
        super().__init__(*args, **kwargs)
        self.project = project
        allowed = {project.stage} | set(project.TRANSITIONS.get(project.stage, set()))
        self.fields["stage"].choices = [
            (value, label) for value, label in CooperationProject.Stage.choices if value in allowed
        ]
