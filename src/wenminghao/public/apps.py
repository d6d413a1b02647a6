from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "wenminghao.public"
    label = "public"
    verbose_name = "公开页面"
