from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The workbench (工作台): the page after sign-in, gathering what each app has for the person. A top-floor app:
    it reads from the domain apps' selectors, and no domain app imports it."""

    name = "wenminghao.workbench"
    verbose_name = "工作台"
