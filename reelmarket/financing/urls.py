"""/connect/: projects, investor profiles and Producers Connect sessions."""

from django.urls import include, path

app_name = "financing"

urlpatterns = [
    path("sessions/", include("reelmarket.financing.urls_connect")),
    path("", include("reelmarket.financing.urls_projects")),
]
