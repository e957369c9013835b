from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from scrutiny import oidc

# The API's documentation pages run third-party viewers under the site's Content-Security-Policy
# (settings.CONTENT_SECURITY_POLICY). Swagger UI's split view serves its start-up script as a file
# (no inline script); Swagger UI's stylesheet draws its icons as data: images. Redoc writes its
# own <style> elements and searches in a worker made from a blob: these two pages, which show only
# the API's schema, are allowed that and nothing more.
_swagger_csp = csp_update({"img-src": [SELF, "data:"]})
_redoc_csp = csp_update(
    {"img-src": [SELF, "data:"], "style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}
)

urlpatterns = [
    path("", include("scrutiny.urls")),
    path("", include("audits.urls")),
    path("", include("surveys.urls")),
    path("accounts/", include("scrutiny.account_urls")),
    # Sign-in with the partnership's identity provider (scrutiny/oidc.py, docs/oidc.md): always
    # routed, but its pages answer "not found" unless OIDC_RP_CLIENT_ID is set.
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("oidc/not-signed-in/", oidc.SignInFailedView.as_view(), name="oidc_sign_in_failed"),
    # The language switch at the top of every page posts here (Django's set_language).
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("scrutiny.api_urls")),
    path("api/", include("audits.api_urls")),
    path("api/", include("surveys.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        _swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        _redoc_csp(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-redoc",
    ),
]

# Under /api/ a route that matches nothing, and a server error, answer in JSON
# (scrutiny/views/errors.py).
handler404 = "scrutiny.views.errors.not_found"
handler500 = "scrutiny.views.errors.server_failed"
