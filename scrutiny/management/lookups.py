"""What the commands name: a partnership by its slug, and a scrutiny by its slug within it.

An installation may host several partnerships, each with scrutinies of its own whose slugs need
be unique only within it. A command that works on a partnership's things takes
`--partnership SLUG`, needed only where the installation hosts more than one: with a single
partnership it is that one, and a command never guesses between several.
"""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from scrutiny.models import Partnership, Scrutiny


def partnership_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--partnership",
        metavar="SLUG",
        help="The partnership, by its slug: needed only where the installation hosts several.",
    )


def partnership_for_command(slug: str | None) -> Partnership:
    """The partnership `--partnership SLUG` names, or the installation's only one; a
    CommandError naming the option when there is no such one or it is not said which."""
    partnerships = Partnership.objects.order_by("slug")
    if slug:
        partnership = partnerships.filter(slug=slug).first()
        if partnership is None:
            known = ", ".join(partnerships.values_list("slug", flat=True)) or "none yet"
            raise CommandError(
                f"There is no partnership {slug!r} (--partnership). Partnerships: {known}."
            )
        return partnership
    found = list(partnerships[:2])
    if not found:
        raise CommandError(
            "There is no partnership yet: add one with `manage.py add_partnership` (or run "
            "`manage.py demo`), then run this again."
        )
    if len(found) > 1:
        known = ", ".join(partnerships.values_list("slug", flat=True))
        raise CommandError(
            "This installation hosts several partnerships: say which with --partnership SLUG "
            f"(one of {known})."
        )
    return found[0]


def scrutiny_by_slug(slug: str, partnership: str | None = None) -> Scrutiny:
    """Scrutiny SLUG of the partnership (`partnership_for_command`), or a CommandError that
    lists that partnership's scrutinies."""
    owner = partnership_for_command(partnership)
    scrutinies = Scrutiny.objects.filter(partnership=owner)
    scrutiny = scrutinies.select_related("partnership").filter(slug=slug).first()
    if scrutiny is None:
        slugs = list(scrutinies.order_by("slug").values_list("slug", flat=True))
        known = ", ".join(slugs) if slugs else "none yet: run import_scrutiny first"
        raise CommandError(f"There is no scrutiny {slug!r}. Scrutinies: {known}.")
    return scrutiny
