"""The WSGI application the server (granian) runs: Django, with the client's address taken from the trusted
reverse proxies (``WMH_TRUSTED_PROXIES``) and unread request bodies drained so kept-alive connections stay
usable, and the startup heap frozen out of the garbage collector's way (``core.wsgi``)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from granian.utils.proxies import wrap_wsgi_with_proxy_headers

from wenminghao.core.wsgi import freeze_startup_heap, keep_connections_usable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenminghao.settings")
application = keep_connections_usable(get_wsgi_application())
if settings.WMH_TRUSTED_PROXIES:
    # REMOTE_ADDR becomes the right-most address of X-Forwarded-For that is not one of our proxies, and only when
    # the request came from one of them: a client elsewhere cannot choose the address it is throttled under.
    application = wrap_wsgi_with_proxy_headers(application, trusted_hosts=list(settings.WMH_TRUSTED_PROXIES))
freeze_startup_heap()
