from django.urls import include, path

urlpatterns = [
    path("", include("surveys.views.manage")),
    path("", include("surveys.views.respond")),
    path("", include("surveys.views.signed_in")),
]
