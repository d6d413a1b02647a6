from django.contrib import admin
from django.urls import include, path

from wenminghao.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # the load balancer's probe (core/health.py)
    path("admin/", admin.site.urls),  # read-only, superusers only (core/admin.py)
    path("", include("wenminghao.workbench.urls")),
    path("", include("wenminghao.core.urls")),
    path("accounts/", include("wenminghao.accounts.urls")),
    path("units/", include("wenminghao.orgs.urls")),
    path("collectives/", include("wenminghao.collectives.urls")),
    path("campaigns/", include("wenminghao.campaigns.urls")),
    path("works/", include("wenminghao.works.urls")),
    path("reviews/", include("wenminghao.reviews.urls")),
    path("ledger/", include("wenminghao.ledger.urls")),
    path("notices/", include("wenminghao.notices.urls")),
    path("stories/", include("wenminghao.stories.urls")),
    path("projects/", include("wenminghao.projects.urls")),
    path("evaluation/", include("wenminghao.evaluation.urls")),
    path("api/v1/", include("wenminghao.api.urls")),
    path("", include("wenminghao.public.urls")),
]
