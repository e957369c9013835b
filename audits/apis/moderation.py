"""moderation API (to be filled)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
