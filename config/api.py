"""What every endpoint of the REST API shares: the one error shape and the schema's error responses
(pagination is in config.api_pagination, which DRF imports before its views)."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

from .parsers import body_too_big

# --- One error shape -----------------------------------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True, help_text="The field or query parameter at fault; null for the request as a whole."
    )
    code = serializers.CharField(help_text="A stable, machine-readable code, e.g. `required`, `bad_transition`.")
    message = serializers.CharField(help_text="What is wrong, in the language of the request (Russian by default).")


class ErrorSerializer(serializers.Serializer):
    """Every error response of the API, whatever its status."""

    status = serializers.IntegerField()
    errors = ErrorItemSerializer(many=True)


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "__all__", "detail") else (f"{field}.{key}" if field else key)
            items += _flatten(value, name)
        return items
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, field)]
    return [{"field": field, "code": getattr(detail, "code", "invalid") or "invalid", "message": str(detail)}]


def api_exception_handler(exc, context):
    """DRF's handler, with Django's ValidationError (PortalError from the services) as a 400, and
    every error in the shape of ErrorSerializer."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [serializers.ErrorDetail(e.message % (e.params or {}), code=e.code or "invalid")
                              for e in errors] for field, errors in exc.error_dict.items()}  # fmt: skip
        else:
            detail = [
                serializers.ErrorDetail(e.message % (e.params or {}), code=e.code or "invalid") for e in exc.error_list
            ]
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = body_too_big()
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    response.data = {"status": response.status_code, "errors": _flatten(detail)}
    return response


# --- The schema documents the errors of every operation ------------------------------------------

ERROR_DESCRIPTIONS = {
    "400": "The request is not valid: see `errors` (a body, a filter, `page` or `page_size`).",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Signed in, but this user may not do this.",
    "404": "No such object, or not one this user may see.",
    "405": "This method is not allowed here.",
    "406": "The Accept header asks for a format the API does not serve.",
    "415": "The body is not JSON (or another format the endpoint takes).",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        codes = ["400", "401", "403", "405", "406"]
        if self.path_regex and "(?P<" in self.path_regex:
            codes.append("404")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        for code in codes:
            if code not in bodies:
                bodies[code] = self._get_response_for_code(ErrorSerializer, code)
                bodies[code]["description"] = ERROR_DESCRIPTIONS[code]
        return bodies
