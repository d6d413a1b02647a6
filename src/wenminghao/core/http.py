from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, which wsgi.py sets from X-Forwarded-For only when the request came
    through one of the reverse proxies named in WMH_TRUSTED_PROXIES. Nothing else a client sends is believed."""
    return request.META.get("REMOTE_ADDR") or None


def get_visible_or_404(queryset, **lookup):
    """Fetch one object through a permission-aware selector's queryset: invisible answers 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as error:
        raise Http404("未找到该内容，或您无权查看。") from error


def paginate(request, queryset, per_page: int = 50) -> dict:
    """Page a queryset in the database; returns context for partials/pagination.html."""
    paginator = Paginator(queryset, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return {
        "page_obj": page_obj,
        "object_list": page_obj.object_list,
        "querystring_without_page": urlencode(list(params.lists()), doseq=True),
    }


def is_htmx(request) -> bool:
    """An htmx request (it wants a fragment of the page, not the whole page)."""
    return request.headers.get("HX-Request") == "true"


def safe_next(request, fallback: str, *, field: str = "next") -> str:
    """Where to go after a form: the submitted ``next`` (POST, then GET) when it is an address of this site,
    else ``fallback`` (never an open redirect to another site)."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
