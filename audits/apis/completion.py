"""The audits API for auditors and the business unit: one APIView an operation.

- GET  /api/audits/                          the caller's own audits, with their status
- GET  /api/audits/<id>/                     one audit: its answers, revision and status
- PUT  /api/audits/<id>/draft/               save a draft of the whole audit (values + revision)
- POST /api/audits/<id>/submit/              validate the whole audit and submit it (revision)
- POST /api/audits/<id>/reopen/              make a submitted audit a draft again (reason)
- POST /api/audits/<id>/concern/             raise an immediate concern about the child
- POST /api/scrutinies/<slug>/assignments/   assign auditors to sampled case files

A 404 for any audit or scrutiny the caller may not see (audits.permissions), a 400 with the
message (and `errors` by question code or row) for input a person can fix, a 409 when the audit
was saved after the revision the client sent. Answers come back as the auditor typed them: they
are read here under the same permissions as the audit's own pages, and are not a publication
(scores and comments are published through scrutiny.disclosure only).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audits import assignments, completion, concerns, permissions, selectors
from audits.models import Assignment, AuditEvent, CaseFile
from audits.trail import audit_event_record
from scrutiny.errors import ApplicationError
from scrutiny.models import Agency, Scrutiny, User


@extend_schema_field(
    {"type": "string", "enum": list(selectors.STATUS_WORDS)}, component_name="AuditStatus"
)
class AuditStatusField(serializers.CharField):
    """not_started, draft, submitted, moderated or overdue; `status_words` says it in words."""


@extend_schema_field(
    {"type": "string", "enum": list(Assignment.Role.values)}, component_name="AssignmentRole"
)
class AssignmentRoleField(serializers.ChoiceField):
    """first (the agency's auditor) or second (the independent second auditor), as its own
    schema component: people's `role` has other values."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Assignment.Role.choices, **kwargs)


class AuditErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    # The body's key is `errors`. DRF's metaclass takes declared fields off the class, so
    # Serializer.errors is untouched; the stubs cannot express that.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(),
        required=False,
        help_text="Question code (or row number) to its problem.",
    )


class AuditConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    revision = serializers.IntegerField(help_text="The audit's revision now: reload, then retry.")


class AuditSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="assignment.pk")
    scrutiny = serializers.CharField(source="assignment.case.sample.scrutiny.slug")
    case_ref = serializers.CharField(source="assignment.case.case_ref")
    agency = serializers.CharField(source="assignment.agency.code")
    role = AssignmentRoleField(source="assignment.role")
    due = serializers.DateField(source="assignment.due", allow_null=True)
    status = AuditStatusField()
    status_words = serializers.CharField()
    revision = serializers.IntegerField(source="assignment.revision")
    current_step = serializers.CharField(
        source="assignment.current_step", help_text="The page to resume at ('' at first)."
    )


class AuditStateOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="assignment.pk")
    status = AuditStatusField()
    status_words = serializers.CharField()
    revision = serializers.IntegerField(source="assignment.revision")
    current_step = serializers.CharField(source="assignment.current_step")


def _conflict(exc: completion.StaleRevision) -> Response:
    return Response(
        {"detail": exc.message, "revision": exc.extra.get("revision")},
        status=status.HTTP_409_CONFLICT,
    )


def _state(assignment: Assignment) -> dict[str, Any]:
    return AuditStateOutputSerializer(selectors.audit_detail(assignment_id=assignment.pk)).data


ERRORS = {
    # A rule broken (`detail`, and `errors`: AuditErrorSerializer) or, for input that is not
    # the right shape, each field's messages (DRF): both are objects.
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Input a person can fix: `detail` and `errors` (question code to its "
        "problem), or each field's messages.",
    ),
    404: OpenApiResponse(description="No such audit, or not one the caller may see."),
}
CONFLICT = {
    409: OpenApiResponse(
        AuditConflictSerializer,
        description="The audit was saved after this revision; nothing was written.",
    )
}


class AuditListApi(APIView):
    @extend_schema(operation_id="audit_list", responses=AuditSummaryOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = selectors.audit_list_for_auditor(user=request.user)
        return Response(AuditSummaryOutputSerializer(rows, many=True).data)


class AuditDetailApi(APIView):
    class AuditDetailOutputSerializer(AuditSummaryOutputSerializer):
        auditor = serializers.EmailField(source="assignment.auditor.email", allow_null=True)
        instrument = serializers.CharField()
        version = serializers.IntegerField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        values = serializers.DictField(
            child=serializers.JSONField(),
            help_text="Question code to answer: an option value, a list of option values "
            "(multiple choice), or the text, number or date (YYYY-MM-DD) as text.",
        )

    @extend_schema(
        operation_id="audit_detail",
        responses={200: AuditDetailOutputSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = permissions.access_assignment_for_user(request.user, assignment_id)
        row = selectors.audit_detail(assignment_id=assignment.pk)
        compiled = completion.assignment_compiled(row.assignment)
        audit_event_record(
            scrutiny=row.assignment.case.sample.scrutiny,
            action=AuditEvent.Action.VIEWED,
            user=request.user,
            assignment=row.assignment,
            detail="Through the API",
        )
        response = row.assignment.response
        data = {
            "assignment": row.assignment,
            "status": row.status,
            "status_words": row.status_words,
            "instrument": compiled.instrument_code,
            "version": compiled.number,
            "submitted_at": response.submitted_at if response else None,
            "values": completion.audit_values(row.assignment),
        }
        return Response(self.AuditDetailOutputSerializer(data).data)


class AuditDraftApi(APIView):
    class AuditDraftInputSerializer(serializers.Serializer):
        values = serializers.DictField(
            child=serializers.JSONField(),
            help_text="The whole audit's answers so far: a question left out is cleared.",
        )
        revision = serializers.IntegerField(
            min_value=0, help_text="The revision the answers were read at."
        )
        step = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=40,
            help_text="The page to resume at on the web ('0', '1', … or 'check').",
        )

    @extend_schema(
        operation_id="audit_draft_save",
        request=AuditDraftInputSerializer,
        responses={200: AuditStateOutputSerializer, **ERRORS, **CONFLICT},
    )
    def put(self, request: Request, assignment_id: int) -> Response:
        assignment = permissions.access_assignment_to_complete(request.user, assignment_id)
        assert isinstance(request.user, User)  # the audit's own auditor
        data = self.AuditDraftInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assignment = completion.audit_save_page(
                assignment=assignment,
                revision=data.validated_data["revision"],
                step=data.validated_data.get("step", ""),
                values=data.validated_data["values"],
                user=request.user,
            )
        except completion.StaleRevision as exc:
            return _conflict(exc)
        return Response(_state(assignment))


class AuditSubmitApi(APIView):
    class AuditSubmitInputSerializer(serializers.Serializer):
        revision = serializers.IntegerField(min_value=0)

    @extend_schema(
        operation_id="audit_submit",
        request=AuditSubmitInputSerializer,
        responses={200: AuditStateOutputSerializer, **ERRORS, **CONFLICT},
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = permissions.access_assignment_to_complete(request.user, assignment_id)
        assert isinstance(request.user, User)  # the audit's own auditor
        data = self.AuditSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            assignment = completion.audit_submit(
                assignment=assignment,
                revision=data.validated_data["revision"],
                user=request.user,
            )
        except completion.StaleRevision as exc:
            return _conflict(exc)
        return Response(_state(assignment))


class AuditReopenApi(APIView):
    class AuditReopenInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000, help_text="Kept in the audit's history.")

    @extend_schema(
        operation_id="audit_reopen",
        request=AuditReopenInputSerializer,
        responses={
            200: AuditStateOutputSerializer,
            403: OpenApiResponse(description="The caller may see the audit but not reopen it."),
            **ERRORS,
        },
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = permissions.access_assignment_to_reopen(request.user, assignment_id)
        assert isinstance(request.user, User)  # one who may reopen the audit
        data = self.AuditReopenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = completion.audit_reopen(
            assignment=assignment, reason=data.validated_data["reason"], user=request.user
        )
        return Response(_state(assignment))


class AuditConcernApi(APIView):
    class AuditConcernInputSerializer(serializers.Serializer):
        concern = serializers.CharField(
            max_length=10000, help_text="What was found. Stays on the platform; never emailed."
        )

    class AuditConcernOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        raised_at = serializers.DateTimeField()
        told = serializers.ChoiceField(
            choices=["lead", "contact", "nobody"],
            help_text="Who is emailed: the safeguarding lead, the partnership's contact "
            "address (no lead email set), or nobody (neither is set).",
        )
        url = serializers.CharField(help_text="The page where the lead reads the concern.")

    @extend_schema(
        operation_id="audit_concern_raise",
        request=AuditConcernInputSerializer,
        responses={201: AuditConcernOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = permissions.access_assignment_for_user(request.user, assignment_id)
        assert isinstance(request.user, User)  # one who may see the audit
        data = self.AuditConcernInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = concerns.concern_raise(
            assignment=assignment, concern=data.validated_data["concern"], user=request.user
        )
        recipient = result.recipient
        told = "nobody" if recipient is None else "lead" if recipient.is_lead else "contact"
        output = {
            "id": result.concern.pk,
            "raised_at": result.concern.raised_at,
            "told": told,
            "url": request.build_absolute_uri(
                reverse("audit-concern-detail", args=[result.concern.pk])
            ),
        }
        return Response(
            self.AuditConcernOutputSerializer(output).data, status=status.HTTP_201_CREATED
        )


class AssignmentItemInputSerializer(serializers.Serializer):
    case_ref = serializers.CharField(max_length=100)
    agency = serializers.CharField(max_length=20, help_text="The agency's code.")
    auditor = serializers.EmailField(help_text="The auditor's email address.")
    due = serializers.DateField()
    role = AssignmentRoleField(default=Assignment.Role.FIRST)


class AssignmentCreateApi(APIView):
    class AssignmentCreateInputSerializer(serializers.Serializer):
        # What `many=True` builds; the stubs type neither min_length nor max_length there.
        assignments: serializers.ListSerializer[list[dict[str, Any]]] = serializers.ListSerializer(
            child=AssignmentItemInputSerializer(), min_length=1, max_length=500
        )

    @extend_schema(
        operation_id="assignment_create",
        request=AssignmentCreateInputSerializer,
        responses={201: AuditSummaryOutputSerializer(many=True), **ERRORS},
        description="Assign auditors to the scrutiny's sampled case files, all or none. Each "
        "auditor is emailed once, with no case reference. Errors are keyed by the item's "
        "position in `assignments`.",
    )
    def post(self, request: Request, slug: str) -> Response:
        scrutiny = permissions.access_scrutiny_audits_for_user(request.user, slug)
        assert isinstance(request.user, User)  # one who runs the scrutiny's audits
        data = self.AssignmentCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        requests = _assignment_requests(scrutiny, data.validated_data["assignments"])
        made = assignments.assignments_assign(
            scrutiny=scrutiny, requests=requests, user=request.user
        )
        rows = [selectors.audit_detail(assignment_id=a.pk) for a in made]
        return Response(
            AuditSummaryOutputSerializer(rows, many=True).data, status=status.HTTP_201_CREATED
        )


def _assignment_requests(
    scrutiny: Scrutiny, items: list[dict[str, Any]]
) -> list[assignments.AssignmentRequest]:
    """The items as requests, their case files, agencies and auditors looked up in the
    scrutiny's sample and partnership (three queries); every item's problems at once."""
    cases = {
        c.case_ref: c
        for c in CaseFile.objects.filter(
            sample__scrutiny=scrutiny, case_ref__in=[i["case_ref"] for i in items]
        ).select_related("sample__scrutiny")
    }
    agencies = {
        a.code: a
        for a in Agency.objects.filter(
            partnership_id=scrutiny.partnership_id, code__in=[i["agency"] for i in items]
        )
    }
    auditors = {
        u.email.lower(): u
        for u in User.objects.filter(
            partnership_id=scrutiny.partnership_id,
            email__in=[i["auditor"].lower() for i in items],
        )
    }
    errors: dict[int, str] = {}
    requests: list[assignments.AssignmentRequest] = []
    for index, item in enumerate(items):
        case = cases.get(item["case_ref"])
        agency = agencies.get(item["agency"])
        auditor = auditors.get(item["auditor"].lower())
        problems = []
        if case is None:
            problems.append(f"case file {item['case_ref']!r} is not in the scrutiny's sample")
        if agency is None:
            problems.append(f"{item['agency']!r} is not an agency code of the partnership")
        if auditor is None:
            problems.append(f"{item['auditor']} is not a person of the partnership")
        if problems:
            errors[index] = "; ".join(problems)
            continue
        assert case is not None and agency is not None and auditor is not None
        requests.append(
            assignments.AssignmentRequest(case, agency, auditor, item["due"], item["role"])
        )
    if errors:
        count = len(errors)
        raise ApplicationError(
            f"{count} item{'s' if count > 1 else ''} cannot be assigned, so nothing was: "
            + "; ".join(f"item {i}: {m}" for i, m in errors.items()),
            extra={"errors": errors},
        )
    return requests
