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
from sqlalchemy.exc import IntegrityError

from bot.bootstrap import App
from hub.identities import ChatProfile, known_identity, person_for
from hub.models import Person

log = logging.getLogger(__name__)

NOT_SERVED = "Relevo isn't set up for this workspace, so I can't show or save anything here."
GUEST = "Relevo is for members of this workspace; guests can't use it. Ask your contact there."
STRANGER = (
    "Relevo only serves members of the organisation that installed it; "
    "I can't show or save anything for people from other organisations."
)
DEACTIVATED = "This Slack account is deactivated, so I can't show or save anything for it."
UNKNOWN = "I couldn't check who you are on Slack just now; please try again in a moment."


@dataclass(frozen=True)
class Refusal:
    message: str


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
        if user.get("deleted"):
            return Refusal(DEACTIVATED)
        if user.get("is_restricted") or user.get("is_ultra_restricted"):
            return Refusal(GUEST)
        if user.get("is_stranger") or not self.serves(user.get("team_id")):
            return Refusal(STRANGER)
        return None
