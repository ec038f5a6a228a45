"""Ids read from a request's query string or form data, parsed in one place.

`str.isdigit()` is no test for an id: it accepts "²" and "١٢", which int() refuses, and a 20-digit number
passes it too. An id is 1 to 18 ASCII digits (below PostgreSQL's bigint limit); anything else in the query
string is a 404, never a 500 (issue 12).
"""

import re

from django.http import Http404

ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """`value` as an id, or None when it is not one (empty, a sign, a dot, a Unicode digit, too long)."""
    if isinstance(value, str) and ID.fullmatch(value):
        return int(value)
    return None


def id_param(request, name: str) -> int | None:
    """The id in `?name=`: None when the parameter is absent or empty, a 404 when it is not an id."""
    value = request.GET.get(name, "")
    if value == "":
        return None
    number = parse_id(value)
    if number is None:
        raise Http404(f"?{name}= is not an id")
    return number
