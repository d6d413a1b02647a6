from django.urls import path

from . import views

app_name = "collectives"
urlpatterns = [
    path("", views.collective_list, name="list"),
    path("new/", views.collective_create, name="create"),
    path("export/", views.collective_export, name="export"),
    path("import/", views.collective_import, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("<int:pk>/", views.collective_detail, name="detail"),
    path("<int:pk>/edit/", views.collective_edit, name="edit"),
]
