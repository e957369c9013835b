from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

urlpatterns = [
    path("", include("scrutiny.urls")),
    path("", include("audits.urls")),
    path("", include("surveys.urls")),
    path("accounts/", include("scrutiny.account_urls")),
    path("admin/", admin.site.urls),
    path("api/", include("scrutiny.api_urls")),
    path("api/", include("audits.api_urls")),
    path("api/", include("surveys.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
