from django.views.generic import TemplateView


class _Pending(TemplateView):
    template_name = "base.html"


AgreementListView = AgreementDetailView = _Pending
