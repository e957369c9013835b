"""Login, logout and password reset: Django's own views with the platform's templates; the
second factor's pages (scrutiny/mfa/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from scrutiny.forms import LoginForm
from scrutiny.mfa import views as two_factor

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("two-factor/", two_factor.two_factor, name="two-factor"),
    path("two-factor/set-up/", two_factor.two_factor_set_up, name="two-factor-set-up"),
    path("two-factor/set-up/qr.svg", two_factor.two_factor_qr, name="two-factor-qr"),
    path("two-factor/verify/", two_factor.two_factor_verify, name="two-factor-verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor.two_factor_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("two-factor/remove/", two_factor.two_factor_remove, name="two-factor-remove"),
]
