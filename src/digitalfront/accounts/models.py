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
    # the 12-digit personal identification number (số định danh cá nhân) on the citizen ID card and in
    # VNeID; accounts signed in through VNeID are linked by it
    citizen_id = models.CharField("số định danh cá nhân", max_length=12, null=True, blank=True, unique=True)
    email_verified_at = models.DateTimeField("xác minh e-mail lúc", null=True, blank=True)
    phone_verified_at = models.DateTimeField("xác minh số điện thoại lúc", null=True, blank=True)
    # set when an administrator gives a temporary password: the next sign-in must choose a new one
    must_change_password = models.BooleanField("phải đổi mật khẩu", default=False)

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
    # the named role that may reveal a denouncer's identity (with a written reason, audited)
    IDENTITY = "identity", "Được xem danh tính người tố cáo"


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


class TOTPDevice(models.Model):
    """A user's authenticator app (TOTP, RFC 6238): see ``accounts.twofactor``.

    ``confirmed_at`` is empty until the user has typed a first valid code; ``last_step`` is the time step
    of the last accepted code, so that a code is never accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField("khóa bí mật", max_length=64)
    confirmed_at = models.DateTimeField("kích hoạt lúc", null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ứng dụng xác thực"
        verbose_name_plural = "ứng dụng xác thực"

    def __str__(self) -> str:
        return f"{self.user} ({'đã kích hoạt' if self.confirmed_at else 'chưa kích hoạt'})"


class BackupCode(models.Model):
    """A single-use recovery code for two-factor sign-in, stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="backup_codes")
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "mã dự phòng"
        verbose_name_plural = "mã dự phòng"

    def __str__(self) -> str:
        return f"{self.user} ({'đã dùng' if self.used_at else 'chưa dùng'})"


class CodePurpose(models.TextChoices):
    REGISTER = "register", "Đăng ký tài khoản"
    RESET = "reset", "Đặt lại mật khẩu"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "Tin nhắn SMS"


class OneTimeCode(models.Model):
    """A short code sent by e-mail or SMS to prove the person holds that address or number.

    Stored hashed; single use; expires; counts wrong attempts (``accounts.verification``).
    """

    purpose = models.CharField("mục đích", max_length=12, choices=CodePurpose.choices)
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    destination = models.CharField("gửi tới", max_length=254)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, related_name="one_time_codes")
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField("hết hạn lúc")
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["destination", "purpose", "created_at"], name="onetimecode_dest")]
        verbose_name = "mã xác minh"
        verbose_name_plural = "mã xác minh"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.destination}"


class FederatedIdentity(models.Model):
    """An account at an outside OpenID Connect provider (VNeID) linked to a local account."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="federated_identities")
    issuer = models.CharField("nhà cung cấp", max_length=255)
    subject = models.CharField("mã người dùng tại nhà cung cấp", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="federatedidentity_unique")]
        verbose_name = "tài khoản liên kết"
        verbose_name_plural = "tài khoản liên kết"

    def __str__(self) -> str:
        return f"{self.user} @ {self.issuer}"
