from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("new/", views.unit_create, name="create"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
]
