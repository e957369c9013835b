"""The REST API, split by sub-domain; `exception_handler` maps domain errors to a 400."""

from scrutiny.apis.core import exception_handler

__all__ = ["exception_handler"]
