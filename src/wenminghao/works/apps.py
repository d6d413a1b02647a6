from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "wenminghao.works"
    label = "works"
    verbose_name = "成果作品"
