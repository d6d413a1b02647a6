"""HTTP API v1 (docs/API.md): one NinjaAPI, one router per domain, served under /api/v1/.
The OpenAPI document is at /api/v1/openapi.json, the interactive docs at /api/v1/docs."""

from django.urls import path
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from . import (
    auth,
    campaigns,
    collectives,
    evaluation,
    ledger,
    notices,
    orgs,
    projects,
    reviews_decisions,
    reviews_summary,
    stories,
    works,
)
from .errors import NulRefusingParser, install_error_handlers
from .public_feedback import router as public_feedback_router
from .public_posts import router as public_posts_router
from .public_showcase import router as public_showcase_router
from .schemas import declare_malformed_input


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 Chinese as is, not as \\u escapes: the answers stay readable in logs and terminals."""

    json_dumps_params = {"ensure_ascii": False}


class PlatformAPI(NinjaAPI):
    """The OpenAPI document also lists the 422 of malformed input (schemas.declare_malformed_input)."""

    def get_openapi_schema(self, **kwargs):
        return declare_malformed_input(super().get_openapi_schema(**kwargs))


api = PlatformAPI(
    title="青年文明号创建工作平台接口",
    version="1",
    description=(
        "JSON 接口。先用 POST /api/v1/auth/token 获取令牌，再在请求头中携带 `Authorization: Bearer <令牌>`。"
        "错误一律为 `{\"errors\": [{\"code\", \"message\", \"field\"}]}`：401 未登录，403 可见但无权操作，"
        "404 不存在或无权查看（两者不加区分），422 不符合规则（一次列出全部问题），429 登录失败过多。"
        "列表返回 `{\"items\": [...], \"count\": N}`，参数 `page`（从1开始）和 `page_size`（默认50，超过200按200计）。"
        "时间为北京时间（+08:00）。"
    ),
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
    renderer=ReadableJSONRenderer(),
    parser=NulRefusingParser(),
    auth=[auth.BearerTokenAuth(), auth.SessionCookieAuth()],
)
install_error_handlers(api)
api.add_router("", auth.router)
api.add_router("", orgs.router)
api.add_router("", collectives.router)
api.add_router("", campaigns.router)
api.add_router("", works.router)
api.add_router("", reviews_decisions.router)
api.add_router("", reviews_summary.router)
api.add_router("", ledger.router)
api.add_router("", evaluation.router)
api.add_router("", notices.router)
api.add_router("", stories.router)
api.add_router("", projects.router)
api.add_router("", public_showcase_router)
api.add_router("", public_posts_router)
api.add_router("", public_feedback_router)

urlpatterns = [path("", api.urls)]
