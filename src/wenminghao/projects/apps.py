from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "wenminghao.projects"
    label = "projects"
    verbose_name = "联创项目与互学互访"
