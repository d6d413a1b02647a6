from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "wenminghao.stories"
    label = "stories"
    verbose_name = "好做法与典型事迹"
