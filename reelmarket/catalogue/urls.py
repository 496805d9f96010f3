from django.urls import path

from reelmarket.catalogue import views_browse, views_editor, views_saved

app_name = "catalogue"
urlpatterns: list = [
    # The public catalogue (views_browse.py).
    path("", views_browse.title_list, name="list"),
    path("<int:pk>/", views_browse.title_page, name="detail"),
    # A participant's saved titles (views_saved.py).
    path("saved/", views_saved.saved_list, name="saved"),
    path("<int:pk>/save/", views_saved.title_save_toggle, name="save"),
    # The exhibitor's catalogue editor (views_editor.py).
    path("mine/", views_editor.mine, name="mine"),
    path("new/", views_editor.title_create, name="create"),
    path("<int:pk>/edit/", views_editor.title_edit, name="edit"),
    path("<int:pk>/rights/", views_editor.title_rights, name="rights"),
    path("<int:pk>/delete/", views_editor.title_delete, name="delete"),
    path("editor/rows/<slug:kind>/", views_editor.editor_row, name="editor_row"),
    path("editor/gap/", views_editor.editor_gap, name="editor_gap"),
]
