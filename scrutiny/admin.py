from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Model
from django.http import HttpRequest

from scrutiny.models import (
    Action,
    ActionUpdate,
    Agency,
    Answer,
    Area,
    EventPack,
    EvidenceNote,
    FactorLink,
    Finding,
    Instrument,
    InstrumentVersion,
    Job,
    Option,
    OptionList,
    Outcome,
    Partnership,
    PractitionerRole,
    Priority,
    Question,
    Quote,
    Response,
    Scrutiny,
    Section,
    SuccessFactor,
    User,
)

admin.site.site_header = "Safeguarding scrutiny administration"
admin.site.site_title = "Safeguarding scrutiny"


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["name"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "workforce", "partnership"]
    list_filter = ["type", "partnership"]
    search_fields = ["code", "name"]
    list_select_related = ["partnership"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["code", "name"]
    list_select_related = ["partnership"]


class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # no Meta in the stubs
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # no Meta in the stubs
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "agency", "is_active", "is_staff"]
    list_filter = ["role", "agency", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["agency"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "partnership", "role", "agency")}),
        (
            "Access",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "partnership",
                    "role",
                    "agency",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "progress", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["kind", "message"]
    readonly_fields = ["kind", "status", "progress", "message", "result", "worker", "created_by"]
    list_select_related = ["created_by"]


@admin.register(PractitionerRole)
class PractitionerRoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "partnership"]
    list_filter = ["partnership"]
    search_fields = ["code", "name"]


class SuccessFactorInline(admin.TabularInline):
    model = SuccessFactor
    extra = 0


@admin.register(Scrutiny)
class ScrutinyAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "status", "starts", "ends"]
    list_filter = ["status", "partnership"]
    search_fields = ["slug", "title", "priority"]
    inlines = [SuccessFactorInline]


@admin.register(SuccessFactor)
class SuccessFactorAdmin(admin.ModelAdmin):
    list_display = ["code", "statement", "scrutiny"]
    list_filter = ["scrutiny"]
    search_fields = ["code", "statement"]
    list_select_related = ["scrutiny"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Versions and evidence are changed only through the platform's own services, which keep
    an answered version intact and every response validated and scored."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "scrutiny"]
    list_filter = ["kind", "scrutiny"]
    search_fields = ["code", "title"]
    list_select_related = ["scrutiny"]
    readonly_fields = ["scrutiny", "code", "kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "number", "created_at"]
    list_filter = ["instrument__scrutiny"]
    search_fields = ["instrument__code", "instrument__title"]
    list_select_related = ["instrument"]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "position", "version"]
    list_filter = ["version__instrument__scrutiny"]
    search_fields = ["title"]
    list_select_related = ["version__instrument"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "type", "required", "is_scored", "version"]
    list_filter = ["type", "required", "is_scored"]
    search_fields = ["code", "text"]
    list_select_related = ["version__instrument"]


@admin.register(OptionList)
class OptionListAdmin(ReadOnlyAdmin):
    list_display = ["name", "version"]
    list_filter = ["version__instrument__scrutiny"]
    search_fields = ["name"]
    list_select_related = ["version__instrument"]


@admin.register(Option)
class OptionAdmin(ReadOnlyAdmin):
    list_display = ["value", "label", "points", "option_list"]
    list_filter = ["option_list__version__instrument__scrutiny"]
    search_fields = ["value", "label"]
    list_select_related = ["option_list"]


@admin.register(FactorLink)
class FactorLinkAdmin(ReadOnlyAdmin):
    list_display = ["question", "factor", "weight"]
    list_filter = ["factor__scrutiny"]
    search_fields = ["question__code", "factor__code"]
    list_select_related = ["question", "factor"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "instrument",
        "status",
        "source",
        "agency",
        "area",
        "case_ref",
        "submitted_at",
    ]
    list_filter = ["status", "source", "channel", "scrutiny", "agency", "area"]
    search_fields = ["ref", "case_ref", "instrument__code"]
    list_select_related = ["instrument", "agency", "area"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["response", "question", "option", "score"]
    list_filter = ["response__scrutiny", "response__status"]
    search_fields = ["question__code", "response__ref"]
    list_select_related = ["response__instrument", "question", "option"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["factor", "scrutiny", "signed_off_at", "updated_at"]
    list_filter = ["scrutiny", "signed_off_at"]
    search_fields = ["factor__code", "strengths", "improvements"]
    readonly_fields = ["frozen", "signed_off_at", "signed_off_by"]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["factor", "scrutiny", "source", "label", "created_at"]
    list_filter = ["scrutiny", "source"]
    search_fields = ["text", "factor__code"]


@admin.register(EvidenceNote)
class EvidenceNoteAdmin(admin.ModelAdmin):
    list_display = ["kind", "scrutiny", "recorded_by", "recorded_at"]
    list_filter = ["kind", "scrutiny"]
    search_fields = ["text"]


@admin.register(EventPack)
class EventPackAdmin(ReadOnlyAdmin):
    list_display = ["scrutiny", "built_at", "built_by", "data_version"]
    list_filter = ["scrutiny"]
    search_fields = ["scrutiny__slug", "data_version"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "position"]
    list_filter = ["partnership"]
    search_fields = ["title"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["text", "priority", "position"]
    list_filter = ["priority"]
    search_fields = ["text"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["text", "scrutiny", "factor", "status", "timescale", "lead_name"]
    list_filter = ["status", "scrutiny", "responsible"]
    search_fields = ["text", "lead_name", "responsible_group"]
    # A status changes only with an update (its note, and evidence for Blue): on the
    # action's page or through the API, never by editing it here.
    readonly_fields = ["status", "flagged_at", "flag_reason", "carried_from", "scrutiny_trail"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ["action", "status", "at", "by"]
    list_filter = ["status", "evidence_kind"]
    search_fields = ["note", "evidence"]
