class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: a strict Content-Security-Policy and a
    Permissions-Policy. Scripts come only from our own static files: no inline script, no on*= attribute,
    no ``javascript:`` URL and no eval (Alpine runs as its CSP build, htmx with ``allowEval`` off); server
    values reach scripts as data attributes or ``json_script``. docs/deployment.md explains each source."""

    DIRECTIVES = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data: blob:",
        "media-src": "'self' blob:",
        "connect-src": "'self'",
        "font-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    CSP = "; ".join(f"{name} {sources}" for name, sources in DIRECTIVES.items())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
