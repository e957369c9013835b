"""XLSForm `relevant` expressions and our show_if (WORKBOOKS.md §6), both ways.

Read: `${q} = 'v'` and `selected(${q}, 'v')` give `q = v`; `${q} != 'v'` and
`not(selected(${q}, 'v'))` give `q != v`; the same comparisons of one question joined by `or`
give `q in (v1, v2)`. Anything else cannot be carried (`relevant_to_show_if` returns None).
Written: the same forms, `selected(...)` for a multiple-choice question.
"""

from __future__ import annotations

import re

from scrutiny.instruments import parse_show_if
from scrutiny.models import Question

_VALUE = r"""(?:'(?P<q1>[^']*)'|"(?P<q2>[^"]*)"|(?P<bare>-?\d+(?:\.\d+)?))"""
_NAME = r"\$\{(?P<code>[A-Za-z_][A-Za-z0-9_.-]*)\}"
_COMPARE = re.compile(rf"^{_NAME}\s*(?P<op>!=|=)\s*{_VALUE}$")
_SELECTED = re.compile(
    rf"^(?P<not>not\s*\(\s*)?selected\s*\(\s*{_NAME}\s*,\s*{_VALUE}\s*\)(?(not)\s*\))$"
)


def _one(text: str) -> tuple[str, str, str] | None:
    """One comparison as (code, op, value), or None."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and not text.startswith("(("):
        text = text[1:-1].strip()
    for pattern in (_COMPARE, _SELECTED):
        match = pattern.match(text)
        if match is None:
            continue
        value = next(v for v in (match["q1"], match["q2"], match["bare"]) if v is not None)
        op = match.groupdict().get("op") or ("!=" if match.groupdict().get("not") else "=")
        return match["code"], op, value
    return None


def relevant_to_show_if(text: str) -> str | None:
    """A relevant expression as a show_if, "" for none, or None when it cannot be carried."""
    if not text.strip():
        return ""
    parts = [_one(part) for part in re.split(r"\s+or\s+", text.strip())]
    if any(part is None for part in parts):
        return None
    found = [part for part in parts if part is not None]
    if len(found) == 1:
        code, op, value = found[0]
        return f"{code} {op} {value}"
    if len({code for code, _, _ in found}) != 1 or any(op != "=" for _, op, _ in found):
        return None  # an "or" carries only as CODE in (v1, v2): one question, each "="
    return f"{found[0][0]} in ({', '.join(value for _, _, value in found)})"


def _quoted(value: str) -> str:
    return f'"{value}"' if "'" in value else f"'{value}'"


def show_if_to_relevant(show_if: str, types: dict[str, str]) -> str:
    """A show_if as a relevant expression (types: each question's type by code)."""
    condition = parse_show_if(show_if)
    if condition is None:
        return ""
    multiple = types.get(condition.code) == Question.Type.MULTIPLE

    def equals(value: str) -> str:
        if multiple:
            return f"selected(${{{condition.code}}}, {_quoted(value)})"
        return f"${{{condition.code}}} = {_quoted(value)}"

    if condition.op == "!=":
        if multiple:
            return f"not({equals(condition.values[0])})"
        return f"${{{condition.code}}} != {_quoted(condition.values[0])}"
    return " or ".join(equals(value) for value in condition.values)
