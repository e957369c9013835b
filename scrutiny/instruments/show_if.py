"""show_if conditions: `CODE = value`, `CODE != value`, `CODE in (v1, v2)`.

A question with a show_if is asked only when the condition holds for the answer given to the
question it names (`Condition.holds`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SHOW_IF = re.compile(
    r"^\s*(?P<code>[A-Za-z0-9_.-]+)\s*(?:(?P<op>!=|=)\s*(?P<value>.+?)|\s(?P<in>in)\s*\((?P<values>.*)\))\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Condition:
    code: str
    op: str  # "=", "!=" or "in"
    values: tuple[str, ...]

    def holds(self, answer: str | list[str] | None) -> bool:
        """Does the condition hold for the answer given to question `code`?

        A multiple-choice answer holds `=` when any chosen value matches. An unanswered
        question holds neither `=`, `in` nor `!=`: a follow-up waits until it is answered.
        """
        if answer is None or answer == "" or answer == []:
            return False
        given = {answer} if isinstance(answer, str) else set(answer)
        matches = bool(given & set(self.values))
        return not matches if self.op == "!=" else matches


def parse_show_if(text: str) -> Condition | None:
    """Parse a show_if; None for an empty one. Raises ValueError saying what is wrong."""
    if not text or not text.strip():
        return None
    match = _SHOW_IF.match(text)
    if not match:
        raise ValueError(
            f"cannot read show_if {text!r}: write CODE = value, CODE != value or CODE in (v1, v2)"
        )
    if match.group("in"):
        values = tuple(v.strip() for v in match.group("values").split(",") if v.strip())
        if not values:
            raise ValueError(f"show_if {text!r} lists no values in its brackets")
        return Condition(match.group("code"), "in", values)
    return Condition(match.group("code"), match.group("op"), (match.group("value").strip(),))
