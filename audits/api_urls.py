from django.urls import include, path

urlpatterns = [
    path("", include("audits.apis.samples")),
    path("", include("audits.apis.completion")),
    path("", include("audits.apis.moderation")),
]
