from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "wenminghao.reviews"
    label = "reviews"
    verbose_name = "评审与报送"

    def ready(self):
        from wenminghao.works.selectors import register_judged_file_access  # the app registry is ready only now

        from .selectors import judge_may_see_work

        register_judged_file_access(judge_may_see_work)
