"""What the archive carries: every concrete model of the installation, by label, either carried
(with how its rows are found for one partnership) or left out (with the reason).

The table is explicit so that no table is ever left out by accident: a model that is in
neither (a new one) fails `tests/scrutiny/test_archive_scope.py`, and `archive export` refuses
to run until someone decides. The apps `audits` and `surveys` are named by label (the core
never imports them), their models found through the app registry.

How rows are found: a lookup from the model to the partnership (`scrutiny__partnership`), or
for the few that reach it by more than one path, a function of the partnership's id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Carried:
    """A model whose partnership's rows the archive carries: `lookup` leads to the partnership
    (`""` for the partnership itself), or `rows` gives a filter of the partnership's id."""

    lookup: str = ""
    rows: Callable[[int], Q] | None = None

    def queryset(self, model: type[Model], partnership_id: int) -> QuerySet[Model]:
        if self.rows is not None:
            condition = self.rows(partnership_id)
        elif self.lookup:
            condition = Q(**{self.lookup: partnership_id})
        else:
            condition = Q(pk=partnership_id)
        return model._default_manager.filter(condition).order_by("pk")


@dataclass(frozen=True)
class Excluded:
    """A model the archive leaves out, and why."""

    reason: str


def _people(partnership_id: int) -> Q:
    # The partnership's accounts, and any other that its immediate concerns cannot do without
    # (the person who raised one is required, and kept under the public task).
    raisers = apps.get_model("audits", "ImmediateConcern")._default_manager.filter(
        case__sample__scrutiny__partnership=partnership_id
    )
    return Q(partnership=partnership_id) | Q(pk__in=raisers.values("raised_by"))


def _jobs(partnership_id: int) -> Q:
    # A job is the partnership's when it names it (as every job started since it was recorded
    # does), when it built one of its packs or publications, or when one of its people started
    # it.
    return (
        Q(partnership=partnership_id)
        | Q(pack__scrutiny__partnership=partnership_id)
        | Q(publication__scrutiny__partnership=partnership_id)
        | Q(created_by__partnership=partnership_id)
    )


_VERSION = "version__instrument__scrutiny__partnership"
_CASE = "case__sample__scrutiny__partnership"
_SURVEY = "survey__scrutiny__partnership"
_WHY_NOT = "a secret that would let someone sign in; no one's secrets leave the installation"

SCOPE: dict[str, Carried | Excluded] = {
    # The partnership, its people and settings (the DPIA's configuration is these rows).
    "scrutiny.partnership": Carried(),
    "scrutiny.agency": Carried("partnership"),
    "scrutiny.area": Carried("partnership"),
    "scrutiny.practitionerrole": Carried("partnership"),
    "scrutiny.user": Carried(rows=_people),
    # Scrutinies, their instruments with every version, and the evidence.
    "scrutiny.scrutiny": Carried("partnership"),
    "scrutiny.successfactor": Carried("scrutiny__partnership"),
    "scrutiny.instrument": Carried("scrutiny__partnership"),
    "scrutiny.instrumentversion": Carried("instrument__scrutiny__partnership"),
    "scrutiny.optionlist": Carried(_VERSION),
    "scrutiny.option": Carried(f"option_list__{_VERSION}"),
    "scrutiny.section": Carried(_VERSION),
    "scrutiny.question": Carried(_VERSION),
    "scrutiny.factorlink": Carried(f"question__{_VERSION}"),
    "scrutiny.response": Carried("scrutiny__partnership"),
    "scrutiny.answer": Carried("response__scrutiny__partnership"),
    "scrutiny.disclosurereview": Carried("answer__response__scrutiny__partnership"),
    # The workspace, packs, publications and the plan with its history.
    "scrutiny.finding": Carried("scrutiny__partnership"),
    "scrutiny.quote": Carried("scrutiny__partnership"),
    "scrutiny.evidencenote": Carried("scrutiny__partnership"),
    "scrutiny.job": Carried(rows=_jobs),
    "scrutiny.eventpack": Carried("scrutiny__partnership"),
    "scrutiny.publication": Carried("scrutiny__partnership"),
    "scrutiny.priority": Carried("partnership"),
    "scrutiny.outcome": Carried("priority__partnership"),
    "scrutiny.action": Carried("partnership"),
    "scrutiny.actionupdate": Carried("action__partnership"),
    "scrutiny.trailentry": Carried("partnership"),
    # Case-file audits and moderation.
    "audits.sample": Carried("scrutiny__partnership"),
    "audits.casefile": Carried("sample__scrutiny__partnership"),
    "audits.assignment": Carried(_CASE),
    "audits.moderation": Carried(_CASE),
    "audits.immediateconcern": Carried(_CASE),
    "audits.auditevent": Carried("scrutiny__partnership"),
    # Surveys, invitations and youth sessions, as far as retention has kept them.
    "surveys.survey": Carried("scrutiny__partnership"),
    "surveys.invitation": Carried(_SURVEY),
    "surveys.opendraft": Carried(_SURVEY),
    "surveys.youthsession": Carried(_SURVEY),
    # Left out.
    "admin.logentry": Excluded(
        "The Django admin's own log, which names tables by this installation's numbers; each "
        "change made in the admin is also in the partnership's audit trail, which is carried."
    ),
    "auth.permission": Excluded("Made by `migrate` on every installation; roles decide access."),
    "auth.group": Excluded(
        "Not used: what a person may do follows their role (scrutiny/permissions.py)."
    ),
    "contenttypes.contenttype": Excluded("Made by `migrate` on every installation."),
    "sessions.session": Excluded(f"Sign-ins in progress: {_WHY_NOT}."),
    "knox.authtoken": Excluded(f"API tokens: {_WHY_NOT}. People make new ones."),
    "otp_totp.totpdevice": Excluded(
        f"Authenticator app keys: {_WHY_NOT}. Each person sets up a second factor again."
    ),
    "otp_static.staticdevice": Excluded(f"Recovery codes: {_WHY_NOT}."),
    "otp_static.statictoken": Excluded(f"Recovery codes: {_WHY_NOT}."),
    "axes.accessattempt": Excluded(
        "Failed sign-ins by address, this installation's lockouts; the trail records them."
    ),
    "axes.accessattemptexpiration": Excluded("When this installation's lockouts end."),
    "axes.accessfailurelog": Excluded("This installation's log of failed sign-ins by address."),
    "axes.accesslog": Excluded("This installation's log of sign-ins by address."),
}


def model_label(model: type[Model]) -> str:
    return model._meta.label_lower


def unclassified_models() -> list[str]:
    """Every concrete model of the installation that the table neither carries nor leaves out
    (and every label of the table that names no model)."""
    labels = {model_label(model) for model in apps.get_models()}
    return sorted(labels.symmetric_difference(SCOPE))


def carried_models() -> list[type[Model]]:
    """The carried models, each after every model it points to (foreign keys and many-to-many
    fields), so that a restore loads them in this order."""
    models = {
        label: apps.get_model(label) for label, rule in SCOPE.items() if isinstance(rule, Carried)
    }
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if label in ordered or label in visiting:
            return  # a cycle (a scrutiny's previous one) is resolved by deferred constraints
        visiting.add(label)
        meta = models[label]._meta
        for field in [*meta.fields, *meta.many_to_many]:
            target = field.related_model
            if isinstance(target, type) and model_label(target) in models.keys() - {label}:
                visit(model_label(target))
        visiting.discard(label)
        ordered.append(label)

    for label in sorted(models):
        visit(label)
    return [models[label] for label in ordered]


def carried_rows(model: type[Model], partnership_id: int) -> QuerySet[Model]:
    """The partnership's rows of a carried model, in primary key order."""
    rule = SCOPE[model_label(model)]
    if not isinstance(rule, Carried):
        raise TypeError(f"{model_label(model)} is not carried by the archive.")
    return rule.queryset(model, partnership_id)
