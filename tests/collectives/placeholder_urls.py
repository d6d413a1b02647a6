"""The root URLs plus placeholders for the navigation names other apps have not defined yet.

base.html links to pages other apps own (collectives:list, orgs:tree, ...). While those apps are
being built, rendering any page would fail with NoReverseMatch; this test-only urlconf adds an empty
page for each name still missing. Once every name exists it adds nothing.
"""

from importlib import import_module

from django.http import HttpResponse
from django.urls import include, path

NAV_NAMES = {
    "core": ["home", "audit"],
    "accounts": ["login", "logout", "password_change", "list"],
    "orgs": ["tree"],
    "collectives": ["list", "detail"],
    "campaigns": [],
    "api": [],
    "public": [],
}
NEEDS_PK = {"detail"}


def _placeholder(request, **kwargs):
    return HttpResponse("placeholder")


def _app(module_name: str, namespace: str):
    module = import_module(module_name)
    patterns = list(module.urlpatterns)
    existing = {getattr(pattern, "name", None) for pattern in patterns}
    for name in NAV_NAMES[namespace]:
        if name not in existing:
            route = f"__placeholder__/{name}/<int:pk>/" if name in NEEDS_PK else f"__placeholder__/{name}/"
            patterns.append(path(route, _placeholder, name=name))
    return include((patterns, namespace))


def missing_names() -> list[str]:
    missing = []
    for namespace, names in NAV_NAMES.items():
        module = import_module(f"wenminghao.{namespace}.urls")
        existing = {getattr(pattern, "name", None) for pattern in module.urlpatterns}
        missing += [f"{namespace}:{name}" for name in names if name not in existing]
    return missing


urlpatterns = [
    path("", _app("wenminghao.core.urls", "core")),
    path("accounts/", _app("wenminghao.accounts.urls", "accounts")),
    path("units/", _app("wenminghao.orgs.urls", "orgs")),
    path("collectives/", _app("wenminghao.collectives.urls", "collectives")),
    path("campaigns/", _app("wenminghao.campaigns.urls", "campaigns")),
    path("api/v1/", _app("wenminghao.api.urls", "api")),
    path("", _app("wenminghao.public.urls", "public")),
]
