"""National demo data for the feedback module: a few thousand citizens' cases across every province,
at every stage of their handling, as the services would have left them.

Each case is simulated from its receipt to ``now``: accepted or refused, forwarded to a competent
authority or handled by the Front, extended, answered on time or late, rated, closed by staff or by the
scheduler after the reopening window, published with the citizen's consent, or merged into an earlier
case about the same matter. Whatever has not happened by ``now`` is cut off, so the status follows
from the age, and every timestamp, deadline, alert and timeline entry agrees with ``feedback.states``,
``feedback.clocks`` and ``services.deadlines`` (a run of the scheduler at ``now`` finds nothing to do).

Everything is built in memory and written with ``bulk_create`` in one transaction: no service call and
no query per case. Texts come from ``feedback.demo_texts``; the AI suggestions from one bulk call of
``classification.suggest``. The same ``seed`` and ``now`` give the same cases (only the secrets differ:
private-link tokens, intake tokens and the ciphertexts of the sealed identities are drawn fresh).

Demo cases are recognised by their tracking code (``PA-D…``) and a ``demo`` flag on their "received"
timeline entry: a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import secrets
import uuid
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from digitalfront.core.bulk import insert_rows
from digitalfront.core.progress import Progress
from digitalfront.core.text import fold
from digitalfront.core.workdays import add_working_days, end_of_day, local_date, working_days_between
from digitalfront.orgs.models import Level as UnitLevel
from digitalfront.orgs.models import Unit

from . import classification, clocks
from . import demo_texts as texts
from .identity import Identity, contact_hash, seal, seal_text
from .models import (
    OPEN_STATUSES,
    Alert,
    AlertKind,
    Authority,
    AuthorityKind,
    Case,
    CaseEvent,
    Channel,
    Complexity,
    Extension,
    Forwarding,
    Kind,
    Level,
    Sentiment,
    Status,
    Topic,
)
from .services.citizen import reopen_window
from .services.deadlines import escalate_after_days
from .services.intake import CODE_ALPHABET, token_hash

CODE_PREFIX = "PA-D"
DAYS = 180
CHUNK = 1000

# Relative weight of each province: its population in millions (after the 2025 reorganisation),
# times 1.3 for the centrally-run cities, whose residents write online more often.
POPULATION = {
    "01": 8.7 * 1.3, "04": 0.57, "08": 1.87, "11": 0.65, "12": 0.49, "14": 1.3, "15": 1.78, "19": 1.7,
    "20": 0.8, "22": 1.4, "24": 3.6, "25": 4.0, "31": 4.7 * 1.3, "33": 3.6, "37": 4.4, "38": 4.3, "40": 3.5,
    "42": 1.3, "44": 1.9, "46": 1.4 * 1.3, "48": 3.1 * 1.3, "51": 2.2, "52": 3.6, "56": 2.2, "66": 3.3,
    "68": 3.9, "75": 4.5, "79": 14.0 * 1.3, "80": 3.3, "82": 4.4, "86": 4.3, "91": 4.9, "92": 4.2 * 1.3,
    "96": 2.6,
}
DEFAULT_POPULATION = 2.0
SOUTH_FROM = 75  # province codes from Đồng Nai southwards say "ấp" and "khu phố"
HIGHLAND = {"04", "08", "11", "12", "14", "15", "19", "20", "51", "52", "66", "68"}

KINDS = [(Kind.FEEDBACK, 80), (Kind.COMPLAINT, 13), (Kind.DENUNCIATION, 7)]
LEVELS = [(Level.COMMUNE, 85), (Level.PROVINCE, 12), (Level.CENTRAL, 3)]
CHANNELS = [(Channel.WEB, 84), (Channel.STAFF, 12), (Channel.OPEN311, 4)]
TOPIC_WEIGHTS = {
    "dat-dai": 13, "moi-truong": 17, "ha-tang": 19, "an-sinh": 10, "y-te": 6, "giao-duc": 6,
    "an-ninh-trat-tu": 10, "tham-nhung-tieu-cuc": 4, "thu-tuc-hanh-chinh": 10, "khac": 5,
}
ANONYMOUS_SHARE = 0.15  # of all cases; only feedback may be anonymous
REFUSE_SHARE = 0.04
SHOWCASE_COMMUNES = {"00004"}  # Phường Ba Đình, where the demo account "badinh" works
SHOWCASE_SHARE = 0.04
MERGE_SHARE = 0.1  # attempts; about half find an earlier case in the same commune still open
ON_TIME_SHARE = 0.8
PUBLISH_SHARE = 0.67  # of the answered cases whose sender consented (about 45%)
RATING_SHARE = 0.6

# Which authority of the directory a topic goes to: (commune's, province's) kind keys.
ROUTES = {
    "an-ninh-trat-tu": ("police", "police"),
    "tham-nhung-tieu-cuc": ("committee", "inspectorate"),
    "dat-dai": ("committee", "agriculture"),
    "moi-truong": ("committee", "agriculture"),
    "ha-tang": ("committee", "construction"),
}
PROVINCE_AUTHORITIES = [
    ("committee", "UBND {}", AuthorityKind.PEOPLES_COMMITTEE),
    ("police", "Công an {}", AuthorityKind.POLICE),
    ("agriculture", "Sở Nông nghiệp và Môi trường {}", AuthorityKind.DEPARTMENT),
    ("construction", "Sở Xây dựng {}", AuthorityKind.DEPARTMENT),
    ("inspectorate", "Thanh tra {}", AuthorityKind.INSPECTORATE),
]
COMMUNE_AUTHORITIES = [
    ("committee", "UBND {}", AuthorityKind.PEOPLES_COMMITTEE),
    ("police", "Công an {}", AuthorityKind.POLICE),
]

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def _lower_first(name: str) -> str:
    """ "Phường Ba Đình" -> "phường Ba Đình", as the name reads inside a sentence."""
    return name[:1].lower() + name[1:]


def _demo_cases() -> Any:
    return Case.objects.filter(code__startswith=CODE_PREFIX, events__action="received", events__data__demo=True)


def demo_counts() -> dict[str, int]:
    """How many demo cases there are, in all, per status, and published."""
    cases = _demo_cases()
    by_status = dict(cases.values_list("status").annotate(n=Count("id", distinct=True)).order_by())
    counts = {"cases": sum(by_status.values())}
    counts.update({status: by_status.get(status, 0) for status in Status.values})
    counts["public"] = cases.filter(published=True).values("id").distinct().count()
    return counts


def load_feedback_demo(*, count: int = 4000, seed: int = 2026, progress: Progress | None = None,
                       now: dt.datetime | None = None) -> dict[str, int]:
    """Create ``count`` demo cases received over the last 180 days before ``now`` (units must be loaded),
    with the authorities they are forwarded to. Idempotent: when demo cases exist, returns their counts
    and adds nothing. Returns ``{"cases", <each status>, "public", "authorities"}``."""
    report = progress or Progress(quiet=True)
    if _demo_cases().exists():
        return {**demo_counts(), "authorities": 0}
    generator = _Generator(seed=seed, now=now or timezone.now(), report=report)
    if not generator.provinces:
        return {**demo_counts(), "authorities": 0}
    with transaction.atomic():
        drafts = generator.draw(count)
        added = generator.ensure_authorities(drafts)
        plans = generator.simulate(drafts)
        generator.classify(plans)
        generator.write(plans)
    return {**demo_counts(), "authorities": added}


@dataclass
class _Draft:
    """Where and what a case is, before its handling is simulated."""

    received_at: dt.datetime
    province: Unit
    commune: Unit
    kind: str
    level: str
    anonymous: bool


@dataclass
class _Plan:
    """A case and everything that happened to it up to ``now``."""

    case: Case
    topic: str
    template: texts.Template
    slots: dict[str, Any]
    name: str = ""
    title_pattern: str = ""
    # (status, at, action, public_note, note, data) of each state change, in order
    states: list[tuple[str, dt.datetime, str, str, str, dict[str, Any]]] = field(default_factory=list)
    # other timeline entries: (at, action, public_note, note, data)
    events: list[tuple[dt.datetime, str, str, str, dict[str, Any]]] = field(default_factory=list)
    forwarding: Forwarding | None = None
    extensions: list[Extension] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    target: _Plan | None = None

    def status_at(self, moment: dt.datetime) -> str:
        status = ""
        for state, at, *_ in self.states:
            if at > moment:
                break
            status = state
        return status


class _Generator:
    def __init__(self, *, seed: int, now: dt.datetime, report: Progress) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.report = report
        self._wd: dict[tuple[dt.date, int], dt.datetime] = {}
        self.provinces = list(Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True).order_by("code"))
        communes = Unit.objects.filter(level=UnitLevel.COMMUNE, valid_to__isnull=True,
                                       parent_id__in=[p.pk for p in self.provinces]).order_by("code")
        self.communes: dict[int, list[Unit]] = defaultdict(list)
        for commune in communes:
            self.communes[commune.parent_id].append(commune)
        self.provinces = [p for p in self.provinces if self.communes[p.pk]]
        self.central = Unit.objects.filter(level=UnitLevel.CENTRAL, valid_to__isnull=True).order_by("code").first()
        self.topics = {t.code: t for t in Topic.objects.all()}
        self.authorities: dict[int, dict[str, Authority]] = {}
        self.window = reopen_window()
        self.escalate_after = escalate_after_days()
        self.codes_taken = set(Case.objects.filter(code__startswith=CODE_PREFIX).values_list("code", flat=True))

    # --- helpers -------------------------------------------------------------------------------------

    def add_wd(self, moment: dt.datetime, days: int) -> dt.datetime:
        """``add_working_days`` memoised by day: the same answer, without re-reading the calendar each time."""
        key = (local_date(moment), days)
        hit = self._wd.get(key)
        if hit is None:
            hit = self._wd[key] = add_working_days(key[0], days)
        return hit

    def office(self, moment: dt.datetime) -> dt.datetime:
        """The first office-hours moment at or after ``moment``: staff act on working days, 7:30 to 17:00."""
        local = timezone.localtime(moment)
        if local.hour >= 17:
            local = (local + DAY).replace(hour=7, minute=30)
        elif local.hour < 7 or (local.hour == 7 and local.minute < 30):
            local = local.replace(hour=7, minute=30)
        while local.weekday() >= 5:
            local += DAY
        if local != timezone.localtime(moment):
            local += dt.timedelta(minutes=self.rng.randint(0, 150))
        return local

    def pick(self, pairs: list[tuple[Any, float]]) -> Any:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def hours(self, lo: float, hi: float) -> dt.timedelta:
        return dt.timedelta(hours=self.rng.uniform(lo, hi))

    def new_code(self) -> str:
        while True:
            raw = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(7))
            code = f"{CODE_PREFIX}{raw[:3]}-{raw[3:]}"
            if code not in self.codes_taken:
                self.codes_taken.add(code)
                return code

    # --- where and when ------------------------------------------------------------------------------

    def draw(self, count: int) -> list[_Draft]:
        """Receipt times (more recent ones more numerous), provinces by population, communes (the
        wards and a few busy communes of each province more often), kinds, levels."""
        rng = self.rng
        province_weights = [POPULATION.get(p.code, DEFAULT_POPULATION) for p in self.provinces]
        commune_cum: dict[int, tuple[list[Unit], list[float]]] = {}
        for province in self.provinces:
            pool = list(self.communes[province.pk])
            rng.shuffle(pool)
            weights = [(3.0 if c.kind == "phường" else 1.0) / (rank + 2) ** 0.7 for rank, c in enumerate(pool)]
            commune_cum[province.pk] = (pool, list(accumulate(weights)))
        times = []
        for _ in range(count):
            age = DAYS * rng.random() ** 1.6  # density falls with age
            day = local_date(self.now - dt.timedelta(days=age))
            # citizens write from early morning to late evening, most in the working day
            minute = int(rng.triangular(6 * 60, 23 * 60, 10 * 60))
            moment = timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60,
                                                                          rng.randrange(60))))
            if moment > self.now:
                moment = self.now - dt.timedelta(minutes=rng.randint(5, 600))
            times.append(moment)
        times.sort()
        # the demo account "badinh" works at Phường Ba Đình: give its inbox a realistic load
        showcase = [(c, p) for p in self.provinces for c in self.communes[p.pk] if c.code in SHOWCASE_COMMUNES]
        drafts = []
        for moment in times:
            if showcase and rng.random() < SHOWCASE_SHARE:
                commune, province = rng.choice(showcase)
            else:
                province = rng.choices(self.provinces, weights=province_weights)[0]
                pool, cum = commune_cum[province.pk]
                commune = pool[min(bisect_left(cum, rng.random() * cum[-1]), len(pool) - 1)]
            kind = self.pick(KINDS)
            anonymous = kind == Kind.FEEDBACK and rng.random() < ANONYMOUS_SHARE / 0.8
            level = self.pick(LEVELS)
            if level == Level.CENTRAL and self.central is None:
                level = Level.PROVINCE
            drafts.append(_Draft(moment, province, commune, kind, level, anonymous))
        return drafts

    def ensure_authorities(self, drafts: list[_Draft]) -> int:
        """The directory: five authorities per province, two per commune that has demo cases (existing
        names are kept). Returns how many were added."""
        communes = {d.commune.pk: d.commune for d in drafts}
        wanted = [(p, PROVINCE_AUTHORITIES) for p in self.provinces]
        wanted += [(c, COMMUNE_AUTHORITIES) for _, c in sorted(communes.items())]
        unit_ids = [unit.pk for unit, _ in wanted]
        existing: dict[tuple[int, str], Authority] = {}
        for start in range(0, len(unit_ids), 500):
            for authority in Authority.objects.filter(unit_id__in=unit_ids[start:start + 500]):
                existing[(authority.unit_id, authority.name)] = authority
        new = []
        for unit, specs in wanted:
            for key, pattern, kind in specs:
                name = pattern.format(_lower_first(unit.name))
                authority = existing.get((unit.pk, name))
                if authority is None:
                    authority = Authority(unit=unit, name=name, kind=kind)
                    new.append(authority)
                self.authorities.setdefault(unit.pk, {})[key] = authority
        Authority.objects.bulk_create(new, batch_size=CHUNK)
        if new and new[0].pk is None:  # databases without RETURNING
            by_key = {(a.unit_id, a.name): a.pk for a in Authority.objects.filter(unit_id__in=unit_ids)}
            for authority in new:
                authority.pk = by_key[(authority.unit_id, authority.name)]
        self.report.note(f"danh bạ cơ quan có thẩm quyền: thêm {len(new)}")
        return len(new)

    # --- what and how --------------------------------------------------------------------------------

    def slots(self, draft: _Draft) -> dict[str, Any]:
        """Values for the template slots, plausible for the place."""
        rng = self.rng
        commune, province = draft.commune, draft.province
        south = province.code.isdigit() and int(province.code) >= SOUTH_FROM
        if commune.kind == "phường":
            place = f"{'khu phố' if south else 'tổ dân phố'} {rng.randint(1, 28)}"
            street = rng.choice(texts.URBAN_STREETS)
        else:
            if south:
                place = f"ấp {rng.choice([str(rng.randint(1, 12)), rng.choice(texts.VILLAGE_NAMES)])}"
            elif province.code in HIGHLAND and rng.random() < 0.5:
                place = f"bản {rng.choice(texts.HIGHLAND_VILLAGES)}"
            else:
                place = f"thôn {rng.choice(texts.VILLAGE_NAMES)}"
            street = rng.choice(texts.RURAL_STREETS if rng.random() < 0.75 else texts.URBAN_STREETS)
        filed = local_date(draft.received_at) - dt.timedelta(days=rng.randint(45, 240))
        return {
            "street": street, "place": place, "commune": _lower_first(commune.name),
            "province": _lower_first(province.name), "duration": rng.choice(texts.DURATIONS),
            "months": rng.randint(2, 7), "n": rng.randint(2, 9), "amount": rng.choice(texts.AMOUNTS),
            "landmark": rng.choice(texts.LANDMARKS), "road": rng.choice(texts.ROADS),
            "proj": rng.choice(texts.PROJECTS), "school": rng.choice(texts.SCHOOLS),
            "hospital": rng.choice(texts.HOSPITALS), "company": rng.choice(texts.COMPANIES),
            "workshop": rng.choice(texts.WORKSHOPS), "proc": rng.choice(texts.PROCEDURES),
            "support": rng.choice(texts.SUPPORTS), "late": rng.choice(texts.LATE_HOURS),
            "year": local_date(draft.received_at).year - rng.randint(3, 15), "filed": f"{filed:%d/%m/%Y}",
            "house": rng.randint(2, 250),
        }

    def identity(self, slots: dict[str, Any]) -> Identity:
        rng = self.rng
        family = self.pick(texts.FAMILY_NAMES)
        if rng.random() < 0.5:
            middle, given = rng.choice(texts.MALE_MIDDLE), rng.choice(texts.MALE_GIVEN)
        else:
            middle, given = rng.choice(texts.FEMALE_MIDDLE), rng.choice(texts.FEMALE_GIVEN)
        phone = "09" + "".join(str(rng.randrange(10)) for _ in range(8))
        email = ""
        if rng.random() < 0.3:
            email = f"{fold(given)}{fold(family)}{rng.randint(1, 999)}@{rng.choice(texts.EMAIL_DOMAINS)}"
            email = email.replace(" ", "")
        address = f"Số {slots['house']} {slots['street']}, {slots['place']}, {slots['commune']}, {slots['province']}"
        return Identity(name=f"{family} {middle} {given}", phone=phone, email=email, address=address)

    def template(self, kind: str) -> tuple[str, texts.Template]:
        letter = {Kind.FEEDBACK: "f", Kind.COMPLAINT: "c", Kind.DENUNCIATION: "d"}[kind]
        topics = [(code, w) for code, w in TOPIC_WEIGHTS.items()
                  if any(letter in t.kinds for t in texts.MESSAGES[code])]
        topic = self.pick(topics)
        return topic, self.rng.choice([t for t in texts.MESSAGES[topic] if letter in t.kinds])

    def compose(self, plan: _Plan, identity: Identity) -> None:
        """Title, content (with the sender's own opening line) and the redacted public version."""
        rng, case, slots = self.rng, plan.case, plan.slots
        body = plan.template.body.format(**slots)
        closing = rng.choice(texts.CLOSINGS)
        if case.anonymous:
            opening = rng.choice(texts.ANONYMOUS_INTROS).format(**slots)
        else:
            opening = rng.choice(texts.INTROS).format(**slots) if rng.random() < 0.7 else ""
            if rng.random() < 0.3:
                opening = f"{opening} {rng.choice(texts.CONTACT_LINES).format(phone=identity.phone)}".strip()
        plan.title_pattern = rng.choice(plan.template.titles)
        case.title = plan.title_pattern.format(**slots)
        case.content = "\n".join(part for part in (opening, body, closing) if part)
        # what the Front would publish: the opening line (house number, phone) left out
        case.public_title = case.title
        case.public_content = "\n".join(part for part in (body, closing) if part)
        case.address = f"{slots['street']}, {slots['place']}, {slots['commune']}"

    # --- the simulation ------------------------------------------------------------------------------

    def simulate(self, drafts: list[_Draft]) -> list[_Plan]:
        plans: list[_Plan] = []
        by_commune: dict[int, list[_Plan]] = defaultdict(list)
        total = len(drafts)
        for n, draft in enumerate(drafts, 1):
            plan = self.plan(draft, by_commune[draft.commune.pk])
            plans.append(plan)
            if plan.case.kind != Kind.DENUNCIATION and plan.case.status not in (Status.MERGED, Status.REFUSED):
                by_commune[draft.commune.pk].append(plan)
            if n % 500 == 0 or n == total:
                self.report("phản ánh mẫu: mô phỏng", n, total)
        return plans

    def plan(self, draft: _Draft, neighbours: list[_Plan]) -> _Plan:
        rng = self.rng
        target = None
        if draft.kind != Kind.DENUNCIATION and neighbours and rng.random() < MERGE_SHARE:
            target = neighbours[-1] if rng.random() < 0.6 else rng.choice(neighbours[-8:])
        if target is not None:
            topic, template, slots = target.topic, target.template, dict(target.slots)
            slots.update(house=rng.randint(2, 250), duration=rng.choice(texts.DURATIONS))
            level, unit = target.case.level, target.case.unit
        else:
            topic, template = self.template(draft.kind)
            slots = self.slots(draft)
            level = draft.level
            unit = {Level.COMMUNE: draft.commune, Level.PROVINCE: draft.province}.get(level) or self.central
        identity = Identity() if draft.anonymous else self.identity(slots)
        consent = draft.kind != Kind.DENUNCIATION and rng.random() < 0.45
        remote = (draft.province.code in HIGHLAND and draft.commune.kind != "phường" and rng.random() < 0.5)
        token = secrets.token_urlsafe(24)
        case = Case(
            code=self.new_code(), access_hash=token_hash(token), link_sealed=seal_text(token),
            intake_token=uuid.uuid4(), kind=draft.kind, channel=self.pick(CHANNELS), level=level,
            province=draft.province, commune=draft.commune, unit=unit, unit_path=unit.path,
            anonymous=draft.anonymous, identity_sealed=seal(identity), contact_hash=contact_hash(identity),
            wants_email=bool(identity.email), wants_sms=bool(identity.phone),
            consent_publish=consent, show_name=consent and not draft.anonymous and rng.random() < 0.3,
            remote_area=remote, received_at=draft.received_at, supporters=1,
            topic=self.topics.get(topic) if rng.random() < 0.3 else None,  # some senders pick a topic
        )
        plan = _Plan(case=case, topic=topic, template=template, slots=slots, name=identity.name)
        self.compose(plan, identity)
        case.accept_due_at = self.add_wd(case.received_at, clocks.accept_days(case))
        plan.states.append((Status.RECEIVED, case.received_at, "received", "Đã tiếp nhận phản ánh.", "",
                            {"channel": case.channel, "demo": True}))
        if target is not None and self.merge(plan, target):
            pass
        elif rng.random() < REFUSE_SHARE:
            self.refuse(plan)
        else:
            self.handle(plan)
        self.settle(plan)
        return plan

    def step(self, plan: _Plan, status: str, at: dt.datetime, action: str, public_note: str = "",
             note: str = "", **data: Any) -> dt.datetime:
        """Append a state change at ``at`` (never before the previous one)."""
        at = max(at, plan.states[-1][1] + dt.timedelta(minutes=1))
        plan.states.append((status, at, action, public_note, note, data))
        return at

    def merge(self, plan: _Plan, target: _Plan) -> bool:
        """Merge into ``target`` if it is still open or answered then (as ``services.handling.merge``)."""
        rng, case = self.rng, plan.case
        at = self.office(case.received_at + self.hours(2, 60))
        accepted = None
        if rng.random() < 0.3:
            accepted = self.office(case.received_at + self.hours(1, 20))
            at = max(at, accepted + self.hours(1, 30))
        if at > self.now or target.status_at(at) not in (*OPEN_STATUSES, Status.ANSWERED):
            return False
        if accepted is not None:
            self.accept(plan, accepted)
        at = self.step(plan, Status.MERGED, at, "merge",
                       f"Nội dung trùng với phản ánh {target.case.code}, được giải quyết chung.",
                       into=target.case.code)
        plan.target = target
        target.case.supporters += case.supporters
        target.events.append((at, "merged_in", "", f"Gộp thêm phản ánh {case.code}.", {"source": case.code}))
        return True

    def refuse(self, plan: _Plan) -> None:
        reason = self.rng.choice(texts.REFUSAL_REASONS)
        self.step(plan, Status.REFUSED, self.office(plan.case.received_at + self.hours(2, 90)), "refuse",
                  f"Không thụ lý: {reason}", reason)

    def accept(self, plan: _Plan, at: dt.datetime) -> dt.datetime:
        case = plan.case
        at = max(at, case.received_at + dt.timedelta(minutes=5))
        case.resolve_due_at = self.add_wd(at, clocks.resolve_days(case))
        return self.step(plan, Status.ACCEPTED, at, "accept",
                         f"Đã thụ lý. Hạn giải quyết: {timezone.localtime(case.resolve_due_at):%d/%m/%Y}.")

    def handle(self, plan: _Plan) -> None:
        """Accept, forward or start, maybe extend, answer (on time or late), then rate, close, publish."""
        rng, case = self.rng, plan.case
        r = rng.random()
        delay = self.hours(1, 30) if r < 0.85 else (self.hours(30, 100) if r < 0.97 else self.hours(100, 400))
        accepted = self.accept(plan, self.office(case.received_at + delay))
        due = case.resolve_due_at
        # the route: an authority of the directory, or the Front itself
        authority = self.authority_for(plan)
        route = rng.random()
        last = accepted
        forwarded = None
        if authority is not None and route < 0.62:
            forwarded = self.step(plan, Status.FORWARDED, self.office(accepted + self.hours(1, 60)), "forward",
                                  f"Đã chuyển đến {authority.name} để giải quyết theo thẩm quyền.",
                                  authority=authority.name)
            plan.forwarding = Forwarding(case=case, authority=authority, unit=case.unit, sent_at=forwarded,
                                         note=rng.choice(texts.FORWARD_NOTES))
            last = forwarded
        elif route < 0.88:
            last = self.step(plan, Status.IN_PROGRESS, self.office(accepted + self.hours(1, 40)), "start",
                             "Đang giải quyết.")
        # extensions: complaints and denunciations the law lets run longer
        due = self.extend(plan, last, due)
        start = max(last, plan.extensions[-1].decided_at if plan.extensions else last)
        if rng.random() < ON_TIME_SHARE:
            answered = start + (due - start) * rng.uniform(0.1, 0.92) if due > start else start + self.hours(2, 8)
        else:
            answered = due + self.hours(20, 24 * 20)
        answered = self.office(max(answered, start + self.hours(2, 8)))
        if forwarded is not None and rng.random() < 0.3:
            # the authority asked for the Front's help: the Front takes it over before answering
            self.step(plan, Status.IN_PROGRESS, self.office(forwarded + (answered - forwarded) * rng.uniform(0.3, 0.7)),
                      "start", "Đang giải quyết.")
        answer_slots = {**plan.slots, "authority": authority.name if authority else f"UBND {plan.slots['commune']}"}
        finding = rng.choice(texts.ANSWERS[plan.topic]).format(**answer_slots)
        if plan.forwarding is not None and rng.random() < 0.9:
            sent = plan.forwarding.sent_at
            replied = answered - self.hours(4, 72)
            # the authority replies after the forwarding and before the Front answers the citizen
            plan.forwarding.answered_at = replied if replied > sent else sent + (answered - sent) / 2
            plan.forwarding.answer = finding
            plan.events.append((plan.forwarding.answered_at, "authority_answer", "", finding,
                                {"authority": authority.name}))
        unit = case.unit
        front = ("Ủy ban Trung ương MTTQ Việt Nam" if unit.level == UnitLevel.CENTRAL
                 else f"Ủy ban MTTQ Việt Nam {_lower_first(unit.name)}")
        openings = texts.ANSWER_OPENINGS if plan.forwarding is not None else [
            o for o in texts.ANSWER_OPENINGS if "{authority}" not in o]
        opening = rng.choice(openings).format(front=front, authority=answer_slots["authority"])
        case.answer = opening + finding + rng.choice(texts.ANSWER_CLOSINGS)
        answered = self.step(plan, Status.ANSWERED, answered, "answer", "Đã có trả lời.")
        case.answered_on_time = answered <= due
        # after the answer: the citizen's rating, the closing, the publication
        rated = None
        if rng.random() < RATING_SHARE:
            rated = answered + self.hours(3, 24 * 10)
            weights = [5, 7, 13, 35, 40] if case.answered_on_time else [15, 20, 25, 25, 15]
            case.satisfaction = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
            if rng.random() < 0.4:
                case.satisfaction_comment = rng.choice(texts.SATISFACTION_COMMENTS[case.satisfaction])
            case.rated_at = rated
        if rated is not None and case.satisfaction >= 4 and rng.random() < 0.6:
            self.step(plan, Status.CLOSED, self.office(rated + self.hours(2, 72)), "close")
        else:
            self.step(plan, Status.CLOSED, answered + self.window + dt.timedelta(minutes=rng.randint(5, 55)),
                      "auto_close", "Tự động đóng sau thời hạn mở lại.")
        if case.consent_publish and rng.random() < PUBLISH_SHARE:
            case.published_at = self.office(answered + self.hours(2, 72))

    def authority_for(self, plan: _Plan) -> Authority | None:
        """The authority a case of this topic goes to from its handling unit's directory (or the
        province's, which the unit may also use); none for the central level."""
        case = plan.case
        commune_key, province_key = ROUTES.get(plan.topic, ("committee", "committee"))
        if case.unit.level == UnitLevel.COMMUNE:
            if self.rng.random() < 0.8:
                return self.authorities[case.commune.pk][commune_key]
            return self.authorities[case.province.pk][province_key]
        if case.unit.level == UnitLevel.PROVINCE:
            return self.authorities[case.province.pk][province_key]
        return None

    def extend(self, plan: _Plan, last: dt.datetime, due: dt.datetime) -> dt.datetime:
        """A few complaints and denunciations get one extension (two when especially complex), as far
        as ``clocks.allowed_extension`` allows; returns the deadline after them."""
        rng, case = self.rng, plan.case
        if case.kind == Kind.FEEDBACK or rng.random() > 0.25:
            return due
        complexity = Complexity.VERY_COMPLEX if case.kind == Kind.DENUNCIATION and rng.random() < 0.3 \
            else Complexity.COMPLEX
        times = 2 if complexity == Complexity.VERY_COMPLEX and rng.random() < 0.5 else 1
        for _ in range(times):
            rule = clocks.allowed_extension(case, complexity)
            floor = plan.extensions[-1].decided_at if plan.extensions else last
            decided = self.office(max(due - self.hours(24, 24 * 8), floor + self.hours(20, 60)))
            new_due = self.add_wd(due, rule.days)
            number = f"{rng.randint(12, 480)}/QĐ-{'UBND' if case.kind == Kind.COMPLAINT else 'TTr'}"
            reason = rng.choice(texts.EXTENSION_REASONS)
            plan.extensions.append(Extension(
                case=case, decided_at=decided, decision_number=number, reason=reason, complexity=rule.complexity,
                days=rule.days, previous_due_at=due, new_due_at=new_due))
            plan.events.append((decided, "extend", f"Gia hạn giải quyết theo quyết định số {number}; "
                                f"hạn mới: {timezone.localtime(new_due):%d/%m/%Y}.", reason,
                                {"decision_number": number, "days": rule.days}))
            case.complexity = rule.complexity
            case.extensions += 1
            due = new_due
        return due

    def settle(self, plan: _Plan) -> None:
        """Cut the story at ``now`` and set the fields the services would have set by then."""
        now, case = self.now, plan.case
        plan.states = [s for s in plan.states if s[1] <= now]
        plan.events = [e for e in plan.events if e[0] <= now]
        status = plan.states[-1][0]
        case.status = status
        for state, at, *_ in plan.states[1:]:
            setattr(case, {"accepted": "accepted_at", "refused": "refused_at", "forwarded": "forwarded_at",
                           "in_progress": "in_progress_at", "answered": "answered_at", "closed": "closed_at",
                           "merged": "merged_at"}[state], at)
        # extensions decided after now did not happen (nor did anything they led to)
        kept = [e for e in plan.extensions if e.decided_at <= now]
        if len(kept) < len(plan.extensions):
            plan.extensions = kept
            case.extensions = len(kept)
            case.complexity = kept[-1].complexity if kept else Complexity.NORMAL
        if case.accepted_at is None:
            case.resolve_due_at = None
        elif plan.extensions:
            case.resolve_due_at = plan.extensions[-1].new_due_at
        if case.answered_at is None:
            case.answer, case.answered_on_time = "", None
            case.satisfaction, case.satisfaction_comment, case.rated_at = None, "", None
            case.published_at = None
        if plan.forwarding is not None and case.forwarded_at is None:
            plan.forwarding = None
        elif plan.forwarding is not None and (plan.forwarding.answered_at or now) > now:
            plan.forwarding.answered_at, plan.forwarding.answer = None, ""
        if case.rated_at is not None and case.rated_at > now:
            case.satisfaction, case.satisfaction_comment, case.rated_at = None, "", None
        if case.rated_at is not None:
            plan.events.append((case.rated_at, "rate", "", "", {"satisfaction": case.satisfaction}))
        if case.published_at is not None and case.published_at <= now:
            case.published = True
            case.public_name = plan.name if case.show_name and not case.anonymous else ""
            case.public_folded = fold(f"{case.public_title} {case.public_content} {case.answer}")
            plan.events.append((case.published_at, "publish", "Đã công khai trên trang phản ánh đã trả lời.", "", {}))
        else:
            case.published_at = None
            case.public_title = case.public_content = ""
        # the current deadline, as the services leave it
        if status == Status.RECEIVED:
            case.due_at = case.accept_due_at
        elif status in (Status.ACCEPTED, Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED):
            case.due_at = case.resolve_due_at
        else:
            case.due_at = None
        if status in OPEN_STATUSES:
            self.alerts(plan)

    def alerts(self, plan: _Plan) -> None:
        """What the scheduler (``services.deadlines``) would have done by ``now`` to an open case:
        warned before the deadline, flagged it overdue, alerted the level above."""
        now, case, rng = self.now, plan.case, self.rng
        due = case.due_at
        since = plan.states[-1][1] if case.status != Status.RECEIVED else case.received_at
        if plan.extensions:
            since = max(since, plan.extensions[-1].decided_at)
        if due > self.add_wd(now, clocks.WARN_DAYS_BEFORE):
            return
        warned = min(max(since + dt.timedelta(minutes=rng.randint(10, 60)), due - dt.timedelta(days=7)), now)
        case.warned_at = warned
        plan.alerts.append(Alert(unit=case.unit, case=case, kind=AlertKind.DUE_SOON, created_at=warned, due_at=due))
        plan.events.append((warned, "alert_due_soon", "",
                            f"Còn dưới {clocks.WARN_DAYS_BEFORE} ngày làm việc đến hạn "
                            f"{timezone.localtime(due):%d/%m/%Y}.", {}))
        overdue = due + dt.timedelta(minutes=rng.randint(5, 55))
        if overdue > now:
            return
        case.overdue_at = overdue
        plan.alerts.append(Alert(unit=case.unit, case=case, kind=AlertKind.OVERDUE, created_at=overdue, due_at=due))
        plan.events.append((overdue, "alert_overdue", "", "Đã quá hạn.", {}))
        if case.unit.parent_id is None or working_days_between(local_date(due), local_date(now)) < self.escalate_after:
            return
        # the first run on the day the overdue case reached the limit
        day = local_date(self.add_wd(due, self.escalate_after))
        escalated = min(end_of_day(day) - DAY + dt.timedelta(minutes=rng.randint(5, 55)), now)
        case.escalated = True
        plan.alerts.append(Alert(unit_id=case.unit.parent_id, case=case, kind=AlertKind.ESCALATED,
                                 created_at=escalated, due_at=due))
        plan.events.append((escalated, "escalate_rule", "",
                            f"Quá hạn {self.escalate_after} ngày làm việc: đã báo Mặt trận cấp trên.", {}))

    # --- classification and writing ------------------------------------------------------------------

    def classify(self, plans: list[_Plan]) -> None:
        """The AI suggestions (one bulk call), and staff's confirmation for most handled cases."""
        self.report.note("phản ánh mẫu: gợi ý phân loại")
        # The fallback rules cost milliseconds per text (a regular expression per keyword): suggest once
        # for the first real text of each template and title, and let its siblings share that suggestion
        # (they differ only in places and numbers).
        first: dict[tuple[int, str], int] = {}
        for i, plan in enumerate(plans):
            first.setdefault((id(plan.template), plan.title_pattern), i)
        keys = list(first)
        found = classification.suggest([f"{plans[first[k]].case.title}\n{plans[first[k]].case.content}"
                                        for k in keys])
        by_key = dict(zip(keys, found, strict=True))
        rng = self.rng
        for plan in plans:
            suggestion = by_key[(id(plan.template), plan.title_pattern)]
            case = plan.case
            case.suggestion = dict(suggestion)
            case.followed_up_at = case.received_at  # as the worker would have done: no acknowledgement now
            if len(plan.states) > 1 and rng.random() < 0.92:
                at = plan.states[1][1] - dt.timedelta(minutes=rng.randint(3, 90))
            elif len(plan.states) == 1 and rng.random() < 0.3:
                at = self.office(case.received_at + self.hours(1, 20))
            else:
                continue
            at = max(at, case.received_at + dt.timedelta(minutes=1))
            if at > self.now:
                continue
            urgency = suggestion["urgency"]["label"]
            sentiment = suggestion["sentiment"]["label"]
            if sentiment == Sentiment.NEUTRAL and plan.topic != "khac" and rng.random() < 0.6:
                sentiment = Sentiment.NEGATIVE
            case.topic = self.topics.get(plan.topic)
            case.urgency, case.sentiment, case.classified_at = urgency, sentiment, at
            corrected = [name for name, value in (("topic", plan.topic), ("urgency", urgency),
                                                  ("sentiment", sentiment))
                         if suggestion[name]["label"] != value]
            plan.events.append((at, "classify", "", "", {"topic": plan.topic, "urgency": urgency,
                                                         "sentiment": sentiment, "corrected": corrected}))

    def write(self, plans: list[_Plan]) -> None:
        """Cases in chunks, then their timelines, forwardings, extensions and alerts; merges last (the
        target of a merge may sit in the same chunk, so its id is known only after the insert)."""
        total = len(plans)
        for start in range(0, total, CHUNK):
            chunk = [p.case for p in plans[start:start + CHUNK]]
            Case.objects.bulk_create(chunk)
            if chunk and chunk[0].pk is None:  # databases without RETURNING
                ids = dict(Case.objects.filter(code__in=[c.code for c in chunk]).values_list("code", "pk"))
                for case in chunk:
                    case.pk = ids[case.code]
            self.report("phản ánh mẫu: ghi", min(start + CHUNK, total), total)
        merged = []
        for plan in plans:
            if plan.target is not None and plan.case.status == Status.MERGED:
                plan.case.merged_into = plan.target.case
                merged.append(plan.case)
        Case.objects.bulk_update(merged, ["merged_into"], batch_size=CHUNK)
        # The timeline is six times as many rows as the cases and needs no ids back: it goes through the
        # loaders' raw writer (``core.bulk``), ten times faster than the ORM's bulk_create.
        adapt = connection.ops.adapt_datetimefield_value
        events: list[tuple[Any, ...]] = []
        forwardings, extensions, alerts = [], [], []
        for plan in plans:
            case = plan.case
            rows = []
            previous = ""
            for status, at, action, public_note, note, data in plan.states:
                rows.append((at, 0, action, previous, status, note, public_note, data))
                previous = status
            for at, action, public_note, note, data in plan.events:
                rows.append((at, 1, action, "", "", note, public_note, data))
            rows.sort(key=lambda row: (row[0], row[1]))  # ids follow time, as the services write them
            events.extend((case.pk, adapt(at), action, case.unit_id, before, after, note, public_note, json.dumps(data))
                          for at, _, action, before, after, note, public_note, data in rows)
            if plan.forwarding is not None:
                forwardings.append(plan.forwarding)
            extensions.extend(plan.extensions)
            alerts.extend(plan.alerts)
        self.report.note(f"phản ánh mẫu: ghi {len(events)} diễn biến")
        insert_rows(CaseEvent, ["case", "at", "action", "unit", "from_status", "to_status", "note", "public_note",
                                "data"], events)
        Forwarding.objects.bulk_create(forwardings, batch_size=CHUNK)
        Extension.objects.bulk_create(extensions, batch_size=CHUNK)
        Alert.objects.bulk_create(alerts, batch_size=CHUNK)
