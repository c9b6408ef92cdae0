from django.views.generic import TemplateView


class _Pending(TemplateView):
    template_name = "base.html"


RegionListView = RegionDetailView = RegionPairView = CompanyListView = CompanyDetailView = _Pending
