from django.views.generic import TemplateView


class _Pending(TemplateView):
    template_name = "base.html"


MissionListView = MissionCalendarView = MissionDetailView = _Pending
