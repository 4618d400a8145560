"""Vietnamese labels of the audit log: actions (``AuditEvent.action``) and object types.

Every action written anywhere in the code base (``audit.record(action=...)`` and the accounts
services' ``_event(action=...)``) has a label here; an unknown code is shown as itself.
"""

from digitalfront.core.text import fold

ACTION_LABELS: dict[str, str] = {
    # sign-in, sessions, accounts
    "login": "Đăng nhập",
    "login_failed": "Đăng nhập không thành công",
    "login_locked": "Tạm khóa đăng nhập",
    "logout": "Đăng xuất",
    "session_expired": "Hết phiên làm việc",
    "federated_login": "Đăng nhập qua VNeID",
    "registration_started": "Bắt đầu đăng ký tài khoản",
    "account_registered": "Đăng ký tài khoản",
    "account_disabled": "Vô hiệu hóa tài khoản",
    "sessions_ended": "Kết thúc các phiên làm việc",
    "staff_created": "Tạo tài khoản cán bộ",
    "staff_imported": "Nhập danh sách cán bộ",
    "role_added": "Thêm vai trò tại đơn vị",
    "role_removed": "Gỡ vai trò tại đơn vị",
    "password_changed": "Đổi mật khẩu",
    "password_reset_requested": "Yêu cầu đặt lại mật khẩu",
    "password_reset": "Đặt lại mật khẩu",
    "password_reset_by_admin": "Quản trị viên đặt lại mật khẩu",
    # two-factor sign-in
    "twofactor_enabled": "Bật xác thực hai bước",
    "twofactor_disabled": "Tắt xác thực hai bước",
    "twofactor_failed": "Mã xác thực hai bước sai",
    "backup_codes_generated": "Tạo mã dự phòng",
    "backup_code_used": "Dùng mã dự phòng",
    # OpenID Connect
    "token_issued": "Cấp mã truy cập",
    "token_revoked": "Thu hồi mã truy cập",
    "tokens_revoked": "Thu hồi các mã truy cập",
    "signing_key_rotated": "Thay khóa ký OIDC",
    "oidc.rotate_key": "Thay khóa ký OIDC",
    # units
    "unit.create": "Tạo đơn vị",
    "unit.merge": "Sáp nhập đơn vị",
    "unit.split": "Chia tách đơn vị",
    # periodic reports
    "report.create": "Tạo báo cáo",
    "report.update": "Cập nhật báo cáo",
    "report.submit": "Nộp báo cáo",
    "report.approve": "Duyệt báo cáo",
    "report.lock": "Khóa báo cáo",
    "report.reopen": "Mở lại báo cáo",
    # the audit log itself
    "audit_exported": "Xuất nhật ký thao tác",
}

OBJECT_TYPE_LABELS: dict[str, str] = {
    "accounts.user": "Tài khoản",
    "accounts.signingkey": "Khóa ký OIDC",
    "orgs.unit": "Đơn vị",
    "orgs.report": "Báo cáo",
    "core.auditevent": "Nhật ký thao tác",
}


def action_label(code: str) -> str:
    """The Vietnamese label of an action; an unknown code as itself."""
    return ACTION_LABELS.get(code, code)


def object_type_label(code: str) -> str:
    return OBJECT_TYPE_LABELS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    """``(code, label)`` for a select, sorted by label (Vietnamese letters after their base letter)."""
    return sorted(ACTION_LABELS.items(), key=lambda item: (fold(item[1]), item[0]))
