"""The limits of the progress photos (the same size limit as the ledger's files)."""

from django.conf import settings

MAX_PHOTOS = 9


def photo_max_bytes() -> int:
    return int(getattr(settings, "WMH_LEDGER_FILE_MAX_BYTES", 20 * 1024 * 1024))
