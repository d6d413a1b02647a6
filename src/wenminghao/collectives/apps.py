from django.apps import AppConfig


class CollectivesConfig(AppConfig):
    name = "wenminghao.collectives"
    label = "collectives"
    verbose_name = "集体"
