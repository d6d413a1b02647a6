from django.urls import path

from .views import extensions, files, pages

app_name = "works"
urlpatterns = [
    path("", pages.work_list, name="list"),
    path("new/", pages.work_create, name="create"),
    path("<int:pk>/", pages.work_detail, name="detail"),
    path("<int:pk>/edit/", pages.work_edit, name="edit"),
    path("<int:pk>/files/", pages.work_files, name="files"),
    path("<int:pk>/files/upload/", files.file_upload, name="upload"),
    path("<int:pk>/files/order/", files.file_reorder, name="reorder"),
    path("<int:pk>/files/<int:file_id>/", files.file_serve, name="file"),
    path("<int:pk>/files/<int:file_id>/move/", files.file_move, name="file_move"),
    path("<int:pk>/files/<int:file_id>/caption/", files.file_caption, name="file_caption"),
    path("<int:pk>/files/<int:file_id>/remove/", files.file_remove, name="file_remove"),
    path("<int:pk>/essay/", pages.essay_save, name="essay"),
    path("<int:pk>/submit/", pages.work_submit, name="submit"),
    path("campaigns/<int:pk>/extensions/", extensions.extensions, name="extensions"),
]
