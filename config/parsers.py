"""The API's JSON parser: DRF's, with a limit on the body's nesting, and its answer to a body too big.

Python's json module recurses once per level: a body of a few thousand brackets ends in a
RecursionError, a 500. No body of the API needs more than a few levels.
"""

import codecs
import re

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json

MAX_DEPTH = 32
# A string (with its escapes) or a bracket: brackets inside strings do not nest.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (an approximation for invalid JSON)."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        lexeme = match[0]
        if lexeme in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif lexeme in ("]", "}"):
            depth -= 1
    return deepest


def body_too_big() -> ParseError:
    """The API's answer to a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django refuses to read one)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return ParseError(
        ngettext(
            "The request body is larger than %(max)d byte: such JSON is not accepted.",
            "The request body is larger than %(max)d bytes: such JSON is not accepted.",
            limit,
        )
        % {"max": limit}
    )


class PortalJSONParser(JSONParser):
    """JSON nested at most MAX_DEPTH levels; deeper is a ParseError, the API's 400 with a message.
    (DRF reads a JSON body through request.body, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE limits its
    size: config.api turns that refusal into the same 400.)"""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read(), encoding)
        except (LookupError, ValueError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        return self.parse_text(text)

    def parse_text(self, text: str):
        if json_depth(text) > MAX_DEPTH:
            raise ParseError(
                ngettext(
                    "The request body is nested deeper than %(max)d level: such JSON is not accepted.",
                    "The request body is nested deeper than %(max)d levels: such JSON is not accepted.",
                    MAX_DEPTH,
                )
                % {"max": MAX_DEPTH}
            )
        try:
            return json.loads(text, parse_constant=json.strict_constant if api_settings.STRICT_JSON else None)
        except (ValueError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
