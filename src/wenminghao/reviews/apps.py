from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "wenminghao.reviews"
    label = "reviews"
    verbose_name = "评审与报送"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from wenminghao.works.selectors import register_judged_file_access
        from wenminghao.works.transitions import register_guard

        from .selectors import judge_may_see_work, report_freeze

        register_judged_file_access(judge_may_see_work)
        register_guard("frozen_by_report", report_freeze)
