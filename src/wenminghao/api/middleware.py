from django.http import JsonResponse

API_PREFIX = "/api/v1/"

MESSAGES = {
    404: ("not_found", "未找到该内容，或您无权查看。"),
    405: ("method_not_allowed", "该地址不支持此请求方法（{method}），请查阅接口文档 /api/v1/docs。"),
}


class ApiErrorShapeMiddleware:
    """Answers under /api/v1/ that Django or django-ninja make outside the API's handlers (an unknown
    address: 404; a wrong method: 405) get the API's error shape, like every other error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code in MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = MESSAGES[response.status_code]
            body = {"errors": [{"code": code, "message": message.format(method=request.method), "field": None}]}
            replacement = JsonResponse(body, status=response.status_code, json_dumps_params={"ensure_ascii": False})
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response
