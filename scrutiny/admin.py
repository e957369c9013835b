"""The admin site: where the business unit keeps its own partnership's people, agencies, areas
and practitioner roles, and where the platform's operator adds partnerships and their first
administrators.

Who may do what here is asked of `scrutiny.permissions`, never of Django's model permissions
or groups: the business unit (staff, not a superuser) sees and changes its own partnership's
rows only, and another partnership's row is "not found" (a 404, the same as a row that does not
exist). The operator (a superuser) sees partnerships and people, never case data. Case data
(evidence, audits, surveys, findings, packs, the plan) is not in the admin at all: the
platform's own pages show it to those who may see it, through the services that keep it valid
and the trail that records who saw it. The audit trails are here to read, and nobody, the
operator included, may add, change or delete an entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scrutiny import permissions
from scrutiny.mfa.services import second_factor_remove
from scrutiny.models import (
    Agency,
    Area,
    Partnership,
    PractitionerRole,
    Scrutiny,
    SuccessFactor,
    TrailEntry,
    User,
)
from scrutiny.permissions import AnyUser

admin.site.site_header = _("Safeguarding scrutiny administration")
admin.site.site_title = _("Safeguarding scrutiny")
# Permissions come from scrutiny.permissions, so groups of Django permissions mean nothing here.
admin.site.unregister(Group)
# A second factor's secret and recovery codes are nobody's to read, the operator's included: a
# lost phone is reset with `manage.py mfa_reset` (docs/accounts.md).
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


class PartnershipScopedAdmin(admin.ModelAdmin):
    """Rows of one partnership, for those `may_manage` allows: their own partnership's rows
    only. Another partnership's row answers 404, as a missing one does (not the admin's
    redirect, which would say whether it exists). New rows are the user's partnership's."""

    # The lookup from a row to its partnership.
    partnership_field = "partnership"
    # Rows that the operator manages as well (all partnerships'): partnerships and people.
    operator_manages = False
    read_only = False
    may_delete = True

    def may_manage(self, user: AnyUser) -> bool:
        return permissions.can_manage_partnership(user)

    def own_partnership(self, request: HttpRequest) -> Partnership | None:
        user = request.user
        return permissions.partnership_of(user) if self.may_manage(user) else None

    def is_operator(self, request: HttpRequest) -> bool:
        return self.operator_manages and permissions.can_manage_partnerships(request.user)

    def _allowed(self, request: HttpRequest) -> bool:
        return self.is_operator(request) or self.own_partnership(request) is not None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not self.read_only and self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self.read_only and self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self.read_only and self.may_delete and self._allowed(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        if self.is_operator(request):
            return rows
        partnership = self.own_partnership(request)
        if partnership is None:
            return rows.none()
        return rows.filter(**{self.partnership_field: partnership})

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        found = super().get_object(request, object_id, from_field)
        if found is None:
            raise Http404(gettext("Not found."))
        return found

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        """The partnership is the user's own, shown and fixed (so that a code used already in
        it is a mistake on the form to correct); choices of the user's partnership only (an
        agency, an area, a role)."""
        partnership = self.own_partnership(request)
        related = db_field.related_model
        if partnership is not None and not self.is_operator(request):
            if related is Partnership:
                kwargs["queryset"] = Partnership.objects.filter(pk=partnership.pk)
                kwargs["initial"] = partnership.pk
                kwargs["disabled"] = True
            elif isinstance(related, type) and any(
                field.name == "partnership" for field in related._meta.fields
            ):
                kwargs["queryset"] = related._default_manager.filter(partnership=partnership)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """The operator's: partnerships are added here (or with `manage.py add_partnership`). The
    business unit edits its own on the platform's partnership page."""

    list_display = ["name", "slug", "contact_email", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["name", "slug"]

    def _allowed(self, request: HttpRequest) -> bool:
        return permissions.can_manage_partnerships(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(PartnershipScopedAdmin):
    list_display = ["code", "name", "type", "workforce"]
    list_filter = ["type"]
    search_fields = ["code", "name"]


@admin.register(Area)
class AreaAdmin(PartnershipScopedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(PractitionerRole)
class PractitionerRoleAdmin(PartnershipScopedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class UserCreateForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # no Meta in the stubs
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]  # no Meta in the stubs
        model = User
        fields = "__all__"


PERSON = ("full_name", "partnership", "role", "agency")
OPERATOR_FIELDSETS = (
    (None, {"fields": ("email", "password")}),
    (_("Person"), {"fields": PERSON}),
    (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
    (_("Dates"), {"fields": ("last_login", "date_joined")}),
)
BUSINESS_UNIT_FIELDSETS = (
    (None, {"fields": ("email", "password")}),
    (_("Person"), {"fields": PERSON}),
    (_("Access"), {"fields": ("is_active", "is_staff")}),
    (_("Dates"), {"fields": ("last_login", "date_joined")}),
)
PASSWORDS = ("usable_password", "password1", "password2")


@admin.register(User)
class UserAdmin(PartnershipScopedAdmin, DjangoUserAdmin):
    """People. The business unit adds and changes its own partnership's (never a superuser's);
    the operator anyone's, to give a new partnership its first administrator."""

    operator_manages = True
    may_delete = False  # accounts are deactivated: the trail and the evidence name them
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "agency", "is_active", "is_staff"]
    list_filter = ["role", ("agency", admin.RelatedOnlyFieldListFilter), "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    list_select_related = ["agency"]
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        people = super().get_queryset(request)
        return people if self.is_operator(request) else people.filter(is_superuser=False)

    @admin.action(description=_("Reset two-factor authentication (a lost phone)"))
    def second_factor_reset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """For someone who lost their phone and their recovery codes: their app and codes stop
        working, and they set up a new app at their next sign-in (recorded in the trail)."""
        by = request.user if isinstance(request.user, User) else None
        for person in queryset:
            second_factor_remove(user=person, by=by, reset=True)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-factor authentication reset for %(count)d person: each sets up a new app "
                "at their next sign-in.",
                "Two-factor authentication reset for %(count)d people: each sets up a new app "
                "at their next sign-in.",
                count,
            )
            % {"count": count},
        )

    actions = ["second_factor_reset"]

    def get_list_filter(self, request: HttpRequest) -> Any:
        if self.is_operator(request):
            return [("partnership", admin.RelatedOnlyFieldListFilter), *self.list_filter]
        return self.list_filter

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        operator = self.is_operator(request)
        if obj is None:
            fields = ("email", *PERSON, "is_staff", *PASSWORDS)
            return ((None, {"classes": ("wide",), "fields": fields}),)
        return OPERATOR_FIELDSETS if operator else BUSINESS_UNIT_FIELDSETS


class SuccessFactorInline(admin.TabularInline):
    """A scrutiny's success factors. A workbook never removes one (findings may point at it):
    removing one is a deliberate act, here."""

    model = SuccessFactor
    extra = 0

    def _allowed(self, request: HttpRequest) -> bool:
        return permissions.can_manage_partnership(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)


@admin.register(Scrutiny)
class ScrutinyAdmin(PartnershipScopedAdmin):
    """The business unit's scrutinies, for their success factors: set up, imported and
    changed on the platform's pages, never added or deleted here."""

    list_display = ["slug", "title", "status", "starts", "ends"]
    list_filter = ["status"]
    search_fields = ["slug", "title", "priority"]
    fields = ["slug", "title", "status"]
    readonly_fields = ["slug", "title", "status"]
    inlines = [SuccessFactorInline]
    may_delete = False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False


class TrailAdmin(PartnershipScopedAdmin):
    """An audit trail, to read: append-only, so nobody adds, changes or deletes an entry here,
    the operator included."""

    read_only = True

    def may_manage(self, user: AnyUser) -> bool:
        return permissions.can_read_trail(user)


@admin.register(TrailEntry)
class TrailEntryAdmin(TrailAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor", "object_label", "detail"]
