from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("filings/", views.filing_list, name="filings"),
    path("filings/<int:pk>/decide/", views.filing_decide, name="decide"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/file/", views.filing_create, name="file"),
    path("<int:pk>/file/preview/", views.filing_preview, name="file_preview"),
    path("<int:pk>/structure/", views.structure, name="structure"),
]
