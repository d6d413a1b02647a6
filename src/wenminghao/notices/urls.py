from django.urls import path

from . import views

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
]
