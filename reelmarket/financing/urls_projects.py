"""/connect/: the project directory, projects, documents, investor profiles."""

from django.urls import URLPattern, URLResolver, path

from reelmarket.financing import views, views_documents

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/", views.project_list, name="projects"),
    path("projects/mine/", views.my_projects, name="my_projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", views.project_delete, name="project_delete"),
    path("projects/<int:pk>/plan/", views.project_plan, name="project_plan"),
    path(
        "projects/<int:pk>/plan/<int:source_id>/delete/",
        views.source_delete,
        name="source_delete",
    ),
    path("projects/<int:pk>/team/", views.project_team, name="project_team"),
    path(
        "projects/<int:pk>/team/<int:member_id>/delete/",
        views.team_member_delete,
        name="team_member_delete",
    ),
    path("projects/<int:pk>/partners/", views.project_partners, name="project_partners"),
    path("projects/<int:pk>/investors/", views.project_investors, name="project_investors"),
    path(
        "projects/<int:pk>/documents/",
        views_documents.project_documents,
        name="project_documents",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_id>/",
        views_documents.document_file,
        name="document",
    ),
    path(
        "projects/<int:pk>/documents/<int:document_id>/delete/",
        views_documents.document_delete,
        name="document_delete",
    ),
    path("projects/<int:pk>/access/grant/", views_documents.access_grant, name="access_grant"),
    path("projects/<int:pk>/access/revoke/", views_documents.access_revoke, name="access_revoke"),
    path("investors/me/", views.investor_profile_edit, name="investor_profile"),
    path("investors/<int:pk>/", views.investor_detail, name="investor"),
]
