from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "wenminghao.evaluation"
    label = "evaluation"
    verbose_name = "评价与命名"
