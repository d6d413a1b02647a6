"""The roles of the platform's accounts: the ground of every permission (core.predicates), so they live in core
and every app may ask them. An account's role is stored on ``accounts.User``."""

from django.db import models


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "团市委管理员"
    UNIT_ADMIN = "unit_admin", "归口单位管理员"
    COLLECTIVE = "collective", "集体号长"
    JUDGE = "judge", "评委"
