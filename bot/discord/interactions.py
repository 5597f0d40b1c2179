"""Discord interactions, whoever delivers them: the HTTP endpoint or the gateway.

`DiscordInteractions.handle` takes an interaction payload and returns the interaction
response Discord expects. Commands become the same typed commands as everywhere else.
Work that may outlast Discord's 3-second window is deferred: the response says "thinking"
and the answer follows through the interaction's webhook (valid for 15 minutes).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace
from datetime import datetime
from typing import Any

from discord.enums import ComponentType, InteractionResponseType, TextStyle
from sqlalchemy.orm import Session

from bot.announce import announcement
from bot.bootstrap import App
from bot.discord import http, render
from bot.discord.config import DiscordConfig
from bot.discord.crm import BY_NAME, CHANNEL, USER, Args
from bot.discord.shape import AUTOCOMPLETE, COMMAND, COMPONENT, PING
from bot.ratelimit import slowed
from commands import forms as specs
from commands import metrics
from commands import types as t
from commands.dates import DateReader
from commands.reply import Reply, Tone
from commands.runner import crash_reply
from commands.suggest import ACCOUNT, CONTACT, suggestions
from hub.i18n import N_, _, reading_in
from hub.identities import ChatProfile, known_identity, person_for
from hub.models import Person, Role
from hub.people import role_given_by, set_role

log = logging.getLogger(__name__)
SOURCE = "discord"
BY_ROLE = "discord role"  # how a manager made by the configured Discord role is audited
# How we answer (what Discord sends is numbered in bot/discord/shape.py).
PONG = InteractionResponseType.pong.value
DEFERRED = InteractionResponseType.deferred_channel_message.value
CHOICES = InteractionResponseType.autocomplete_result.value
MODAL = InteractionResponseType.modal.value
ACTION_ROW = ComponentType.action_row.value
TEXT_INPUT = ComponentType.text_input.value
SHORT, PARAGRAPH = TextStyle.short.value, TextStyle.paragraph.value
SUGGESTIONS = 25  # Discord shows at most 25 choices

NOT_HERE = N_("Relevo isn't set up for this server, so I can't show or save anything here.")
NO_DMS = N_("Relevo works in the servers it is set up for, not in direct messages.")


def settled(done: Future[Reply] | asyncio.Future[Reply]) -> Reply:
    """A finished piece of work's reply (a thread's or a coroutine's future); an apology,
    never a stack trace, if the work broke."""
    error = done.exception()
    return crash_reply(error, "") if error is not None else done.result()


class DiscordInteractions:
    def __init__(self, app: App, config: DiscordConfig) -> None:
        self.app = app
        self.config = config
        self.budget = config.answer_budget
        self.limiter = app.limiter
        self.executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="discord")

    def handle(self, payload: dict[str, Any]) -> dict[str, Any]:
        kind = payload.get("type")
        if kind == PING:
            return {"type": PONG}
        # Discord sends the client's language with every interaction ("es-ES"): until we
        # know who asks, answers are in it.
        client = payload.get("locale")
        refusal = self.refusal(payload.get("guild_id"))
        if refusal is not None:
            if kind == AUTOCOMPLETE:
                return {"type": CHOICES, "data": {"choices": []}}
            with reading_in(client) as lang:
                return render.response(Reply(title=_(refusal), tone=Tone.WARNING, locale=lang))
        member = payload.get("member") or {}
        user = member.get("user") or {}
        if kind != AUTOCOMPLETE:
            wait = self.limiter.wait_needed(SOURCE, payload["guild_id"], str(user.get("id")))
            if wait:
                sub = (payload.get("data") or {}).get("options") or [{}]
                metrics.count_slowed(SOURCE, str(sub[0].get("name") or ""))
                with reading_in(client) as lang:
                    return render.response(replace(slowed(wait), locale=lang))
        who = self.person(payload["guild_id"], user, member.get("roles") or [], locale=client)
        if kind == AUTOCOMPLETE:
            choices = self.choices(who, *focused(payload["data"]))
            return {"type": CHOICES, "data": {"choices": choices}}
        if kind == COMPONENT and payload["data"]["custom_id"].startswith(render.FORM):
            with reading_in(self.locale_of(who)):
                line = payload["data"]["custom_id"].removeprefix(render.FORM)
                return {"type": MODAL, "data": form(line)}
        return self._in_time(payload, lambda: self._reply(payload, who))

    # -- who is asking -------------------------------------------------------------------

    def refusal(self, guild: str | None) -> str | None:
        """Why this server (or a DM) is not served, as the catalogue's English text (shown
        with `_`, in the client's language); None when it is."""
        if not guild:
            return NO_DMS
        return None if guild in self.config.guild_ids else NOT_HERE

    def person(
        self, guild: str, user: dict[str, Any], roles: list[str], *, locale: str | None = None
    ) -> int:
        """Our Person for a member of a served guild (made on first use). `locale` is the
        language of the client they asked from: a Person with no language of their own
        takes it (hub.identities), so a Spanish client gets Spanish from the first command."""
        now = self.app.runner.clock.now()
        with self.app.database.unit_of_work() as session:
            identity = known_identity(session, SOURCE, guild, str(user["id"]), now)
            person = (
                identity.person
                if identity
                else person_for(session, _profile(guild, user, locale), now)
            )
            self._apply_role(session, person, roles, now)
            return person.id

    def _apply_role(
        self, session: Session, person: Person, roles: list[str], now: datetime
    ) -> None:
        """The configured Discord role makes a manager; losing it makes a member again,
        unless the manager role was given another way (`relevo people set --role`)."""
        if self.config.manager_role is None or person.role == Role.ADMIN:
            return
        if self.config.manager_role in roles:
            set_role(session, person, Role.MANAGER, by=BY_ROLE, now=now)
        elif person.role == Role.MANAGER and role_given_by(session, person) == BY_ROLE:
            set_role(session, person, Role.MEMBER, by=BY_ROLE, now=now)

    def handle_of(self, guild: str, user: dict[str, Any]) -> str:
        """`@handle` of a member named in an option (their Person, made if needed; the
        asker's client says nothing of their language)."""
        now = self.app.runner.clock.now()
        with self.app.database.unit_of_work() as session:
            return "@" + person_for(session, _profile(guild, user, None), now).handle

    def locale_of(self, who: int) -> str:
        """The language `who` reads: their own, else the hub's (as the runner decides)."""
        with self.app.database.unit_of_work() as session:
            person = session.get(Person, who)
            own = person.locale if person is not None else None
        return own or self.app.settings.locale

    # -- answers -----------------------------------------------------------------------

    def _reply(self, payload: dict[str, Any], who: int) -> Reply:
        data, key = payload["data"], f"interaction:{payload['id']}"
        if payload["type"] == COMMAND:
            sub = (data.get("options") or [{}])[0]
            args = self._args(payload, sub.get("options") or [])
            return self.run_command(sub["name"], args, who, key)
        if payload["type"] == COMPONENT:
            return self.run_line(data["custom_id"].removeprefix(render.RUN), who, key)
        values = {
            field["custom_id"]: field.get("value") or ""
            for row in data.get("components") or []
            for field in row.get("components") or []
        }
        return self.run_form(data["custom_id"], values, who, key)

    def run_command(self, name: str, args: Args, who: int, key: str) -> Reply:
        """A `/crm` subcommand with its options, as the typed command the parser makes."""
        spec = BY_NAME[name]

        def build(dates: DateReader) -> t.Command:
            # Discord enforces required options, but a form's field of spaces arrives
            # empty: say what is missing rather than fail.
            missing = [
                o.shown_name(name) for o in spec.options if o.required and not args.get(o.name)
            ]
            if missing:
                raise t.Usage(_("Fill in {options}.", options=", ".join(missing)), topic=name)
            return spec.build(args, dates)

        reply = self.app.runner.execute(
            build,
            typed=spec.typed(args),
            person_id=who,
            source=SOURCE,
            request_key=key,
        )
        self.announce(reply, who)
        return reply

    def run_line(self, line: str, who: int, key: str) -> Reply:
        """A button's /crm line."""
        reply = self.app.runner.run(line, person_id=who, source=SOURCE, request_key=key)
        self.announce(reply, who)
        return reply

    def run_form(self, custom_id: str, values: dict[str, str], who: int, key: str) -> Reply:
        """A submitted form: the fields of log/agree/complaint/handover, or a whole line."""
        form = specs.FORMS.get(custom_id.removeprefix("crm:modal:"), specs.FORMS[specs.LINE])
        if form.name == specs.LINE:
            return self.run_line(values.get("line", ""), who, key)
        build, typed = specs.command_from(form, values)
        reply = self.app.runner.execute(
            build, typed=typed, person_id=who, source=SOURCE, request_key=key
        )
        self.announce(reply, who)
        return reply

    def _args(self, payload: dict[str, Any], options: list[dict[str, Any]]) -> Args:
        """The options' values by name. Discord sends an option's English name whatever
        the client's language (localised names are only shown), so they read as given."""
        resolved = (payload["data"].get("resolved") or {}).get("users") or {}
        args: Args = {}
        for option in options:
            value = option.get("value")
            if option.get("type") == USER:  # a user: their Person's @handle
                value = self.handle_of(payload["guild_id"], resolved.get(value, {"id": value}))
            elif option.get("type") == CHANNEL:  # a channel: its id, which posting needs
                value = f"#{value}"
            args[option["name"]] = value
        return args

    def _in_time(self, payload: dict[str, Any], work: Any) -> dict[str, Any]:
        """Answer now if the work is done within the budget, else defer and follow up."""
        future: Future[Reply] = self.executor.submit(work)
        try:
            future.exception(timeout=self.budget)  # waits; raises only on timeout
        except FutureTimeout:
            future.add_done_callback(lambda done: self._follow_up(payload, done))
            return {"type": DEFERRED, "data": {"flags": render.EPHEMERAL}}
        return render.response(settled(future))

    def _follow_up(self, payload: dict[str, Any], done: Future[Reply]) -> None:
        url = (
            f"{self.config.api_url}/webhooks/{self.config.application_id}/"
            f"{payload['token']}/messages/@original"
        )
        body = render.message(settled(done))
        for attempt in (1, 2):  # a passing network fault must not leave "thinking…" on
            try:
                self._send("PATCH", url, body, auth=False)
                return
            except Exception as error:
                log.warning("discord follow-up failed (%d/2): %s", attempt, type(error).__name__)
                time.sleep(1)

    def announce(self, reply: Reply, who: int) -> None:
        """A write on an account with a linked channel is posted there too."""
        shared = announcement(self.app, reply, who) if self.config.bot_token else None
        if shared is None or reply.channel is None:
            return
        url = f"{self.config.api_url}/channels/{reply.channel.lstrip('#')}/messages"
        try:
            self._send("POST", url, render.message(shared), auth=True)
        except Exception as error:
            log.warning("could not post to the account's channel: %s", type(error).__name__)

    def _send(self, method: str, url: str, body: dict[str, Any], *, auth: bool) -> None:
        headers = {"Content-Type": "application/json", "User-Agent": "Relevo (relevo, 1)"}
        if auth:
            headers["Authorization"] = f"Bot {self.config.bot_token}"
        answer = http.client().request(
            method, url, content=json.dumps(body).encode(), headers=headers, timeout=10
        )
        answer.raise_for_status()

    # -- autocomplete ------------------------------------------------------------------

    def choices(self, who: int, option: str, typed: str) -> list[dict[str, str]]:
        """What the person may see that matches what they typed in `option` (at most 25):
        contacts for `with`, accounts and contacts for whois' `query`, else accounts."""
        kinds = {"with": (CONTACT,), "query": (ACCOUNT, CONTACT)}.get(option, (ACCOUNT,))
        with self.app.runner.workplace.open(who, source=SOURCE) as work:
            found = suggestions(work, self.app.runner.search, typed, kinds, limit=SUGGESTIONS)
        # A choice's value is what the command names it by; Discord takes 100 characters.
        return [
            {"name": render.cut(s.label, 100), "value": s.name} for s in found if len(s.name) <= 100
        ]


def _profile(guild: str, user: dict[str, Any], locale: str | None) -> ChatProfile:
    """A member as a chat profile; `locale` is the language of the client they used (an
    interaction's `locale`: the user object of a guild member carries none)."""
    return ChatProfile(
        platform=SOURCE,
        workspace=guild,
        external_id=str(user["id"]),
        name=user.get("global_name") or user.get("username") or str(user["id"]),
        locale=locale,
    )


def focused(data: dict[str, Any]) -> tuple[str, str]:
    """The option being typed in an autocomplete interaction, and what is typed so far."""
    for option in (data.get("options") or [{}])[0].get("options") or []:
        if option.get("focused"):
            return str(option.get("name") or ""), str(option.get("value") or "")
    return "", ""


def form(line: str) -> dict[str, Any]:
    """The modal a button whose line wants more words opens, prefilled from the line; its
    words in the reading language (a text the form spec marked, or one already written in
    it, which the catalogue leaves as it is)."""
    spec, values = specs.form_for(line)
    return {
        "custom_id": f"crm:modal:{spec.name}",
        "title": _(spec.title),
        "components": [
            {"type": ACTION_ROW, "components": [_text_input(field, values)]}
            for field in spec.fields
        ],
    }


def _text_input(field: specs.Field, values: dict[str, str]) -> dict[str, Any]:
    """A field as Discord's modals ask it: text, with its choices or an example shown."""
    short = field.input != specs.Input.TEXT
    text: dict[str, Any] = {
        "type": TEXT_INPUT,
        "custom_id": field.name,
        "label": _(field.label)[:45],
        "style": SHORT if short else PARAGRAPH,
        "required": field.required,
    }
    hint = ", ".join(field.choices) if field.choices else field.hint and _(field.hint)
    if hint:
        text["placeholder"] = hint[:100]
    value = values.get(field.name) or field.default
    if value:
        text["value"] = value[:4000]
    return text
