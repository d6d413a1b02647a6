from django.db import models


class ProjectKind(models.TextChoices):
    PROJECT = "project", "项目联创"
    REGIONAL = "regional", "区域联创"
