from django.urls import path

from .views import reports

app_name = "reviews"

urlpatterns = [
    # unit reports and the Attachment 2 table (R2)
    path("campaigns/<int:campaign_id>/report/", reports.unit_report, name="unit_report"),
    path("campaigns/<int:campaign_id>/report/summary/", reports.summary_download, name="summary_download"),
    path("campaigns/<int:campaign_id>/report/scan/", reports.scan_upload, name="scan_upload"),
    path("campaigns/<int:campaign_id>/reports/", reports.report_overview, name="report_overview"),
    path("reports/<int:report_id>/scan/", reports.report_scan, name="report_scan"),
]
