from django.urls import include, path

urlpatterns = [
    path("", include("audits.views.samples")),
    path("", include("audits.views.completion")),
    path("", include("audits.views.moderation")),
]
