"""The API's cross-app reads: a mission's outcome funnel, the same figures its page and the dashboard show."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, get_object_or_404
from rest_framework.response import Response

from missions.models import Mission
from missions.selectors import missions_visible_to

from .dashboard import funnel_total


class ValueSerializer(serializers.Serializer):
    currency = serializers.CharField()
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class OutcomesSerializer(serializers.Serializer):
    delegation_organizations = serializers.IntegerField(source="organizations")
    meetings_held = serializers.IntegerField(source="meetings")
    projects = serializers.IntegerField()
    projects_open = serializers.IntegerField()
    contracts_signed = serializers.IntegerField(source="contracts")
    contract_values = ValueSerializer(many=True, help_text="Per currency, never converted.")


class MissionOutcomesView(GenericAPIView):
    """What a mission produced: organizations in its delegation, meetings held, projects opened and
    contracts signed with their value per currency — counted over what the caller may see."""

    serializer_class = OutcomesSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        operation_id="missions_outcomes_retrieve",
        tags=["missions"],
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="The mission's slug.")
        ],
    )
    def get(self, request, slug: str):
        mission = get_object_or_404(missions_visible_to(request.user).select_related(None), slug=slug)
        total = funnel_total(request.user, missions=Mission.objects.filter(pk=mission.pk))
        total.contract_values = [
            {"currency": currency, "amount": amount}
            for currency, amount in [("RUB", total.value_rub), *total.other_values]
            if amount
        ]
        return Response(self.get_serializer(total).data)
