from django.urls import path

from . import views

app_name = "stories"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("new/", views.story_create, name="create"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/edit/", views.story_edit, name="edit"),
    path("<int:pk>/submit/", views.story_submit, name="submit"),
    path("<int:pk>/forward/", views.story_forward, name="forward"),
    path("<int:pk>/return/", views.story_return, name="return"),
    path("<int:pk>/promote/", views.story_promote, name="promote"),
    path("<int:pk>/unpromote/", views.story_unpromote, name="unpromote"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="photo"),
    path("<int:pk>/photos/<int:photo_id>/remove/", views.photo_remove, name="photo_remove"),
]
