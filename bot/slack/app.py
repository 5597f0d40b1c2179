"""The Slack adapter: a Bolt app that turns Slack's requests into `/crm` commands.

Bolt does what Slack requires (signature and timestamp checks, the 3-second ack, running
slow work after the ack in lazy listeners, Socket Mode); this module only translates.
Every listener acknowledges at once; the command runs in a lazy listener and answers
through the request's response_url (or a DM when there is none).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from slack_bolt import Ack, BoltResponse, Respond
from slack_bolt import App as BoltApp
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError

from bot.announce import announcement
from bot.bootstrap import App
from bot.ratelimit import RateLimiter, slowed
from bot.slack import forms
from bot.slack.blocks import FORM, RUN, notification_text, reply_blocks
from bot.slack.config import SlackConfig
from bot.slack.people import NOT_SERVED, Refusal, SlackPeople
from bot.slack.text import typed_text
from bot.slack.transport import slack_client
from commands.handlers.followups import mine as mine_handler
from commands.reply import Reply, Tone
from commands.runner import unreachable
from commands.types import Mine
from hub.lookup import find_account
from hub.models import Account
from hub.work import Work
from search.results import Query

log = logging.getLogger(__name__)
SOURCE = "slack"
OPTIONS_SHOWN = 20


class SlackBot:
    def __init__(self, app: App, config: SlackConfig) -> None:
        self.app = app
        self.config = config
        client = slack_client(config.bot_token, config.api_url)
        self.client = client
        self.bolt = BoltApp(
            client=client,
            signing_secret=config.signing_secret,
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        self._team_ids = config.team_ids
        self.limiter = RateLimiter.from_env()
        self.people = SlackPeople(app, client, config.team_ids or self._own_team())
        self._register()

    def _own_team(self) -> frozenset[str]:
        """Without SLACK_TEAM_IDS, the workspace the bot token belongs to."""
        return frozenset({self.client.auth_test()["team_id"]})

    # -- wiring ------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        bolt.middleware(self._refuse_other_workspaces)
        bolt.command("/crm")(ack=self._ack_command, lazy=[self._run_command])
        bolt.action({"action_id": _prefixed(RUN)})(ack=_ack, lazy=[self._run_button])
        bolt.action({"action_id": _prefixed(FORM)})(self._open_form)
        bolt.options(forms.ACCOUNT_PICKER)(self._account_options)
        bolt.view({"callback_id": _prefixed("crm:"), "type": "view_submission"})(
            ack=self._ack_submission, lazy=[self._run_submission]
        )
        bolt.shortcut("save_to_crm")(self._open_save_message)
        bolt.event("app_home_opened")(self._publish_home)
        bolt.error(self._on_error)

    def _refuse_other_workspaces(
        self, body: dict[str, Any], next: Callable[[], None]
    ) -> BoltResponse | None:
        """Requests from a workspace we don't serve get a refusal before any work."""
        team = _team_id(body)
        if team is None or self.people.serves(team):
            return next()
        if body.get("command"):
            refusal = _refusal_reply(Refusal(NOT_SERVED))
            return BoltResponse(
                status=200,
                body=json.dumps(
                    {
                        "response_type": "ephemeral",
                        "text": notification_text(refusal),
                        "blocks": reply_blocks(refusal),
                    }
                ),
                headers={"content-type": "application/json"},
            )
        return BoltResponse(status=200, body="")

    # -- /crm --------------------------------------------------------------------------

    def _ack_command(self, ack: Ack, body: dict[str, Any]) -> None:
        if body.get("text", "").strip():
            ack()
            return
        ack()
        who = self.people.person_id(body.get("team_id"), body.get("user_id"))
        if isinstance(who, Refusal):
            return  # the lazy listener says why
        self.client.views_open(
            trigger_id=body["trigger_id"], view=forms.menu(_meta(body.get("channel_id")))
        )

    def _run_command(self, body: dict[str, Any], respond: Respond) -> None:
        text = body.get("text", "").strip()
        wait = self.limiter.wait_needed(SOURCE, body.get("team_id", ""), body.get("user_id", ""))
        if wait:
            _send(respond, slowed(wait, text))
            return
        try:
            who = self.people.person_id(body.get("team_id"), body.get("user_id"))
            if isinstance(who, Refusal):
                _send(respond, _refusal_reply(who))
                return
            if not text:
                return  # the menu modal opened in the ack
            line = typed_text(text, lambda user: self.people.handle(body["team_id"], user))
        except (OperationalError, InterfaceError):
            _send(respond, unreachable(text))
            return
        reply = self.app.runner.run(
            line, person_id=who, source=SOURCE, request_key=f"command:{body['trigger_id']}"
        )
        self._answer(reply, who, respond)

    # -- buttons -----------------------------------------------------------------------

    def _run_button(self, body: dict[str, Any], action: dict[str, Any], respond: Respond) -> None:
        wait = self.limiter.wait_needed(SOURCE, _team_id(body) or "", body["user"]["id"])
        if wait:
            self._answer_somewhere(body, slowed(wait, action["value"]), respond)
            return
        try:
            who = self.people.person_id(_team_id(body), body["user"]["id"])
        except (OperationalError, InterfaceError):
            self._answer_somewhere(body, unreachable(action["value"]), respond)
            return
        if isinstance(who, Refusal):
            self._answer_somewhere(body, _refusal_reply(who), respond)
            return
        reply = self.app.runner.run(
            action["value"],
            person_id=who,
            source=SOURCE,
            request_key=f"action:{body.get('trigger_id') or action.get('action_ts')}",
        )
        if body.get("view", {}).get("type") == "home":
            self._publish_home_for(body["user"]["id"], who)
        self._answer_somewhere(body, reply, respond, who=who)

    def _open_form(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        ack()
        who = self.people.person_id(_team_id(body), body["user"]["id"])
        if isinstance(who, Refusal):
            return
        kind, prefill = forms.form_for(action["value"])
        if prefill.account:
            prefill = self._with_account_id(who, prefill)
        if kind == "handover" and prefill.to_user is None and "to @" in action["value"]:
            prefill = forms.Prefill(
                account=prefill.account,
                account_id=prefill.account_id,
                to_user=body["user"]["id"],
            )
        channel = (body.get("channel") or {}).get("id") or _meta_of(body).get("channel")
        view = forms.view(kind, prefill, _meta(channel))
        if body.get("view", {}).get("type") == "modal":
            self.client.views_push(trigger_id=body["trigger_id"], view=view)
        else:
            self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def _with_account_id(self, who: int, prefill: forms.Prefill) -> forms.Prefill:
        with self._work(who) as work:
            found = find_account(work, prefill.account or "").found
            if isinstance(found, Account):
                return forms.Prefill(
                    account=found.name, account_id=found.id, to_user=prefill.to_user
                )
        return prefill

    # -- forms -------------------------------------------------------------------------

    def _account_options(self, ack: Ack, body: dict[str, Any]) -> None:
        """Accounts the person may see whose names match what they typed, best first."""
        who = self.people.person_id(_team_id(body), body["user"]["id"])
        if isinstance(who, Refusal):
            ack(options=[])
            return
        typed = (body.get("value") or "").strip()
        options = []
        if typed:
            with self._work(who) as work:
                results = self.app.runner.search.find(
                    work, Query(typed, type="account", limit=OPTIONS_SHOWN)
                )
                ids = [hit.account_id for hit in results.hits if hit.account_id]
                names = {
                    account_id: name
                    for account_id, name in work.session.execute(
                        select(Account.id, Account.name).where(Account.id.in_(ids))
                    )
                }
                options = [forms.account_option(i, names[i]) for i in ids if i in names]
        ack(options=options[:OPTIONS_SHOWN])

    def _ack_submission(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        errors = _form_errors(view)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()

    def _run_submission(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        if _form_errors(view):
            return  # Bolt runs lazy listeners even after an errors ack; the form stays open
        user_id = body["user"]["id"]
        who = self.people.person_id(_team_id(body), user_id)
        if isinstance(who, Refusal):
            return
        kind = view["callback_id"].removeprefix("crm:")
        values = view["state"]["values"]
        meta = _meta_of(body)
        key = f"view:{view['id']}"
        if kind == forms.LINE:
            line = forms._value(values, "line") or ""
            reply = self.app.runner.run(line, person_id=who, source=SOURCE, request_key=key)
        else:
            account_name = self._account_name(who, forms.selected_account(values))
            handle = None
            if kind == "handover":
                target = forms._value(values, "to") or ""
                handle = self.people.handle(_team_id(body) or "", target)
            if kind == forms.SAVE_MESSAGE:
                values = _with_origin(values, meta)
            command, typed = forms.command_from(kind, values, account_name, handle)
            reply = self.app.runner.execute(
                command, typed=typed, person_id=who, source=SOURCE, request_key=key
            )
        self._answer_somewhere(body, reply, None, who=who, channel=meta.get("channel"))

    def _account_name(self, who: int, account_id: int | None) -> str | None:
        """The name of the account a form picked, if `who` may read it: the id comes
        from the submission, and a hidden account's name must not come back in the reply
        ("I don't know an account called ..."). Otherwise None, as for a missing id."""
        if account_id is None:
            return None
        with self._work(who) as work:
            return work.session.scalar(
                select(Account.name).where(Account.id == account_id, work.scope.readable())
            )

    # -- Save to CRM -------------------------------------------------------------------

    def _open_save_message(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        who = self.people.person_id(_team_id(body), body["user"]["id"])
        if isinstance(who, Refusal):
            self._dm(body["user"]["id"], _refusal_reply(who))
            return
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id")
        author = message.get("user") or message.get("bot_id") or ""
        permalink = ""
        try:
            permalink = self.client.chat_getPermalink(
                channel=channel, message_ts=message.get("ts")
            ).get("permalink", "")
        except SlackApiError as error:
            log.warning("chat.getPermalink failed: %s", error.response.get("error"))
        meta = {
            **_meta(channel),
            "author": self._author_name(_team_id(body) or "", author),
            "permalink": permalink,
        }
        prefill = forms.Prefill(text=typed_text(message.get("text", ""), lambda u: u))
        self.client.views_open(
            trigger_id=body["trigger_id"], view=forms.view(forms.SAVE_MESSAGE, prefill, meta)
        )

    def _author_name(self, team_id: str, user_id: str) -> str:
        if not user_id.startswith(("U", "W")):
            return "an app"
        try:
            user = self.client.users_info(user=user_id)["user"]
        except SlackApiError:
            return user_id
        profile = user.get("profile") or {}
        return profile.get("real_name") or user.get("real_name") or user.get("name") or user_id

    # -- App Home ----------------------------------------------------------------------

    def _publish_home(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab") != "home":
            return
        user_id = event["user"]
        who = self.people.person_id(_team_id(body), user_id)
        if isinstance(who, Refusal):
            self.client.views_publish(user_id=user_id, view=_home(_refusal_reply(who)))
            return
        self._publish_home_for(user_id, who)

    def _publish_home_for(self, user_id: str, who: int) -> None:
        with self._work(who) as work:
            reply = mine_handler(work, Mine())
        self.client.views_publish(user_id=user_id, view=_home(reply))

    # -- answering ---------------------------------------------------------------------

    def _answer(self, reply: Reply, who: int, respond: Respond) -> None:
        if reply.duplicate:
            return
        _send(respond, reply)
        self._announce(reply, who)

    def _answer_somewhere(
        self,
        body: dict[str, Any],
        reply: Reply,
        respond: Respond | None,
        *,
        who: int | None = None,
        channel: str | None = None,
    ) -> None:
        """Through response_url when Slack gave one, else ephemerally, else in a DM."""
        if reply.duplicate:
            return
        user_id = body["user"]["id"]
        if respond is not None and body.get("response_url"):
            _send(respond, reply)
        elif channel:
            self.client.chat_postEphemeral(
                channel=channel,
                user=user_id,
                text=notification_text(reply),
                blocks=reply_blocks(reply),
            )
        else:
            self._dm(user_id, reply)
        if who is not None:
            self._announce(reply, who)

    def _announce(self, reply: Reply, who: int) -> None:
        """A write on an account with a linked channel is posted there too."""
        try:
            shared = announcement(self.app, reply, who)
        except (OperationalError, InterfaceError):
            # The person already has their answer; only the channel's copy is missed.
            log.warning("could not post to the account's channel: database unavailable")
            return
        if shared is None or reply.channel is None:
            return
        try:
            self.client.chat_postMessage(
                channel=reply.channel.lstrip("#"),
                text=notification_text(shared),
                blocks=reply_blocks(shared),
                unfurl_links=False,
            )
        except SlackApiError as error:
            log.warning("could not post to the account's channel: %s", error.response.get("error"))

    def _dm(self, user_id: str, reply: Reply) -> None:
        self.client.chat_postMessage(
            channel=user_id, text=notification_text(reply), blocks=reply_blocks(reply)
        )

    def _work(self, who: int) -> AbstractContextManager[Work]:
        """A unit of work for the adapter's own lookups (options, home, prefills)."""
        return self.app.runner.workplace.open(who, source=SOURCE)

    def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        error_id = uuid.uuid4().hex[:8]
        log.error("slack request failed [%s]: %s", error_id, type(error).__name__, exc_info=error)


def _ack(ack: Ack) -> None:
    ack()


def _prefixed(prefix: str) -> re.Pattern[str]:
    return re.compile("^" + re.escape(prefix))


def _team_id(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    if team is None:
        team = (body.get("user") or {}).get("team_id")
    return team


def _meta(channel: str | None) -> dict[str, Any]:
    return {"channel": channel} if channel else {}


def _meta_of(body: dict[str, Any]) -> dict[str, Any]:
    raw = (body.get("view") or {}).get("private_metadata") or "{}"
    try:
        meta = json.loads(raw)
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _with_origin(values: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """The saved message's text, followed by who wrote it and where it lives in Slack."""
    text_block = dict(values.get("text") or {})
    element = dict(next(iter(text_block.values()), {}))
    origin = f"— Slack message from {meta.get('author') or 'someone'}"
    if meta.get("permalink"):
        origin += f": {meta['permalink']}"
    element["value"] = f"{element.get('value') or ''}\n{origin}".strip()
    return {**values, "text": {"text": element}}


def _form_errors(view: dict[str, Any]) -> dict[str, str]:
    """What the person must fix before a form is accepted (block id → message)."""
    kind = view["callback_id"].removeprefix("crm:")
    accountless = forms.selected_account(view["state"]["values"]) is None
    if kind in (*forms.FORMS, forms.SAVE_MESSAGE) and accountless:
        return {"account": "Pick an account from the list."}
    return {}


def _refusal_reply(refusal: Refusal) -> Reply:
    return Reply(title=refusal.message, tone=Tone.WARNING)


def _send(respond: Respond, reply: Reply) -> None:
    respond(
        text=notification_text(reply),
        blocks=reply_blocks(reply),
        response_type="ephemeral",
        replace_original=False,
    )


def _home(reply: Reply) -> dict[str, Any]:
    return {"type": "home", "blocks": reply_blocks(reply, surface="home")}
