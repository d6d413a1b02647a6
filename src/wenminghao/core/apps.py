from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wenminghao.core"
    label = "core"
    verbose_name = "核心"
