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
    # the library
    "library.document.create": "Thêm tài liệu vào thư viện",
    "library.document.version": "Thêm phiên bản mới của tài liệu",
    "library.document.update": "Sửa thông tin tài liệu",
    "library.document.delete": "Xóa tài liệu khỏi thư viện",
    "library.group.create": "Thêm nhóm tài liệu",
    "library.group.update": "Sửa nhóm tài liệu",
    "library.synonym.create": "Thêm từ đồng nghĩa, viết tắt",
    "library.synonym.update": "Sửa từ đồng nghĩa, viết tắt",
    # congresses
    "congress.plan": "Ghi kế hoạch đại hội",
    "congress.update": "Cập nhật thông tin đại hội",
    "congress.status": "Đổi tình trạng đại hội",
    "congress.confirm": "Xác nhận kết quả đại hội",
    "congress.return": "Trả lại kết quả đại hội để sửa",
    "congress.news": "Đăng tin đại hội",
    # the virtual assistant
    "assistant.knowledge.create": "Thêm kiến thức nghiệp vụ cho trợ lý ảo",
    "assistant.knowledge.update": "Sửa kiến thức nghiệp vụ của trợ lý ảo",
    "assistant.knowledge.archive": "Ngừng dùng kiến thức nghiệp vụ",
    "assistant.knowledge.restore": "Dùng lại kiến thức nghiệp vụ",
    "assistant.curate": "Biên soạn câu trả lời cho câu hỏi gửi trợ lý ảo",
    "assistant.dismiss": "Bỏ qua câu hỏi trong hàng đợi của trợ lý ảo",
    # feedback: audit actions (feedback.*) and the steps of a case's timeline
    "feedback.accept": "Thụ lý phản ánh",
    "feedback.refuse": "Không thụ lý phản ánh",
    "feedback.start": "Bắt đầu giải quyết phản ánh",
    "feedback.forward": "Chuyển phản ánh tới cơ quan có thẩm quyền",
    "feedback.authority_answer": "Ghi trả lời của cơ quan có thẩm quyền",
    "feedback.answer": "Trả lời phản ánh",
    "feedback.close": "Đóng phản ánh",
    "feedback.auto_close": "Tự động đóng phản ánh",
    "feedback.reopen": "Mở lại phản ánh",
    "feedback.merge": "Gộp phản ánh trùng",
    "feedback.transfer": "Chuyển phản ánh sang đơn vị khác",
    "feedback.escalate": "Chuyển phản ánh lên cấp trên",
    "feedback.extend": "Gia hạn giải quyết phản ánh",
    "feedback.publish": "Công khai phản ánh",
    "feedback.unpublish": "Thôi công khai phản ánh",
    "feedback.reveal_identity": "Xem danh tính người tố cáo",
    "feedback.ban_sender": "Chặn người gửi phản ánh",
    "feedback.review_abuse": "Xem xét báo cáo vi phạm",
    "feedback.export": "Xuất Excel phản ánh",
    "feedback.retrain": "Huấn luyện lại mô hình phân loại",
    "feedback.api_key.create": "Cấp khoá API Open311",
    "feedback.api_key.revoke": "Thu hồi khoá API Open311",
    "feedback.authority_create": "Thêm cơ quan có thẩm quyền",
    "feedback.authority_update": "Sửa cơ quan có thẩm quyền",
    "feedback.authority_deactivate": "Ngừng dùng cơ quan có thẩm quyền",
    "feedback.authority_account_create": "Tạo tài khoản cơ quan có thẩm quyền",
    "feedback.authority_account_attach": "Gắn tài khoản vào cơ quan có thẩm quyền",
    "feedback.authority_account_detach": "Gỡ tài khoản khỏi cơ quan có thẩm quyền",
    "feedback.template_create": "Thêm mẫu trả lời",
    "feedback.template_update": "Sửa mẫu trả lời",
    "feedback.template_delete": "Xoá mẫu trả lời",
    "received": "Tiếp nhận",
    "accept": "Thụ lý",
    "refuse": "Không thụ lý",
    "start": "Bắt đầu giải quyết",
    "forward": "Chuyển cơ quan có thẩm quyền",
    "authority_answer": "Cơ quan trả lời",
    "answer": "Trả lời người gửi",
    "close": "Đóng",
    "auto_close": "Tự động đóng",
    "reopen": "Người gửi mở lại",
    "merge": "Gộp vào phản ánh trùng",
    "merged_in": "Gộp thêm phản ánh trùng",
    "transfer": "Chuyển đơn vị",
    "escalate": "Chuyển lên cấp trên",
    "escalate_rule": "Quá hạn, báo cấp trên",
    "extend": "Gia hạn",
    "classify": "Xác nhận phân loại",
    "publish": "Công khai",
    "unpublish": "Thôi công khai",
    "reveal_identity": "Xem danh tính người gửi",
    "ban_sender": "Chặn người gửi",
    "hidden_abuse": "Tự động ẩn do bị báo cáo vi phạm",
    "review_abuse": "Xem xét báo cáo vi phạm",
    "alert_due_soon": "Cảnh báo sắp đến hạn",
    "alert_overdue": "Cảnh báo quá hạn",
    "note": "Ghi chú nội bộ",
    "rate": "Người gửi đánh giá",
}

OBJECT_TYPE_LABELS: dict[str, str] = {
    "feedback.case": "Phản ánh",
    "feedback.authority": "Cơ quan có thẩm quyền",
    "feedback.apikey": "Khoá API Open311",
    "feedback.answertemplate": "Mẫu trả lời",
    "ai.model": "Mô hình AI",
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
