from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "wenminghao.works"
    label = "works"
    verbose_name = "成果作品"

    def ready(self):
        from wenminghao.core.workers import register_recovery

        from . import recovery

        register_recovery(recovery.requeue_lost_derivatives)  # derivatives a crash left unqueued (works/recovery.py)
