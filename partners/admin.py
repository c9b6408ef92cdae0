"""The partners app's admin, one module a subsystem: meeting requests and the host side
(`admin_requests`), the B2B schedule builder (`admin_schedule`). Django discovers this module."""

from . import admin_requests, admin_schedule  # noqa: F401
