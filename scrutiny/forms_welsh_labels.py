"""Welsh option labels in the builder's forms, written one a line as `value | label` beside the
English `value | label | points`: the values come from the English list, so a Welsh box can
only label the options the English one has."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext

from scrutiny.instruments import OptionDef

WELSH = "cy"


def welsh_labels(text: str, options: tuple[OptionDef, ...]) -> dict[str, str]:
    """Welsh option labels written one a line as `value | label`. Raises ValueError."""
    values = {option.value for option in options}
    labels: dict[str, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        value, _, label = (part.strip() for part in line.partition("|"))
        if value not in values:
            raise ValueError(
                gettext("line %(number)s: %(value)s is not a value of the list")
                % {"number": number, "value": repr(value)}
            )
        labels[value] = label
    return labels


def format_welsh_labels(options: tuple[OptionDef, ...]) -> str:
    return "\n".join(
        f"{o.value} | {o.translations.get(WELSH, {}).get('label', '')}".rstrip(" |")
        for o in options
    )


def options_in_welsh(options: tuple[OptionDef, ...], text: str | None) -> tuple[OptionDef, ...]:
    """The options with the Welsh labels typed (None: not shown, the old ones are kept)."""
    if text is None:
        return options
    labels = welsh_labels(text, options)
    return tuple(
        replace(o, translations={**o.translations, WELSH: {"label": labels.get(o.value, "")}})
        for o in options
    )
