from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "wenminghao.orgs"
    label = "orgs"
    verbose_name = "组织"
