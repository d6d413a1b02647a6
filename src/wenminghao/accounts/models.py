from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models

from wenminghao.core.roles import Role

mobile_validator = RegexValidator(r"^1\d{10}$", "请输入11位手机号码，例如13800000000。")


class User(AbstractUser):
    """A person who signs in. What they see follows from ``role`` and from the unit or collective
    they belong to: an admin sees the subtree of ``unit``; a collective account sees ``collective``."""

    role = models.CharField("角色", max_length=16, choices=Role.choices)
    display_name = models.CharField("姓名", max_length=64, blank=True)
    mobile = models.CharField(
        "手机号", max_length=11, unique=True, null=True, blank=True, validators=[mobile_validator]
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="accounts",
    )
    collective = models.ForeignKey(
        "collectives.Collective", verbose_name="所属集体", null=True, blank=True, on_delete=models.CASCADE,
        related_name="accounts",
    )
    is_delegate = models.BooleanField(
        "号长委托的成员账号", default=False, help_text="由号长委托、代为填报的集体成员账号。"
    )
    must_change_password = models.BooleanField(
        "须修改密码", default=False,
        help_text="由管理员创建或重置密码的账号，登录后须先修改密码才能使用其他页面（accounts/middleware.py）。",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "账号"
        verbose_name_plural = "账号"
        constraints = [
            models.CheckConstraint(
                name="user_collective_role_has_collective",
                condition=~models.Q(role="collective") | models.Q(collective__isnull=False),
            ),
            models.CheckConstraint(
                name="user_admin_role_has_unit",
                condition=~models.Q(role__in=["city_admin", "unit_admin"]) | models.Q(unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_admin(self) -> bool:
        return self.role in (Role.CITY_ADMIN, Role.UNIT_ADMIN)

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY_ADMIN

    @property
    def home_unit(self):
        """The unit this account sits in: its own unit, or its collective's unit."""
        if self.collective_id:
            return self.collective.unit
        return self.unit


class LoginFailure(models.Model):
    """A failed sign-in, kept for throttling. Stored in the database so several app servers agree."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    login = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "登录失败记录"
        verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.login} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} 的接口令牌"
