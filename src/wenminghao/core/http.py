from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import NotPermitted


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, which wsgi.py sets from X-Forwarded-For only when the request came
    through one of the reverse proxies named in WMH_TRUSTED_PROXIES. Nothing else a client sends is believed."""
    return request.META.get("REMOTE_ADDR") or None


NOT_VISIBLE = "未找到该内容，或您无权查看。"


def int_or_none(value) -> int | None:
    """An id or number as a request (or a job's parameters) gave it: the integer, or None for anything else."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def get_visible_or_404(queryset, **lookup):
    """Fetch one object through a permission-aware selector's queryset: invisible answers 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as error:
        raise Http404(NOT_VISIBLE) from error


def get_object_for(user, queryset, pk, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    """The one way a page or an endpoint fetches an object for a user: through the app's permission-aware selector
    (``queryset``: what this user may see), 404 when it is not there or invisible (no leaking of existence), then
    the named ``rules`` permission on it, 403 (NotPermitted, with ``denied``) when the user may see it but not do
    this. Apps wrap it as ``get_<object>_for(user, pk, perm=None)`` in their selectors."""
    obj = get_visible_or_404(queryset, pk=pk)
    require_perm(user, perm, obj, denied=denied)
    return obj


def require_perm(user, perm: str | None, obj=None, *, denied: str = "您没有权限执行此操作。") -> None:
    """403 (NotPermitted, with ``denied``) unless ``user`` has the named ``rules`` permission (on ``obj``)."""
    if perm is not None and not user.has_perm(perm, obj):
        raise NotPermitted(denied)


def querystring_without(params, *names: str, **replace: str) -> str:
    """The query string of ``params`` (a QueryDict such as ``request.GET``) without the parameters ``names`` and
    with ``replace``'s values set: the base of a link that changes one filter or the page and keeps the others."""
    kept = params.copy()
    for name in names:
        kept.pop(name, None)
    for name, value in replace.items():
        kept[name] = value
    return urlencode(list(kept.lists()), doseq=True)


def paginate(request, queryset, per_page: int = 50, *, count: int | None = None) -> dict:
    """Page a queryset in the database; returns context for partials/pagination.html. ``count``: the number of rows,
    when the caller has counted them already (a tab's count): the paginator does not count them again."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: once set, it is not computed
    page_obj = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page_obj,
        "object_list": page_obj.object_list,
        "querystring_without_page": querystring_without(request.GET, "page"),
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
