"""The notices' pages (to be written: helper A)."""
from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


notice_list = notice_create = notice_detail = notice_read = notice_reply = notice_forward = _todo
notice_receipts = notice_remind = notice_attachment = reply_file = _todo
