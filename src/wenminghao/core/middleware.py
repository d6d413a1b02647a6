class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a strict Content-Security-Policy and a
    Permissions-Policy. Scripts and styles come only from our own static files."""

    CSP = (
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
        "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-eval'; "
        "connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
