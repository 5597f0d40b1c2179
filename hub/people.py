"""Team members: created on first use, administered from the shell, named with @mentions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from hub.errors import Invalid, NotFound
from hub.i18n import N_, _
from hub.models import AuditEvent, Person, Role
from hub.settings import parse_clock_time, parse_days_off, parse_quiet_hours
from hub.text import fold, similarity, slug

NOTIFY_VIA = ("slack", "discord", "last")  # last: wherever they were seen last


def find_by_name(session: Session, name: str) -> Person | None:
    return session.scalar(select(Person).where(Person.name_key == fold(name)))


def ensure_person(session: Session, *, name: str, now: datetime) -> Person:
    """The Person called `name`, created as a member the first time they appear."""
    name = " ".join(name.split())
    if not fold(name):
        raise Invalid("A person needs a name with at least one letter or digit.")
    person = find_by_name(session, name)
    if person is None:
        person = Person(
            name=name,
            name_key=fold(name),
            handle=free_handle(session, name),
            role=Role.MEMBER,
            created_at=now,
        )
        session.add(person)
        session.flush()
    return person


def find_member(session: Session, name: str) -> Person | None:
    """The member `name` names exactly, on the command line: a full name, or an @handle
    (`@luis`). Never a guess: what is done as, or to, them may hand out their access."""
    if not name.startswith("@"):
        return find_by_name(session, name)
    key = fold(name[1:])
    for match in (Person.handle == key.replace(" ", ""), Person.name_key == key):
        person = session.scalar(select(Person).where(match))
        if person is not None:
            return person
    return None


def person_acting(session: Session, *, name: str, now: datetime) -> Person:
    """Who `--as NAME` (or `people set NAME`) is: the member NAME names exactly, else a
    new member called NAME."""
    return find_member(session, name) or ensure_person(session, name=name.lstrip("@"), now=now)


ROLE_SET = "role.set"


def set_role(session: Session, person: Person, role: str, *, by: str, now: datetime) -> None:
    """Change a person's role, audited with where the change came from (`by`: "command
    line", "discord role"), so a chat platform only takes back what it gave."""
    _check_role(role)
    if person.role == role:
        return
    session.add(
        AuditEvent(
            at=now,
            actor_id=None,
            action=ROLE_SET,
            entity="person",
            entity_id=person.id,
            detail={"from": str(person.role), "to": role, "by": by},
        )
    )
    person.role = role


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise Invalid(f"Role must be one of {', '.join(Role)}.")


def role_given_by(session: Session, person: Person) -> str | None:
    """Where the person's current role came from (None: it was never changed)."""
    detail = session.scalar(
        select(AuditEvent.detail)
        .where(
            AuditEvent.entity == "person",
            AuditEvent.entity_id == person.id,
            AuditEvent.action == ROLE_SET,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return None if detail is None else str(detail.get("by"))


# The kinds of notice (hub/notices.py) a person may mute: `people set NAME --mute ...`.
NOTICE_KINDS = ("handover", "cover", "assigned", "changes")


def muted_kinds(value: str | None) -> frozenset[str]:
    return frozenset(k for k in (value or "").split(",") if k)


def check_mute(value: str) -> str | None:
    """`--mute handover,cover` as stored (None: nothing muted, `none`); refused when a
    kind is not one of NOTICE_KINDS."""
    kinds = [k.strip().lower() for k in value.split(",") if k.strip()]
    if kinds in ([], ["none"], ["off"]):
        return None
    unknown = [k for k in kinds if k not in NOTICE_KINDS]
    if unknown:
        raise Invalid(f"{', '.join(unknown)}: notices are {', '.join(NOTICE_KINDS)} (or none).")
    return ",".join(k for k in NOTICE_KINDS if k in kinds)


def update_person(
    person: Person,
    *,
    role: str | None = None,
    department: str | None = None,
    tz: str | None = None,
    locale: str | None = None,
    email: str | None = None,
    nudge_at: str | None = None,
    days_off: str | None = None,
    notify_via: str | None = None,
    quiet_hours: str | None = None,
    muted: str | None = None,
) -> None:
    if role is not None:  # unaudited: for seeding; administration goes through set_role
        _check_role(role)
        person.role = role
    if department is not None:
        person.department = department.strip() or None
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise Invalid(f"{tz!r} is not a time zone I know (try Europe/Madrid).") from None
        person.tz = tz
    if locale is not None:
        if locale not in ("en", "es"):
            raise Invalid("Locale must be en or es.")
        person.locale = locale
    if email is not None:
        person.email = email.strip().lower() or None
    if nudge_at is not None:
        when = nudge_at.strip().lower()
        if when not in ("", "off") and parse_clock_time(when) is None:
            raise Invalid(f"{nudge_at!r} is not a time of day like 09:00 (or 'off').")
        person.nudge_at = when or None
    if days_off is not None:
        if days_off.strip() and parse_days_off(days_off) is None:
            raise Invalid(f"{days_off!r} is not a list of weekdays like sat,sun (or none).")
        person.days_off = days_off.strip().lower() or None
    if notify_via is not None:
        via = notify_via.strip().lower()
        if via not in NOTIFY_VIA:
            raise Invalid(f"{notify_via!r}: DMs go via {', '.join(NOTIFY_VIA)}.")
        person.notify_via = None if via == "last" else via
    if quiet_hours is not None:
        quiet = quiet_hours.strip().lower()
        if quiet not in ("", "off") and parse_quiet_hours(quiet) is None:
            raise Invalid(f"{quiet_hours!r} is not a range of hours like 20:00-08:00 (or 'off').")
        person.quiet_hours = None if quiet in ("", "off") else quiet
    if muted is not None:
        person.muted = check_mute(muted)


MAX_NAME_WORDS = 6


def longest_person_prefix(session: Session, words: Sequence[str]) -> int:
    """How many of `words` form the longest active person's full name they start with (0
    if none): `@Marta Ruiz until mañana` names Marta Ruiz. One query."""
    candidates = {
        fold(" ".join(words[:n])): n for n in range(1, min(len(words), MAX_NAME_WORDS) + 1)
    }
    candidates.pop("", None)
    if not candidates:
        return 0
    known = session.scalars(
        select(Person.name_key).where(
            Person.active.is_(True), Person.name_key.in_(list(candidates))
        )
    ).all()
    return max((candidates[k] for k in known), default=0)


def resolve_mention(session: Session, mention: str) -> Person:
    """The Person an `@name` means: exact name or handle, else a unique first-name prefix."""
    key = fold(mention.lstrip("@"))
    if not key:
        raise NotFound(_("Name a person after the @, e.g. @ana."))
    handle = key.replace(" ", "")
    # One statement: whoever the name or handle is exactly, and the active people whose
    # name starts with it (namesakes of a handle, or the people a first name may mean).
    found = session.scalars(
        select(Person)
        .where(
            or_(
                Person.name_key == key,
                Person.handle == handle,
                and_(Person.active.is_(True), Person.name_key.startswith(key, autoescape=True)),
            )
        )
        .order_by(Person.name_key)
    ).all()
    exact = [p for p in found if p.name_key == key or p.handle == handle]
    if len(exact) == 1:
        person = exact[0]
        if person.name_key == key:
            return person
        # @marta is Marta Ruiz's handle, and Marta Gil's first name too: asked, not guessed.
        namesakes = [
            p for p in found if p.active and p.id != person.id and p.name_key.startswith(f"{key} ")
        ]
        if not namesakes:
            return person
        raise AmbiguousMention(mention, [person, *namesakes])
    candidates = [p for p in found if p.active and p.name_key.startswith(key)]
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        raise AmbiguousMention(mention, candidates)
    everyone = session.execute(
        select(Person.name, Person.name_key).where(Person.active.is_(True))
    ).all()
    close = [name for name, name_key in everyone if similarity(key, name_key) >= 0.72][:3]
    typed = mention.lstrip("@")
    if close:
        raise NotFound(
            _(
                "I don't know a team member called @{name}. Did you mean {names}?",
                name=typed,
                names=", ".join(close),
            )
        )
    raise NotFound(_("I don't know a team member called @{name}.", name=typed))


class AmbiguousMention(NotFound):
    """An `@name` several active people answer to: the question, and their full names
    (each one theirs alone), for whoever asks to offer them as choices."""

    def __init__(self, mention: str, people: Sequence[Person]) -> None:
        super().__init__(_which(mention, people, ending=_("Say which.")))
        self.question = _which(mention, people, ending=_("Which one?"))
        self.mention = mention
        self.names = tuple(p.name for p in sorted(people, key=lambda p: p.name_key))


def _which(mention: str, people: Sequence[Person], *, ending: str) -> str:
    """The question an `@name` several people answer to: each by a name that is theirs
    alone (a full name, which reads without quotes)."""
    typed = mention.lstrip("@")
    choices = ", ".join(f"@{p.name}" for p in sorted(people, key=lambda p: p.name_key))
    if all(p.name_key.split(" ")[0] == fold(typed) for p in people):
        return _(
            "{count} people are called {name}: {choices}. {ending}",
            count=_how_many(len(people)),
            name=typed,
            choices=choices,
            ending=ending,
        )
    return _("@{name} could mean {choices}. {ending}", name=typed, choices=choices, ending=ending)


_HOW_MANY = (
    N_("Two"),
    N_("Three"),
    N_("Four"),
    N_("Five"),
    N_("Six"),
    N_("Seven"),
    N_("Eight"),
    N_("Nine"),
)


def _how_many(n: int) -> str:
    return _(_HOW_MANY[n - 2]) if 2 <= n < len(_HOW_MANY) + 2 else str(n)


def free_handle(session: Session, name: str) -> str:
    base = slug(name).replace(" ", "") or "member"
    taken = set(session.scalars(select(Person.handle).where(Person.handle.startswith(base))))
    if base not in taken:
        return base
    full = fold(name).replace(" ", "")
    if full not in taken:
        return full
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"
