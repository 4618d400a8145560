"""Accounts: one user model for staff, citizens and competent authorities, and staff role assignments."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class AccountKind(models.TextChoices):
    STAFF = "staff", "Cán bộ Mặt trận"
    CITIZEN = "citizen", "Người dân"
    AUTHORITY = "authority", "Cơ quan có thẩm quyền"


class User(AbstractUser):
    """A person who signs in. What they may see comes from :class:`UnitRole`, never from ``kind`` alone."""

    full_name = models.CharField("họ và tên", max_length=150, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    kind = models.CharField("loại tài khoản", max_length=12, choices=AccountKind.choices, default=AccountKind.STAFF)

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class Role(models.TextChoices):
    VIEWER = "viewer", "Xem"
    DATA_ENTRY = "data_entry", "Nhập liệu"
    APPROVER = "approver", "Phê duyệt"
    UNIT_ADMIN = "unit_admin", "Quản trị đơn vị"


class UnitRole(models.Model):
    """A staff member's role at a unit; it applies to the unit's whole subtree (see ``core.scoping``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="unit_roles")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField("vai trò", max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unitrole_unique")]
        verbose_name = "vai trò tại đơn vị"
        verbose_name_plural = "vai trò tại đơn vị"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class SigningKey(models.Model):
    """An RSA private key (PEM) that signs ID tokens when no key is configured (see ``accounts.signing``).

    At most one key is active; inactive keys stay published in the JWKS so that tokens signed before a
    rotation can still be verified.
    """

    kid = models.CharField("mã khóa", max_length=64, unique=True)
    private_pem = models.TextField("khóa riêng (PEM)")
    active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="signingkey_one_active")
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = "khóa ký OIDC"
        verbose_name_plural = "khóa ký OIDC"

    def __str__(self) -> str:
        return f"{self.kid} ({'đang dùng' if self.active else 'đã thay'})"


class LoginAttempt(models.Model):
    """One password sign-in attempt on the login page, for lockouts shared by every web process.

    ``username`` is what was typed (lower-cased), whether or not such an account exists; never the
    password. Attempts refused because of a lock are not stored (they neither count nor extend it).
    """

    username = models.CharField("tên đăng nhập", max_length=150)
    ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    at = models.DateTimeField("lúc", db_index=True)
    ok = models.BooleanField("thành công", default=False)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="loginattempt_username_at"),
            models.Index(fields=["ip", "at"], name="loginattempt_ip_at"),
        ]
        verbose_name = "lần đăng nhập"
        verbose_name_plural = "lần đăng nhập"

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'sai'}"


class UserSession(models.Model):
    """A web session of a user, so that disabling the account can end all of them at once.

    Written at sign-in by the login view (and by ``accounts.middleware`` for sessions made otherwise).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="web_sessions")
    session_key = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phiên làm việc"
        verbose_name_plural = "phiên làm việc"

    def __str__(self) -> str:
        return f"{self.user} {self.created:%Y-%m-%d %H:%M}"
