"""The scrutineer's workspace pages (the scrutineer and the business unit; board members are
told it is not theirs, anyone else a 404):

- `workspace`: the scorecard, the comparison with an earlier scrutiny, the findings' state,
  signing off, and the event packs (build, progress, download);
- `workspace-factor`: one factor's evidence, its comments (search, tag as quotes), notes and
  the finding to write;
- the forms those pages post to, each calling one service of scrutiny.findings or
  scrutiny.packs.build, and the packs' downloads.
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from scrutiny import findings, permissions
from scrutiny.disclosure import (
    QuoteLabels,
    QuotePublished,
    Redactor,
    distributions_protected,
    finding_published,
    quote_published,
)
from scrutiny.errors import ApplicationError
from scrutiny.evidence_comments import CommentPage, factor_comment_page
from scrutiny.forms_workspace import (
    CommentSearchForm,
    CompareForm,
    EventSettingsForm,
    FindingForm,
    NoteForm,
)
from scrutiny.models import EventPack, Quote, Scrutiny, SuccessFactor, User
from scrutiny.packs.build import pack_download, pack_start
from scrutiny.packs.words import rating_word, source_word
from scrutiny.scorecard import FactorEvidence, ScorecardRow, factor_evidence, scorecard
from scrutiny.scoring import ScrutinyScores, question_distributions, scrutiny_scores
from scrutiny.scrutinies import scrutiny_event_settings_save


def _scrutiny(request: HttpRequest, slug: str) -> Scrutiny:
    return permissions.access_scrutiny_to_configure(request.user, slug)


def _errors_as_messages(request: HttpRequest, form: forms.Form) -> None:
    """A small form posted from a page with several: its errors come back as messages there."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _factor(scrutiny: Scrutiny, code: str) -> SuccessFactor:
    return get_object_or_404(SuccessFactor, scrutiny=scrutiny, code=code)


def _in_words(row: ScorecardRow) -> ScorecardRow:
    """A row with its rating and sources' labels in the active language (English unchanged)."""
    return replace(
        row,
        rating_label=rating_word(row.rating, row.rating_label),
        sources=tuple(replace(bar, label=source_word(bar.label)) for bar in row.sources),
    )


def _evidence_in_words(evidence: FactorEvidence) -> FactorEvidence:
    return replace(evidence, row=_in_words(evidence.row))


@login_required
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    scores = scrutiny_scores(scrutiny=scrutiny)
    rows = scorecard(scrutiny=scrutiny, scores=scores)
    finding_list = findings.findings_drafted(scrutiny=scrutiny, scores=scores, rows=rows)
    by_code = {f.factor.code: f for f in finding_list}
    return render(
        request,
        "scrutiny/workspace/workspace.html",
        {
            "scrutiny": scrutiny,
            "rows": [_in_words(row) for row in rows],
            "entries": [(_in_words(row), by_code[row.code]) for row in rows],
            "signed_off": all(f.is_signed_off for f in finding_list) and bool(finding_list),
            "settings_form": EventSettingsForm(
                initial={
                    "event_date": scrutiny.event_date,
                    "divergence_margin": scrutiny.divergence_margin,
                }
            ),
            "compare_form": CompareForm(
                initial={"previous": scrutiny.previous_id}, scrutiny=scrutiny
            ),
            "packs": EventPack.objects.filter(scrutiny=scrutiny).select_related("job", "built_by")[
                :10
            ],
        },
    )


@login_required
@require_POST
def workspace_compare(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    form = CompareForm(request.POST, scrutiny=scrutiny)
    if form.is_valid():
        scrutiny.previous = form.cleaned_data["previous"]
        scrutiny.save(update_fields=["previous", "updated_at"])
        messages.success(
            request,
            gettext("Compared with %(title)s.") % {"title": scrutiny.previous.title}
            if scrutiny.previous
            else gettext("No comparison."),
        )
    else:
        messages.error(request, gettext("Choose a scrutiny of this partnership to compare with."))
    return redirect("workspace", scrutiny.slug)


@login_required
@require_POST
def workspace_settings(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    form = EventSettingsForm(request.POST)
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("workspace", scrutiny.slug)
    scrutiny_event_settings_save(
        scrutiny=scrutiny,
        event_date=form.cleaned_data["event_date"],
        divergence_margin=form.cleaned_data["divergence_margin"],
    )
    messages.success(request, gettext("The event's date and the divergence margin are saved."))
    return redirect("workspace", scrutiny.slug)


def _comments_query(comments: CommentPage) -> str:
    """The comments' search and question as a query string, for their pages' links."""
    chosen = comments.chosen.pk if comments.chosen else ""
    return urlencode({k: v for k, v in (("q", comments.search), ("question", chosen)) if v})


def _factor_url(scrutiny: Scrutiny, factor: SuccessFactor, query: dict[str, str | int]) -> str:
    """The factor's page showing the comments the scrutineer was reading."""
    url = reverse("workspace-factor", args=[scrutiny.slug, factor.code])
    given = {k: v for k, v in query.items() if v and v != 1}
    return f"{url}?{urlencode(given)}#comments" if given else url


def _quotes(
    scrutiny: Scrutiny, factor: SuccessFactor, scores: ScrutinyScores, redactor: Redactor
) -> list[QuotePublished]:
    """The factor's quotes, all of them (this is the scrutineer's own screen), each with the
    label it may carry now."""
    quotes = list(Quote.objects.filter(factor=factor).select_related("factor").order_by("pk"))
    labels = QuoteLabels(quotes, scrutiny=scrutiny, scores=scores)
    return [quote_published(quote, redactor=redactor, label=labels(quote)) for quote in quotes]


@login_required
def workspace_factor(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    factor = _factor(scrutiny, code)
    # Each aggregate over the scrutiny's answers is read once, and handed to what needs it.
    scores = scrutiny_scores(scrutiny=scrutiny)
    rows = scorecard(scrutiny=scrutiny, scores=scores)
    distributions = question_distributions(scrutiny=scrutiny)
    protection = distributions_protected(scrutiny=scrutiny, distributions=distributions)
    (finding,) = findings.findings_drafted(
        scrutiny=scrutiny,
        factor=factor,
        scores=scores,
        rows=rows,
        distributions=distributions,
        protection=protection,
    )
    redactor = Redactor.for_scrutiny(scrutiny)
    comments = factor_comment_page(
        scrutiny=scrutiny,
        factor=factor,
        scores=scores,
        redactor=redactor,
        **CommentSearchForm(request.GET).choice(),
    )
    return render(
        request,
        "scrutiny/workspace/factor.html",
        {
            "scrutiny": scrutiny,
            "factor": factor,
            "evidence": _evidence_in_words(
                factor_evidence(
                    scrutiny=scrutiny,
                    factor=factor,
                    scores=scores,
                    rows=rows,
                    distributions=distributions,
                    protection=protection,
                )
            ),
            "comments": comments,
            "comments_query": _comments_query(comments),
            "quotes": _quotes(scrutiny, factor, scores, redactor),
            "finding": finding,
            "published": finding_published(finding, redactor=redactor),
            "finding_form": FindingForm(
                initial={"strengths": finding.strengths, "improvements": finding.improvements}
            ),
            "note_form": NoteForm(),
        },
    )


@login_required
@require_POST
def workspace_finding(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    factor = _factor(scrutiny, code)
    (finding,) = findings.findings_drafted(scrutiny=scrutiny, factor=factor)
    form = FindingForm(request.POST)
    if form.is_valid():
        assert isinstance(request.user, User)  # one who may configure the scrutiny
        try:
            findings.finding_update(
                finding=finding,
                strengths=form.cleaned_data["strengths"],
                improvements=form.cleaned_data["improvements"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, gettext("The finding for %(code)s is saved.") % {"code": factor.code}
            )
    return redirect("workspace-factor", scrutiny.slug, factor.code)


@login_required
@require_POST
def workspace_quote(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    factor = _factor(scrutiny, code)
    assert isinstance(request.user, User)  # one who may configure the scrutiny
    try:
        answer_id = int(request.POST.get("answer", ""))
        findings.quote_tag(scrutiny=scrutiny, factor=factor, answer_id=answer_id, user=request.user)
    except ValueError:
        messages.error(request, gettext("Choose a comment to tag."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The comment is tagged as a quote for the pack."))
    shown = CommentSearchForm(request.POST).choice()
    return redirect(
        _factor_url(
            scrutiny,
            factor,
            {"q": shown["search"], "question": shown["question_id"], "page": shown["page"]},
        )
    )


@login_required
@require_POST
def workspace_quote_remove(
    request: HttpRequest, slug: str, code: str, quote_id: int
) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    factor = _factor(scrutiny, code)
    findings.quote_remove(quote=get_object_or_404(Quote, pk=quote_id, factor=factor))
    messages.success(request, gettext("The quote is no longer in the pack."))
    return redirect("workspace-factor", scrutiny.slug, factor.code)


@login_required
@require_POST
def workspace_note(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    factor = _factor(scrutiny, code)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _errors_as_messages(request, form)
        return redirect("workspace-factor", scrutiny.slug, factor.code)
    assert isinstance(request.user, User)  # one who may configure the scrutiny
    try:
        findings.note_record(
            scrutiny=scrutiny,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            factor_codes=[factor.code],
            user=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The note is recorded."))
    return redirect("workspace-factor", scrutiny.slug, factor.code)


@login_required
@require_POST
def workspace_sign_off(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    assert isinstance(request.user, User)  # one who may configure the scrutiny
    try:
        findings.findings_sign_off(scrutiny=scrutiny, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("The findings are signed off, frozen with the data they were drawn from."),
        )
    return redirect("workspace", scrutiny.slug)


@login_required
@require_POST
def workspace_pack_build(request: HttpRequest, slug: str) -> HttpResponse:
    scrutiny = _scrutiny(request, slug)
    assert isinstance(request.user, User)  # one who may configure the scrutiny
    pack = pack_start(scrutiny=scrutiny, user=request.user)
    assert pack.job_id is not None
    return redirect("job-detail", pack.job_id)


@login_required
def workspace_pack_download(
    request: HttpRequest, slug: str, pack_id: int, kind: str
) -> FileResponse:
    scrutiny = _scrutiny(request, slug)
    return pack_download(get_object_or_404(EventPack, pk=pack_id, scrutiny=scrutiny), kind)
