"""The API's parser of JSON bodies: DRF's, but JSON nested deeper than Python can read is a 400.

Python's json reader recurses once for each `[` or `{`, so a body of 100,000 `[` (100 KB, sent
without an account to a survey's open link) raises RecursionError, which DRF's JSONParser does
not catch (only ValueError): a 500. Here it is a "JSON parse error" like any other body that is
not JSON. REST_FRAMEWORK's DEFAULT_PARSER_CLASSES names this parser, and the views that list
their own parsers list this one.

Not in `scrutiny.apis`: DRF imports its default parsers while `rest_framework.views` is still
being imported, and that package's views import `rest_framework.views`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                "JSON parse error - objects and lists are nested too deeply: "
                "a request needs only a few levels"
            ) from None
