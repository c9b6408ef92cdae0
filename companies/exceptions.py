"""The one domain exception of the portal.

Services raise PortalError when a business rule refuses a change; the admin shows it as a message,
forms as a form error and the API as a 400 with one error shape.
"""

from django.core.exceptions import ValidationError


class PortalError(ValidationError):
    """A business rule refused the change. Subclasses ValidationError so forms display it as is."""
