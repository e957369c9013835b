"""What a page's address names in its query string, read as the page needs it.

An id or a number typed into an address is text: `str.isdigit` takes "²" (a digit to it) which
`int` refuses, so a page reads it here and answers text that is no whole number as it answers a
number that names nothing, with a 404.
"""

from __future__ import annotations

from django.http import Http404


def number_in_address(text: str, *, unknown: str) -> int:
    """The whole number `text` is; a 404 saying `unknown` (e.g. "No such version.") if none."""
    try:
        return int(text)
    except ValueError:  # also for more digits than int() reads (4,300)
        raise Http404(unknown) from None
