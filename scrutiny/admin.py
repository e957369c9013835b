from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from scrutiny.models import Agency, Area, Job, Partnership, User

admin.site.site_header = "Safeguarding scrutiny administration"
admin.site.site_title = "Safeguarding scrutiny"


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "contact_email", "updated_at"]
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
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
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
