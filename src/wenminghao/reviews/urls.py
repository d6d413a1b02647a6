from django.urls import path

from .views import packages, reports, rounds, unit_review

app_name = "reviews"

urlpatterns = [
    # unit reports and the Attachment 2 table (R2)
    path("campaigns/<int:campaign_id>/report/", reports.unit_report, name="unit_report"),
    path("campaigns/<int:campaign_id>/report/summary/", reports.summary_download, name="summary_download"),
    path("campaigns/<int:campaign_id>/report/scan/", reports.scan_upload, name="scan_upload"),
    path("campaigns/<int:campaign_id>/reports/", reports.report_overview, name="report_overview"),
    path("reports/<int:report_id>/scan/", reports.report_scan, name="report_scan"),
    # central review rounds and judges' scoring (R4)
    path("campaigns/<int:campaign_id>/rounds/", rounds.round_list, name="round_list"),
    path("campaigns/<int:campaign_id>/rounds/new/", rounds.round_create, name="round_create"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round_detail"),
    path("rounds/<int:round_id>/rubric/", rounds.round_rubric, name="round_rubric"),
    path("rounds/<int:round_id>/judges/", rounds.round_judges, name="round_judges"),
    path("rounds/<int:round_id>/assign/", rounds.round_assign, name="round_assign"),
    path("rounds/<int:round_id>/results/", rounds.round_results, name="round_results"),
    path("rounds/<int:round_id>/works/<int:work_id>/decision/", rounds.round_decide, name="round_decide"),
    path("rounds/<int:round_id>/close/", rounds.round_close, name="round_close"),
    path("judging/", rounds.judge_home, name="judge_home"),
    path("judging/<int:assignment_id>/", rounds.judge_assignment, name="judge_assignment"),
]

# bulk downloads: zips of works' files, the province package, the office's export with every score
urlpatterns += [
    path("campaigns/<int:campaign_id>/report/archive.zip", packages.unit_archive, name="unit_archive"),
    path("campaigns/<int:campaign_id>/archive.zip", packages.campaign_archive, name="campaign_archive"),
    path("campaigns/<int:campaign_id>/province/", packages.province_package, name="province_package"),
    path("campaigns/<int:campaign_id>/province/summary", packages.province_summary, name="province_summary"),
    path("campaigns/<int:campaign_id>/province/archive.zip", packages.province_archive, name="province_archive"),
    path("campaigns/<int:campaign_id>/export/", packages.campaign_export, name="campaign_export"),
]

# the unit's review: queue, decisions on a work, the order of its recommended works
urlpatterns += [
    path("campaigns/<int:campaign_id>/queue/", unit_review.review_queue, name="review_queue"),
    path("works/<int:work_id>/decision/", unit_review.work_decide, name="work_decide"),
    path("campaigns/<int:campaign_id>/order/", unit_review.recommended_order, name="recommended_order"),
    path("campaigns/<int:campaign_id>/order/move/", unit_review.recommended_move, name="recommended_move"),
]
