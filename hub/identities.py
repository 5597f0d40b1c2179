"""Chat identities: the Slack or Discord user behind a request, as one of our People.

The first time a platform user appears they are linked to the Person with the same e-mail
address, or a Person is created for them; after that the identity row answers directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.models import AuditEvent, ChatIdentity, Person, Role
from hub.people import find_by_name, free_handle, update_person
from hub.text import fold

# How long a platform profile (name, time zone, guest status) is trusted before it is
# fetched again; a guest or deactivated user is refused at most this long after the change.
PROFILE_TTL = timedelta(hours=1)


@dataclass(frozen=True, kw_only=True)
class ChatProfile:
    """What a platform tells us about one of its users."""

    platform: str
    workspace: str
    external_id: str
    name: str
    email: str | None = None
    tz: str | None = None
    locale: str | None = None


def known_identity(
    session: Session, platform: str, workspace: str, external_id: str, now: datetime
) -> ChatIdentity | None:
    """The identity when its profile is still fresh; None when the platform must be asked."""
    identity = session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == platform,
            ChatIdentity.workspace == workspace,
            ChatIdentity.external_id == external_id,
        )
    )
    if identity is None or identity.last_seen_at is None:
        return None
    return identity if now - identity.last_seen_at < PROFILE_TTL else None


def person_for(session: Session, profile: ChatProfile, now: datetime) -> Person:
    """The Person behind a platform user: linked by identity, then by e-mail, else created."""
    identity = session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == profile.platform,
            ChatIdentity.workspace == profile.workspace,
            ChatIdentity.external_id == profile.external_id,
        )
    )
    email = profile.email.strip().lower() if profile.email else None
    if identity is None:
        person = session.scalar(select(Person).where(Person.email == email)) if email else None
        if person is None:
            person = _new_person(session, profile, email, now)
        identity = ChatIdentity(
            person=person,
            platform=profile.platform,
            workspace=profile.workspace,
            external_id=profile.external_id,
        )
        session.add(identity)
    person = identity.person
    if profile.tz and profile.tz != person.tz:
        update_person(person, tz=profile.tz)
    locale = (profile.locale or "")[:2].lower()
    if locale in ("en", "es") and person.locale is None:
        person.locale = locale
    person.active = True
    identity.last_seen_at = now
    session.flush()
    return person


def _new_person(session: Session, profile: ChatProfile, email: str | None, now: datetime) -> Person:
    name = " ".join(profile.name.split()) or profile.external_id
    if find_by_name(session, name) is not None:
        # Two different people with one display name: keep both, told apart by the id.
        name = f"{name} ({profile.external_id})"
    person = Person(
        name=name,
        name_key=fold(name),
        handle=free_handle(session, name),
        email=email,
        role=Role.MEMBER,
        created_at=now,
    )
    session.add(person)
    session.flush()
    return person


def link_identity(
    session: Session,
    person: Person,
    *,
    platform: str,
    workspace: str,
    external_id: str,
    now: datetime,
) -> Person | None:
    """From now on, the chat user `external_id` of `workspace` is `person` (what e-mail
    could not match: no address on the profile, or another one). Returns the Person the
    user was until now, who keeps what they wrote; None when the user was new or already
    `person`. Linked before their first use, the user is `person` from the start."""
    identity = session.scalar(
        select(ChatIdentity).where(
            ChatIdentity.platform == platform,
            ChatIdentity.workspace == workspace,
            ChatIdentity.external_id == external_id,
        )
    )
    before = None
    if identity is None:
        identity = ChatIdentity(
            person=person, platform=platform, workspace=workspace, external_id=external_id
        )
        session.add(identity)
    elif identity.person_id != person.id:
        before = identity.person
        identity.person = person
    session.add(
        AuditEvent(
            at=now,
            actor_id=None,
            action="person.link",
            entity="person",
            entity_id=person.id,
            detail={
                "platform": platform,
                "workspace": workspace,
                "external_id": external_id,
                "from_person_id": before.id if before else None,
                "by": "command line",
            },
        )
    )
    session.flush()
    return before
