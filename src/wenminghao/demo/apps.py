from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Weihai demonstration data (``manage.py load_demo_data``), made through every app's services: the top
    floor, which may import any app and which none imports."""

    name = "wenminghao.demo"
    verbose_name = "演示数据"
