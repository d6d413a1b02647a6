from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("collectives/options/", views.collective_options, name="collective_options"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/partners/", views.partner_add, name="partner_add"),
    path("<int:pk>/partners/<int:collective_id>/remove/", views.partner_remove, name="partner_remove"),
    path("<int:pk>/progress/", views.progress_add, name="progress"),
    path("<int:pk>/visits/", views.visit_add, name="visit"),
    path("<int:pk>/finish/", views.project_finish, name="finish"),
    path("<int:pk>/photos/<int:photo_id>/", views.progress_photo, name="photo"),
]
