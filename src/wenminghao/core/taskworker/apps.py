from django.apps import AppConfig


class TaskWorkerConfig(AppConfig):
    name = "wenminghao.core.taskworker"
    label = "core_taskworker"
    verbose_name = "后台任务进程"
