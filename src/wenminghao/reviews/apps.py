from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "wenminghao.reviews"
    label = "reviews"
    verbose_name = "评审与报送"
