from django.urls import path

from . import norm_views, views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("new/recipients/", views.recipients_count, name="recipients"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/read/", views.notice_read, name="read"),
    path("<int:pk>/reply/", views.notice_reply, name="reply"),
    path("<int:pk>/forward/", views.notice_forward, name="forward"),
    path("<int:pk>/receipts/", views.notice_receipts, name="receipts"),
    path("<int:pk>/remind/", views.notice_remind, name="remind"),
    path("<int:pk>/files/<int:file_id>/", views.notice_attachment, name="attachment"),
    path("<int:pk>/receipts/<int:receipt_id>/file/", views.reply_file, name="reply_file"),
    # execution norms (执行规范)
    path("norms/", norm_views.norm_chain, name="norms"),
    path("norms/new/", norm_views.norm_create, name="norm_create"),
    path("norms/overview/", norm_views.norm_overview, name="norm_overview"),
    path("norms/<int:pk>/", norm_views.norm_detail, name="norm_detail"),
    path("norms/<int:pk>/files/<int:file_id>/", norm_views.norm_attachment, name="norm_attachment"),
]
