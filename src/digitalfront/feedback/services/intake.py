"""Receiving a case from a citizen (web form, REST API, Open311), checked at the edge and committed
before anyone is told it was received.

``prepare`` turns raw input into a :class:`Submission` or raises :class:`ValidationFailed` with a
Vietnamese message; ``submit`` writes one; ``submit_many`` writes several in one transaction. The
batching writer of ``feedback.intake_batch`` commits many requests with one fsync: each request's thread
makes its case with :func:`build`, the writer writes the batch with :func:`write_many`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from digitalfront.core import crypto, writelock
from digitalfront.core.bulk import create_objects, create_pairs, new_object
from digitalfront.core.errors import ValidationFailed
from digitalfront.core.text import has_bad_chars, nfc
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from .. import clocks
from ..attachments import CleanFile
from ..identity import Identity, contact_hash, keyed_hash, normalise_phone, seal, seal_text
from ..models import Attachment, Case, CaseEvent, Channel, Kind, Level, SenderBan, Topic

logger = logging.getLogger(__name__)

TITLE_MAX = 200
CONTENT_MIN = 10
CONTENT_MAX = 10_000
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O, U


@dataclass
class Submission:
    """A checked case, ready to be written."""

    kind: str
    title: str
    content: str
    province: Unit
    commune: Unit | None
    level: str
    unit: Unit
    identity: Identity
    anonymous: bool
    citizen: Any = None
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    consent_publish: bool = False
    show_name: bool = False
    wants_email: bool = False
    wants_sms: bool = False
    topic: Topic | None = None
    channel: str = Channel.WEB
    device_id: str = ""
    files: list[CleanFile] = field(default_factory=list)
    kind_note: str = ""


@dataclass(frozen=True)
class Receipt:
    """What the sender gets back: the tracking code and the secret of the private link."""

    case: Case
    token: str

    @property
    def code(self) -> str:
        return self.case.code


# --- units, cached per process: they change a few times a year, intake runs thousands of times a minute.
# The 3,355 units above the villages are read in one query and kept for _UNIT_TTL seconds.
_UNITS: dict[str, Any] = {}
_UNIT_TTL = 300.0


def _unit_index() -> dict[str, Unit]:
    loaded = _UNITS.get("at")
    if loaded is None or time.monotonic() - loaded > _UNIT_TTL:
        index: dict[str, Unit] = {}
        levels = [UnitLevel.CENTRAL, UnitLevel.PROVINCE, UnitLevel.COMMUNE]
        for unit in Unit.objects.filter(level__in=levels, valid_to__isnull=True).only(
                "pk", "code", "name", "level", "parent_id", "path", "depth", "valid_to"):
            index[f"id:{unit.pk}"] = unit
            index[f"code:{unit.code}"] = unit
        _UNITS["index"], _UNITS["at"] = index, time.monotonic()
    units: dict[str, Unit] = _UNITS["index"]
    return units


def _unit(key: str, value: Any) -> Unit | None:
    return _unit_index().get(f"{key}:{str(value).strip()[:32]}")


def _find_unit(value: Any, level: str, label: str, field_name: str) -> Unit:
    if value in (None, ""):
        raise ValidationFailed(f"Hãy chọn {label}.", field=field_name, code="required")
    unit = _unit("id", value) if str(value).isdigit() and len(str(value)) < 10 else None
    if unit is None or unit.level != level:
        unit = _unit("code", value)
    if unit is None or unit.level != level:
        raise ValidationFailed(f"Không tìm thấy {label} đã chọn.", field=field_name, code="unknown_unit")
    return unit


_ROOT: list[Unit] = []


def _root() -> Unit:
    if not _ROOT:
        root = Unit.objects.filter(level=UnitLevel.CENTRAL).first()
        if root is None:
            raise ValidationFailed("Hệ thống chưa có danh mục đơn vị.", code="no_units")
        _ROOT.append(root)
    return _ROOT[0]


def _text(value: Any, field_name: str, label: str, *, maximum: int, minimum: int = 0, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationFailed(f"{label} phải là văn bản.", field=field_name, code="type")
    if has_bad_chars(value):
        raise ValidationFailed(
            f"{label} có ký tự không đọc được: hãy gửi văn bản mã hoá UTF-8.", field=field_name, code="encoding"
        )
    text = nfc(value) if field_name != "content" else "\n".join(nfc(line) for line in value.strip().splitlines())
    if required and not text:
        raise ValidationFailed(f"Hãy nhập {label.lower()}.", field=field_name, code="required")
    if len(text) > maximum:
        raise ValidationFailed(
            f"{label} dài quá {maximum:,} ký tự.".replace(",", "."), field=field_name, code="too_long"
        )
    if text and len(text) < minimum:
        raise ValidationFailed(
            f"{label} quá ngắn: hãy viết ít nhất {minimum} ký tự.", field=field_name, code="too_short"
        )
    return text


def _coordinate(value: Any, field_name: str, low: int, high: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("Toạ độ không hợp lệ.", field=field_name, code="coordinate") from None
    if not low <= number <= high:
        raise ValidationFailed("Toạ độ nằm ngoài giới hạn cho phép.", field=field_name, code="coordinate")
    return number


# the choices' values (``Kind.values`` builds a new list at each call)
_KINDS, _LEVELS = frozenset(Kind.values), frozenset(Level.values)


def prepare(
    *,
    kind: Any = Kind.FEEDBACK,
    title: Any = "",
    content: Any,
    province: Any,
    commune: Any = None,
    level: Any = Level.COMMUNE,
    address: Any = "",
    latitude: Any = None,
    longitude: Any = None,
    name: Any = "",
    phone: Any = "",
    email: Any = "",
    sender_address: Any = "",
    anonymous: bool = False,
    citizen: Any = None,
    consent_publish: bool = False,
    show_name: bool = False,
    topic: Any = None,
    channel: str = Channel.WEB,
    device_id: str = "",
    files: list[CleanFile] | None = None,
) -> Submission:
    """Check raw input and resolve its units; raise :class:`ValidationFailed` on the first problem."""
    if kind not in _KINDS:
        raise ValidationFailed("Loại phản ánh không hợp lệ.", field="kind", code="kind")
    if level not in _LEVELS:
        raise ValidationFailed("Cấp nhận phản ánh không hợp lệ.", field="level", code="level")
    body = _text(content, "content", "Nội dung", maximum=CONTENT_MAX, minimum=CONTENT_MIN)
    heading = _text(title, "title", "Tiêu đề", maximum=TITLE_MAX, required=False)
    if not heading:
        first_line = body.splitlines()[0]
        heading = first_line if len(first_line) <= 80 else first_line[:79].rsplit(" ", 1)[0] + "…"
    province_unit = _find_unit(province, UnitLevel.PROVINCE, "tỉnh, thành phố", "province")
    commune_unit = None
    if commune not in (None, ""):
        commune_unit = _find_unit(commune, UnitLevel.COMMUNE, "xã, phường", "commune")
        if commune_unit.parent_id != province_unit.pk:
            raise ValidationFailed(
                "Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn.", field="commune", code="commune_province"
            )
    if level == Level.COMMUNE and commune_unit is None:
        raise ValidationFailed("Hãy chọn xã, phường (hoặc gửi lên cấp tỉnh).", field="commune", code="required")
    unit = {Level.COMMUNE: commune_unit, Level.PROVINCE: province_unit}.get(level) or _root()
    identity = Identity(
        name=_text(name, "name", "Họ tên", maximum=120, required=False),
        phone=normalise_phone(_text(phone, "phone", "Số điện thoại", maximum=20, required=False)),
        email=_text(email, "email", "Thư điện tử", maximum=254, required=False).lower(),
        address=_text(sender_address, "sender_address", "Địa chỉ người gửi", maximum=300, required=False),
    )
    if identity.phone and not 9 <= len(identity.phone) <= 12:
        raise ValidationFailed("Số điện thoại không hợp lệ.", field="phone", code="phone")
    if identity.email and ("@" not in identity.email or " " in identity.email):
        raise ValidationFailed("Địa chỉ thư điện tử không hợp lệ.", field="email", code="email")
    anonymous = bool(anonymous) or (identity.empty and citizen is None)
    kind_note = ""
    if anonymous:
        identity = Identity()
        if kind != Kind.FEEDBACK:
            # the law (Law on Denunciations art. 25) handles anonymous content as feedback, never as a denunciation
            kind_note = f"Gửi ẩn danh nên được tiếp nhận như phản ánh (không xử lý như {Kind(kind).label.lower()})."
            kind = Kind.FEEDBACK
    elif kind in (Kind.COMPLAINT, Kind.DENUNCIATION) and (
        not identity.name or not (identity.phone or identity.email or identity.address)
    ):
        raise ValidationFailed(
            f"{Kind(kind).label} cần họ tên và địa chỉ hoặc số điện thoại của người gửi. "
            "Nếu muốn ẩn danh, hãy chọn “Gửi ẩn danh”: nội dung sẽ được tiếp nhận như phản ánh.",
            field="name",
            code="identity_required",
        )
    topic_obj = None
    if topic not in (None, ""):
        topic_obj = Topic.objects.filter(code=str(topic)[:40], active=True).first()
        if topic_obj is None:
            raise ValidationFailed("Lĩnh vực không hợp lệ.", field="topic", code="topic")
    return Submission(
        kind=kind,
        title=heading,
        content=body,
        province=province_unit,
        commune=commune_unit,
        level=level,
        unit=unit,
        identity=identity,
        anonymous=anonymous,
        citizen=citizen,
        address=_text(address, "address", "Địa điểm", maximum=300, required=False),
        latitude=_coordinate(latitude, "latitude", -90, 90),
        longitude=_coordinate(longitude, "longitude", -180, 180),
        consent_publish=bool(consent_publish) and kind != Kind.DENUNCIATION,
        show_name=bool(show_name) and not anonymous and kind != Kind.DENUNCIATION,
        wants_email=bool(identity.email),
        wants_sms=bool(identity.phone),
        topic=topic_obj,
        channel=channel,
        device_id=str(device_id or "")[:100],
        files=list(files or []),
        kind_note=kind_note,
    )


def new_code() -> str:
    """A tracking code such as ``PA-7K3M-9QX2``: 40 random bits, easy to read out on the phone."""
    bits = int.from_bytes(crypto.random_bytes(5))  # 40 bits: eight characters of five bits
    raw = "".join(CODE_ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"PA-{raw[:4]}-{raw[4:]}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


BAN_REFRESH_SECONDS = 2.0
_BANS: dict[str, Any] = {}


def _active_bans() -> frozenset[str]:
    """The keys of every active ban, read again every :data:`BAN_REFRESH_SECONDS` (bans are a few hundred
    rows that change a few times a day; asking the database for every batch was one more round trip
    each). A ban made in this process is seen at once (:func:`forget_bans`); one made elsewhere within two
    seconds, and the follow-up task checks each new case against the bans again (``tasks``)."""
    loaded = _BANS.get("at")
    if loaded is None or time.monotonic() - loaded > BAN_REFRESH_SECONDS:
        keys = frozenset(SenderBan.objects.filter(active=True).values_list("key_hash", flat=True))
        _BANS["keys"], _BANS["at"] = keys, time.monotonic()
    bans: frozenset[str] = _BANS["keys"]
    return bans


def forget_bans() -> None:
    _BANS.clear()


def _banned_keys(built: list[Built]) -> set[str]:
    keys: set[str] = set()
    for item in built:
        keys |= item.sender_keys
    keys.discard("")
    return keys & _active_bans() if keys else set()


def sender_keys_of(case: Case) -> set[str]:
    """The keys a ban of the sender of ``case`` may be under (contact, device, account)."""
    keys = {case.contact_hash, case.device_hash}
    if case.citizen_id is not None:
        keys.add(keyed_hash("account", str(case.citizen_id)))
    keys.discard("")
    return keys


def _sender_keys(sub: Submission, contact: str, device: str) -> set[str]:
    keys = {contact, device}
    if sub.citizen is not None:
        keys.add(keyed_hash("account", str(sub.citizen.pk)))
    return keys


@dataclass
class Built:
    """A submission made into its case (code, secret link, sealed identity, deadline), not yet written.
    Built in the request's own thread, so that the writer of a batch (``intake_batch``) only writes."""

    case: Case
    token: str
    sender_keys: set[str]
    kind_note: str = ""
    channel: str = Channel.WEB
    files: list[CleanFile] = field(default_factory=list)


def build(sub: Submission, now: dt.datetime | None = None) -> Built:
    token = crypto.token_urlsafe(24)  # core.crypto: random bytes without a pause for the GIL
    contact, device = contact_hash(sub.identity), keyed_hash("device", sub.device_id)
    case = new_object(
        Case,
        code=new_code(),
        access_hash=token_hash(token),
        link_sealed=seal_text(token),
        intake_token=crypto.uuid4(),
        kind=sub.kind,
        channel=sub.channel,
        title=sub.title,
        content=sub.content,
        level=sub.level,
        province=sub.province,
        commune=sub.commune,
        address=sub.address,
        latitude=sub.latitude,
        longitude=sub.longitude,
        unit=sub.unit,
        unit_path=sub.unit.path,
        citizen=sub.citizen,
        anonymous=sub.anonymous,
        identity_sealed=seal(sub.identity),
        contact_hash=contact,
        device_hash=device,
        wants_email=sub.wants_email,
        wants_sms=sub.wants_sms,
        topic=sub.topic,
        consent_publish=sub.consent_publish,
        show_name=sub.show_name,
        received_at=now or timezone.now(),
    )
    case.accept_due_at = clocks.accept_deadline(case)
    case.due_at = case.accept_due_at
    return Built(case=case, token=token, sender_keys=_sender_keys(sub, contact, device), kind_note=sub.kind_note,
                 channel=sub.channel, files=sub.files)


def submit_many(subs: list[Submission]) -> list[Receipt]:
    """Write ``subs`` in one transaction: every case, its first timeline entry and its files.

    Nothing is acknowledged before this returns, i.e. after the commit.
    """
    now = timezone.now()
    return write_many([build(sub, now) for sub in subs])


def write_many(built: list[Built]) -> list[Receipt]:
    """Write cases already built (:func:`build`) in one transaction; senders banned by then are kept but
    hidden and not forwarded. A tracking code that collides is drawn again (three tries)."""
    banned = _banned_keys(built)
    for item in built:
        is_banned = bool(item.sender_keys & banned)
        item.case.hidden = item.case.from_banned_sender = is_banned
        item.case.hidden_reason = "banned" if is_banned else ""
    for attempt in range(3):
        for item in built:  # new rows (again, after a failed batch or a collision)
            item.case.pk = None
            item.case._state.adding = True
            if attempt:
                item.case.code = new_code()
        stored: list[str] = []
        try:
            if connection.vendor == "postgresql" and not any(item.files for item in built):
                _write_pairs(built)
            else:
                with writelock.turn(), transaction.atomic():
                    _write_cases(built, stored)
                    _follow_up(built)  # the task's row, if any, commits with the cases
        except IntegrityError:
            _remove_files(stored)
            codes = [item.case.code for item in built]
            if len(set(codes)) == len(codes) and not Case.objects.filter(code__in=codes).exists():
                raise
            continue  # a tracking code collided: draw new ones
        except BaseException:
            _remove_files(stored)
            raise
        return [Receipt(case=item.case, token=item.token) for item in built]
    raise ValidationFailed("Không tạo được mã theo dõi, hãy thử lại.", code="code_collision")


def _write_pairs(built: list[Built]) -> None:
    """PostgreSQL, no files: the cases and their first entries in one statement (``create_pairs``). Outside
    a transaction that statement is its own transaction, so the batch costs one round trip to the database
    instead of four (BEGIN, INSERT, COMMIT and the follow-up task's row): the writer thread waits for the
    GIL after every round trip while the request threads run, so round trips, not bytes, set its pace.

    The follow-up is enqueued after the commit and must not fail the batch (its cases are written: a
    retry would write them twice); if it cannot be enqueued, the scheduler's sweep follows them up."""
    create_pairs([item.case for item in built], [_received(item) for item in built], link="case", match="code")
    try:
        _follow_up(built)
    except Exception:
        if connection.in_atomic_block:
            raise  # inside a caller's transaction nothing is committed yet: the caller decides
        logger.warning("follow-up of %d new cases not enqueued; the scheduler's sweep will", len(built),
                       exc_info=True)


def _follow_up(built: list[Built]) -> None:
    """Have the new cases followed up: the task for every case waiting (tasks in this database), or a task
    naming these cases after the commit (any other backend)."""
    if _tasks_in_database():
        _follow_up_soon()
    else:
        transaction.on_commit(partial(_after_intake, [item.case.pk for item in built]))


def _received(item: Built) -> CaseEvent:
    """The first entry of a case's timeline."""
    event: CaseEvent = new_object(
        CaseEvent,
        case=item.case,
        at=item.case.received_at,
        action="received",
        unit_id=item.case.unit_id,
        to_status=item.case.status,
        public_note="Đã tiếp nhận phản ánh.",
        note=item.kind_note,
        data={"channel": item.channel},
    )
    return event


def _write_cases(built: list[Built], stored: list[str]) -> None:
    """The cases, their first entries and their files (the names of files saved go into ``stored``)."""
    cases = create_objects([item.case for item in built])
    if any(case.pk is None for case in cases):  # databases without RETURNING
        by_code = dict(Case.objects.filter(code__in=[c.code for c in cases]).values_list("code", "pk"))
        for case in cases:
            case.pk = by_code[case.code]
    events = []
    for item in built:
        events.append(_received(item))
        for clean in item.files:
            attachment = Attachment(
                case=item.case,
                original_name=clean.original_name,
                content_type=clean.content_type,
                kind=clean.kind,
                size=clean.size,
                sha256=clean.sha256,
            )
            attachment.file.save(clean.name, ContentFile(clean.content), save=False)
            stored.append(str(attachment.file.name))
            attachment.save()
    create_objects(events)


def submit(sub: Submission) -> Receipt:
    """Write one case (see :func:`submit_many`)."""
    # the "received" timeline entry is the record of a submission: no separate audit row per case
    return submit_many([sub])[0]


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _tasks_in_database() -> bool:
    """Whether tasks are rows of this database (``django_tasks_db``): then the follow-up is a task for
    every case waiting (:func:`_follow_up_soon`) enqueued with the cases: inside the intake's transaction,
    or right after the one statement of :func:`_write_pairs` (the task runs a second later and takes up
    whatever is waiting, so it needs no atomicity with the cases). Any other backend (one that runs tasks
    at once, or elsewhere) gets a task naming the new cases after the commit."""
    from django.tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


FOLLOW_UP_SECONDS = 1.0
_next_follow_up = [0.0]  # per process: when the intake enqueues the next follow-up task


def _follow_up_soon() -> None:
    """At most one follow-up task per :data:`FOLLOW_UP_SECONDS` per process, to run at the end of that
    time: it takes up every case waiting by then (``process_new_cases`` without ids), so the cases of all
    the batches written meanwhile are followed up within about a second, for one task row instead of one
    per batch (enqueuing costs more than writing a batch's cases). A batch that commits after the task
    has run waits for the next one, or for the scheduler's sweep (every minute). No lock: two threads
    writing at once (batching off) enqueue two tasks at worst, and the claim keeps them from following up
    a case twice."""
    from ..tasks import process_new_cases

    now = time.monotonic()
    if now < _next_follow_up[0]:
        return
    run_after = timezone.now() + dt.timedelta(seconds=FOLLOW_UP_SECONDS)
    process_new_cases.using(run_after=run_after).enqueue()
    transaction.on_commit(partial(_next_follow_up.__setitem__, 0, now + FOLLOW_UP_SECONDS))


def _after_intake(ids: list[int]) -> None:
    from ..tasks import process_new_cases

    process_new_cases.enqueue(ids)
