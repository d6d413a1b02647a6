from django.urls import path

from .views import campaigns, filings, structure

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.campaign_create, name="create"),
    path("filings/", filings.filing_list, name="filings"),
    path("filings/<int:pk>/decide/", filings.filing_decide, name="decide"),
    path("<int:pk>/", campaigns.campaign_detail, name="detail"),
    path("<int:pk>/edit/", campaigns.campaign_edit, name="edit"),
    path("<int:pk>/file/", filings.filing_create, name="file"),
    path("<int:pk>/file/preview/", filings.filing_preview, name="file_preview"),
    path("<int:pk>/structure/", structure.structure, name="structure"),
]
