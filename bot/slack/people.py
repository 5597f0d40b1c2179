"""Who is asking: the Slack user behind a request, as a Person, or a polite refusal.

Only the configured workspaces are served. Guests (restricted and ultra-restricted),
deactivated users and Slack Connect users from another organisation are refused before
anything is read. A user's profile (users.info) is fetched on first use and again once
it is older than `hub.identities.PROFILE_TTL`, so a user turned guest is refused soon.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from bot.bootstrap import App
from hub.i18n import N_, language
from hub.identities import ChatProfile, known_identity, person_for
from hub.models import ChatIdentity, Person

log = logging.getLogger(__name__)

# In English here; said in the reader's language (`_(refusal.message)`).
NOT_SERVED = N_("Relevo isn't set up for this workspace, so I can't show or save anything here.")
GUEST = N_("Relevo is for members of this workspace; guests can't use it. Ask your contact there.")
STRANGER = N_(
    "Relevo only serves members of the organisation that installed it; "
    "I can't show or save anything for people from other organisations."
)
DEACTIVATED = N_("This Slack account is deactivated, so I can't show or save anything for it.")
UNKNOWN = N_("I couldn't check who you are on Slack just now; please try again in a moment.")


@dataclass(frozen=True)
class Refusal:
    message: str  # the English text: translate it with `_` where it is said
    locale: str | None = None  # the refused user's language, when Slack told us


class SlackPeople:
    def __init__(self, app: App, client: WebClient, team_ids: frozenset[str]) -> None:
        self.app = app
        self.client = client
        self.team_ids = team_ids

    def serves(self, team_id: str | None) -> bool:
        return bool(team_id) and team_id in self.team_ids

    def person_id(self, team_id: str | None, user_id: str | None) -> int | Refusal:
        """Our Person for a Slack user of `team_id`, or why they are refused.

        A find-or-create, so it is tried again if the database connection fails under it.
        """
        if not self.serves(team_id) or not user_id:
            return Refusal(NOT_SERVED)
        assert team_id is not None
        return self.app.database.idempotent(lambda: self._person_id(team_id, user_id))

    def locale(self, person_id: int | None) -> str:
        """The language a person reads the adapter's own texts in (forms, the menu):
        theirs, else the hub's."""
        fallback = self.app.settings.locale
        if person_id is None:
            return fallback
        try:
            with self.app.database.unit_of_work() as session:
                person = session.get(Person, person_id)
                return (person.locale if person else None) or fallback
        except (OperationalError, InterfaceError):
            return fallback  # the form still opens; its words are the hub's

    def known_locale(self, team_id: str | None, user_id: str) -> str:
        """The language of a Slack user already known, without asking Slack: for a
        request held back before the person is looked up (too many of them)."""
        fallback = self.app.settings.locale
        try:
            with self.app.database.unit_of_work() as session:
                found = session.scalar(
                    select(Person.locale)
                    .join(ChatIdentity, ChatIdentity.person_id == Person.id)
                    .where(
                        ChatIdentity.platform == "slack",
                        ChatIdentity.workspace == (team_id or ""),
                        ChatIdentity.external_id == user_id,
                    )
                )
        except (OperationalError, InterfaceError):
            return fallback
        return found or fallback

    def _person_id(self, team_id: str, user_id: str) -> int | Refusal:
        now = self.app.runner.clock.now()
        with self.app.database.unit_of_work() as session:
            identity = known_identity(session, "slack", team_id, user_id, now)
            if identity is not None:
                return identity.person_id
        try:
            user = self.client.users_info(user=user_id, include_locale=True)["user"]
        except SlackApiError as error:
            log.warning("users.info failed: %s", error.response.get("error"))
            return Refusal(UNKNOWN)
        refusal = self._refusal(user)
        if refusal is not None:
            return refusal
        profile = user.get("profile") or {}
        chat_profile = ChatProfile(
            platform="slack",
            workspace=team_id,
            external_id=user_id,
            name=profile.get("real_name") or user.get("real_name") or user.get("name") or user_id,
            email=profile.get("email"),
            tz=user.get("tz"),
            locale=user.get("locale"),
        )
        try:
            with self.app.database.unit_of_work() as session:
                return person_for(session, chat_profile, now).id
        except IntegrityError:
            # Two first requests of a new user at once (an ack and its lazy listener):
            # the other one created the Person; take theirs.
            with self.app.database.unit_of_work() as session:
                return person_for(session, chat_profile, now).id

    def handle(self, team_id: str, user_id: str) -> str:
        """The @handle of a Slack user named in a command (their Person, made if needed)."""
        found = self.person_id(team_id, user_id)
        if isinstance(found, Refusal):
            return user_id  # not one of us: the mention stays a plain word

        def handle_of(person_id: int) -> str:
            with self.app.database.unit_of_work() as session:
                person = session.get(Person, person_id)
                return person.handle if person else user_id

        return self.app.database.idempotent(lambda: handle_of(found))

    def _refusal(self, user: dict) -> Refusal | None:
        """Why a Slack user is refused, said in their Slack language when it is ours."""
        locale = language(user.get("locale"))
        if user.get("deleted"):
            return Refusal(DEACTIVATED, locale)
        if user.get("is_restricted") or user.get("is_ultra_restricted"):
            return Refusal(GUEST, locale)
        if user.get("is_stranger") or not self.serves(user.get("team_id")):
            return Refusal(STRANGER, locale)
        return None
