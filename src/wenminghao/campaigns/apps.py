from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenminghao.campaigns"
    label = "campaigns"
    verbose_name = "创建活动"
