from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "wenminghao.api"
    label = "api"
    verbose_name = "接口"
