"""The API's one upload intake (works' files and essays, the ledger's files): who may upload with a session, and the
file of a multipart body streamed to disk through ``core.uploads`` — left unread until the caller, the object and
the permission are known and the declared size is within the limit (``reject_oversized``), 413 the moment it
passes the limit."""

import contextlib

from wenminghao.core.errors import RuleViolationError
from wenminghao.core.uploads import UploadTooLarge, receive_upload

from .auth import BearerTokenAuth, SessionCookieAuth
from .errors import ApiError


class UploadSessionAuth(SessionCookieAuth):
    """The signed-in session, for uploads. Django's CSRF check looks for the token among a POST body's form
    fields first, which would read (and store) the whole upload before its size is checked; here the token
    must come in the X-CSRFToken header, as it does for every script and for the upload widget."""

    def _get_key(self, request):
        method = request.method
        request.method = "PUT"  # an unsafe method whose token Django takes from the header only
        try:
            return super()._get_key(request)
        finally:
            request.method = method


UPLOAD_AUTH = [BearerTokenAuth(), UploadSessionAuth()]


@contextlib.contextmanager
def answering_413():
    """A file found too large while streaming (or after) answers 413, not 422: nothing of it was kept."""
    try:
        yield
    except UploadTooLarge as error:
        raise ApiError(413, error.violation.code, error.violation.message, error.violation.field) from error


def receive_api_upload(request, limit: int, *, field: str = "file", watch=None):
    """The uploaded file of a multipart body, streamed to disk and hashed; 413 past ``limit`` bytes,
    422 when the body is not multipart or has no such field. Call only after ``reject_oversized``."""
    if not request.content_type.startswith("multipart/form-data"):
        raise RuleViolationError.single(
            "file.required", f"请以 multipart/form-data 上传文件，文件字段名为 {field}", field
        )
    method = request.method
    request.method = "POST"  # Django parses a multipart body for POST only; PUT /essay takes one too
    try:
        with answering_413():
            upload = receive_upload(request, limit=limit, field=field, watch=watch)
    finally:
        request.method = method
    if upload is None:
        raise RuleViolationError.single("file.required", f"请求中没有文件：请在字段 {field} 中上传文件", field)
    return upload
