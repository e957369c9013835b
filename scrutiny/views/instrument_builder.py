"""The instrument builder's pages: change an instrument's questions, option lists and settings.

Each change is published at once through scrutiny.instrument_builder (see its docstring for why
there is no working copy); a version with responses is never changed: the first change makes the
next version, and the page says so before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from scrutiny import instrument_builder as builder
from scrutiny import permissions
from scrutiny.errors import ApplicationError
from scrutiny.forms_instruments import (
    WELSH,
    BasedOnForm,
    InstrumentSettingsForm,
    MoveForm,
    OptionListForm,
    QuestionForm,
)
from scrutiny.forms_welsh_labels import format_welsh_labels
from scrutiny.instruments import (
    InstrumentDefinition,
    QuestionDef,
    SaveResult,
    definition_from_version,
)
from scrutiny.models import Instrument, InstrumentVersion, Scrutiny
from scrutiny.views.scrutinies.form_pages import add_definition_errors, form_page, posted
from scrutiny.views.scrutinies.instruments import current_version, instrument_in


def _builder_context(scrutiny: Scrutiny, instrument: Instrument, **extra: Any) -> dict[str, Any]:
    return {
        "scrutiny": scrutiny,
        "instrument": instrument,
        "cancel_url": reverse("instrument-detail", args=[scrutiny.slug, instrument.pk]),
        **extra,
    }


def _saved(
    request: HttpRequest, result: SaveResult, scrutiny: Scrutiny, instrument: Instrument
) -> HttpResponse:
    messages.success(request, builder.save_message(result))
    return redirect("instrument-detail", slug=scrutiny.slug, instrument_id=instrument.pk)


def _offers_welsh(definition: InstrumentDefinition) -> bool:
    return WELSH in definition.languages


def _welsh_initial(question: QuestionDef) -> dict[str, str]:
    texts = question.translations.get(WELSH, {})
    return {f"{name}_{WELSH}": texts.get(name, "") for name in ("section", "text", "help")}


def _question_initial(definition: InstrumentDefinition, question: QuestionDef) -> dict[str, Any]:
    options = definition.option_lists.get(question.options, ())
    return {
        **_welsh_initial(question),
        f"option_lines_{WELSH}": format_welsh_labels(options) if options else "",
        "section": question.section,
        "code": question.code,
        "type": question.type,
        "text": question.text,
        "options": question.options,
        "option_lines": builder.format_option_lines(options) if options else "",
        "required": "yes" if question.required else "no",
        "factors": builder.format_factors(question),
        "help": question.help,
        "show_if": question.show_if,
    }


@login_required
@require_http_methods(["GET", "POST"])
def instrument_settings(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    definition = definition_from_version(current)
    form = InstrumentSettingsForm(
        posted(request),
        initial={
            "title": instrument.title,
            "kind": instrument.kind,
            "based_on": current.definition_sha256,
        },
    )
    if _offers_welsh(definition) or WELSH in scrutiny.partnership.languages:
        form.with_languages(
            welsh_offered=_offers_welsh(definition),
            title_cy=definition.translations.get(WELSH, {}).get("title", ""),
        )
    if request.method == "POST" and form.is_valid():
        try:
            result = builder.instrument_settings_save(
                instrument=instrument,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                languages=form.languages(),
                translations=form.welsh_texts("title"),
                based_on=form.cleaned_data["based_on"],
            )
        except ApplicationError as exc:
            add_definition_errors(form, exc)
        else:
            return _saved(request, result, scrutiny, instrument)
    return form_page(
        request,
        _builder_context(
            scrutiny,
            instrument,
            form=form,
            title=gettext("Title and source of %(code)s") % {"code": instrument.code},
            submit=gettext("Save"),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    """Add a question (no ?code=) or change question ?code=."""
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    definition = definition_from_version(current)
    code = request.GET.get("code")
    initial: dict[str, Any] = {"based_on": current.definition_sha256}
    if code is not None:
        question = next((q for q in definition.questions if q.code == code), None)
        if question is None:
            raise Http404("No such question.")
        initial.update(_question_initial(definition, question))
    elif definition.questions:
        initial["section"] = definition.questions[-1].section
        initial[f"section_{WELSH}"] = _welsh_initial(definition.questions[-1])[f"section_{WELSH}"]
    form = QuestionForm(
        posted(request),
        initial=initial,
        option_list_names=list(definition.option_lists),
        factor_codes=list(scrutiny.factors.values_list("code", flat=True)),
    )
    if _offers_welsh(definition):
        form.with_welsh(("section", "text", "option_lines", "help"))
    if request.method == "POST" and form.is_valid():
        try:
            result = builder.instrument_question_save(
                instrument=instrument,
                question=form.question(),
                replacing=code,
                option_list=form.option_list(),
                based_on=form.cleaned_data["based_on"],
            )
        except ApplicationError as exc:
            add_definition_errors(
                form,
                exc,
                question_code=form.cleaned_data["code"],
                list_name=form.cleaned_data.get("options", ""),
            )
        else:
            return _saved(request, result, scrutiny, instrument)
    return form_page(
        request,
        _builder_context(
            scrutiny,
            instrument,
            form=form,
            title=gettext("Change question %(code)s") % {"code": code}
            if code
            else gettext("Add a question to %(code)s") % {"code": instrument.code},
            caption=f"{instrument.code} {instrument.title}",
            submit=gettext("Save the question"),
            has_responses=current.responses.exists(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    code = request.GET.get("code", "")
    question = current.questions.filter(code=code).first()
    if question is None:
        raise Http404("No such question.")
    return _confirm_remove(
        request,
        scrutiny,
        instrument,
        current,
        remove=lambda based_on: builder.instrument_question_delete(
            instrument=instrument, code=code, based_on=based_on
        ),
        title=gettext("Remove question %(code)s?") % {"code": code},
        what=question.text,
        submit=gettext("Remove the question"),
    )


def _confirm_remove(
    request: HttpRequest,
    scrutiny: Scrutiny,
    instrument: Instrument,
    current: InstrumentVersion,
    *,
    remove: Callable[[str], SaveResult],
    title: str,
    what: str,
    submit: str,
) -> HttpResponse:
    """A page asking to confirm a removal; posted, `remove(based_on)` (the version the page
    showed) and back to the instrument, or the page again with the reason it was refused."""
    form = BasedOnForm(posted(request), initial={"based_on": current.definition_sha256})
    if request.method == "POST" and form.is_valid():
        try:
            result = remove(form.cleaned_data["based_on"])
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return _saved(request, result, scrutiny, instrument)
    return render(
        request,
        "scrutiny/scrutinies/confirm_remove.html",
        _builder_context(
            scrutiny,
            instrument,
            form=form,
            title=title,
            what=what,
            submit=submit,
            has_responses=current.responses.exists(),
        ),
    )


@login_required
@require_POST
def question_move(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    form = MoveForm(request.POST)
    code = request.GET.get("code", "")
    if not form.is_valid() or not code:
        messages.error(request, gettext("Choose a question and a direction to move it."))
    else:
        try:
            result = builder.instrument_question_move(
                instrument=instrument,
                code=code,
                offset=-1 if form.cleaned_data["direction"] == "up" else 1,
                based_on=form.cleaned_data["based_on"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, builder.save_message(result))
    url = reverse("instrument-detail", args=[scrutiny.slug, instrument.pk])
    return redirect(f"{url}#question-{code}" if code else url)


@login_required
@require_http_methods(["GET", "POST"])
def option_list_edit(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    """Add an option list (no ?name=) or change list ?name=."""
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    name = request.GET.get("name")
    initial: dict[str, Any] = {"based_on": current.definition_sha256}
    definition = definition_from_version(current)
    if name is not None:
        if name not in definition.option_lists:
            raise Http404("No such option list.")
        initial["name"] = name
        initial["option_lines"] = builder.format_option_lines(definition.option_lists[name])
        initial[f"option_lines_{WELSH}"] = format_welsh_labels(definition.option_lists[name])
    form = OptionListForm(posted(request), initial=initial)
    if _offers_welsh(definition):
        form.with_welsh(("option_lines",))
    if request.method == "POST" and form.is_valid():
        try:
            result = builder.instrument_option_list_save(
                instrument=instrument,
                name=form.cleaned_data["name"],
                options=form.options(),
                replacing=name,
                based_on=form.cleaned_data["based_on"],
            )
        except ApplicationError as exc:
            add_definition_errors(form, exc, list_name=form.cleaned_data["name"])
        else:
            return _saved(request, result, scrutiny, instrument)
    return form_page(
        request,
        _builder_context(
            scrutiny,
            instrument,
            form=form,
            title=gettext("Change option list %(name)s") % {"name": name}
            if name
            else gettext("Add an option list"),
            caption=f"{instrument.code} {instrument.title}",
            submit=gettext("Save the list"),
            has_responses=current.responses.exists(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def option_list_delete(request: HttpRequest, slug: str, instrument_id: int) -> HttpResponse:
    scrutiny = permissions.access_scrutiny_to_configure(request.user, slug)
    instrument = instrument_in(scrutiny, instrument_id)
    current = current_version(instrument)
    name = request.GET.get("name", "")
    if not current.option_lists.filter(name=name).exists():
        raise Http404("No such option list.")
    return _confirm_remove(
        request,
        scrutiny,
        instrument,
        current,
        remove=lambda based_on: builder.instrument_option_list_delete(
            instrument=instrument, name=name, based_on=based_on
        ),
        title=gettext("Remove option list %(name)s?") % {"name": name},
        what="",
        submit=gettext("Remove the list"),
    )
