"""`relevo serve discord`: the gateway bot. discord.py's own machinery does the work —
an app_commands CommandTree holding the `/crm` group (built from the same subcommand
specs the HTTP endpoint registers), DynamicItem buttons that survive restarts, and
ui.Modal forms — while every answer comes from the core both paths share.
"""

from __future__ import annotations

import asyncio
import inspect
import keyword
import logging
import re
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, Optional

import discord
from discord import app_commands

from bot.bootstrap import App
from bot.discord import render
from bot.discord.config import DiscordConfig
from bot.discord.crm import (
    BOOLEAN,
    CHANNEL,
    INTEGER,
    SUBCOMMANDS,
    USER,
    Args,
    Option,
    Sub,
    localised,
)
from bot.discord.interactions import DiscordInteractions, focused, form, settled
from bot.ratelimit import slowed
from commands import metrics
from commands.reply import Reply, Tone
from hub.i18n import N_, _, reading_in

log = logging.getLogger(__name__)

_TYPES: dict[int, Any] = {
    INTEGER: int,
    BOOLEAN: bool,
    USER: discord.User,
    CHANNEL: discord.abc.GuildChannel,
}


class RelevoBot(discord.Client):
    """The gateway client. Interactions need no intent at all; `guilds` (not privileged)
    keeps discord.py's guild cache, which its interaction objects lean on."""

    def __init__(self, app: App, config: DiscordConfig) -> None:
        # discord.py builds every REST URL on Route.BASE: DISCORD_API_URL moves them all.
        discord.http.Route.BASE = config.api_url
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none())
        self.core = DiscordInteractions(app, config)
        self.config = config
        self.tree = app_commands.CommandTree(self)
        self.tree.add_command(crm_group(self))

    async def setup_hook(self) -> None:
        self.add_dynamic_items(CrmButton)
        await self.tree.set_translator(SpecTranslator())

    # -- the shared path, from discord.py's objects ------------------------------------

    def who(self, interaction: discord.Interaction) -> int | str:
        """The asking Person's id, or why they are refused (the catalogue's English)."""
        guild = str(interaction.guild_id) if interaction.guild_id else None
        refusal = self.core.refusal(guild)
        if refusal is not None or guild is None:
            return refusal or ""
        roles = [str(r.id) for r in getattr(interaction.user, "roles", [])]
        return self.core.person(
            guild, _user(interaction.user), roles, locale=interaction.locale.value
        )

    async def answer(
        self, interaction: discord.Interaction, work: Callable[[int, str], Reply]
    ) -> None:
        """Run `work(person, request key)`; answer now, or defer and follow up in time."""
        wait = await asyncio.to_thread(  # the shared limits are in the database: off the loop
            self.core.limiter.wait_needed,
            "discord",
            str(interaction.guild_id),
            str(interaction.user.id),
        )
        if wait:
            metrics.count_slowed("discord", str(getattr(interaction.command, "name", "") or ""))
            with reading_in(interaction.locale.value) as lang:
                await send(interaction, replace(slowed(wait), locale=lang))
            return
        who = await asyncio.to_thread(self.who, interaction)  # the database, off the loop
        if isinstance(who, str):
            await send(interaction, refused(interaction, who))
            return
        key = f"interaction:{interaction.id}"
        task = asyncio.ensure_future(asyncio.to_thread(work, who, key))
        done, _ = await asyncio.wait({task}, timeout=self.config.answer_budget)
        if done:
            await send(interaction, settled(task))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.wait({task})
        body = render.message(settled(task))
        try:
            await interaction.edit_original_response(
                embeds=[discord.Embed.from_dict(e) for e in body["embeds"]],
                view=view_of(body),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            log.warning("discord follow-up failed: %s", error.status)

    async def subcommand(
        self, interaction: discord.Interaction, sub: Sub, values: dict[str, Any]
    ) -> None:
        guild = str(interaction.guild_id or "")
        args: Args = {}
        for option in sub.options:
            value = values.get(option.name)
            if isinstance(value, discord.abc.User):
                value = await asyncio.to_thread(self.core.handle_of, guild, _user(value))
            elif isinstance(value, discord.abc.GuildChannel):
                value = f"#{value.id}"
            if value is not None:
                args[option.name] = value
        await self.answer(
            interaction, lambda who, key: self.core.run_command(sub.name, args, who, key)
        )

    async def autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        who = await asyncio.to_thread(self.who, interaction)
        if isinstance(who, str) or not current.strip():
            return []
        option, _typed = focused(dict(interaction.data or {}))
        found = await asyncio.to_thread(self.core.choices, who, option, current)
        return [app_commands.Choice(name=c["name"], value=c["value"]) for c in found]


class CrmButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"crm:(?P<kind>run|form):(?P<line>.*)"
):
    """A button carrying its /crm line in its custom_id: it works on any message, even
    one sent before a restart."""

    def __init__(
        self, kind: str, line: str, label: str = "…", style: int = render.SECONDARY
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle(style), custom_id=f"crm:{kind}:{line}"
            )
        )
        self.kind, self.line = kind, line

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> CrmButton:
        return cls(match["kind"], match["line"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, RelevoBot)
        if self.kind == "form":
            who = bot.who(interaction)
            if isinstance(who, str):
                await send(interaction, refused(interaction, who))
                return
            with reading_in(bot.core.locale_of(who)):
                modal = CrmForm(form(self.line))
            await interaction.response.send_modal(modal)
            return
        await bot.answer(interaction, lambda who, key: bot.core.run_line(self.line, who, key))


class CrmForm(discord.ui.Modal):
    """A form built from the shared modal definition; submitting runs it like the HTTP path."""

    def __init__(self, definition: dict[str, Any]) -> None:
        super().__init__(title=definition["title"], custom_id=definition["custom_id"])
        self.definition = definition
        for row in definition["components"]:
            field = row["components"][0]
            self.add_item(
                discord.ui.TextInput(
                    label=field["label"],
                    custom_id=field["custom_id"],
                    default=field.get("value"),
                    placeholder=field.get("placeholder"),
                    required=field["required"],
                    style=discord.TextStyle(field["style"]),
                )
            )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        assert isinstance(bot, RelevoBot)
        values = {
            item.custom_id: item.value
            for item in self.children
            if isinstance(item, discord.ui.TextInput)
        }
        custom_id = self.definition["custom_id"]
        await bot.answer(
            interaction, lambda who, key: bot.core.run_form(custom_id, values, who, key)
        )


class SpecTranslator(app_commands.Translator):
    """discord.py's way to localise a command tree: when the tree syncs, it asks its
    Translator for every name and description in every Discord locale. Our texts are
    not looked up here: each name and description of the tree is a `locale_str` whose
    extras carry the localisations the `/crm` specs already wrote (bot/discord/crm.py
    `localised`: the parser's Spanish verbs, the catalogue's texts), so the gateway's
    tree and the HTTP registration (`command_group`) say the same, from one place."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        localisations: dict[str, str] = string.extras.get("localisations") or {}
        return localisations.get(locale.value)


def _text(english: str, localisations: dict[str, str]) -> app_commands.locale_str:
    return app_commands.locale_str(english, localisations=localisations)


GROUP_DESCRIPTION = N_("Look up, log and hand over customers")


def crm_group(bot: RelevoBot) -> app_commands.Group:
    group = app_commands.Group(
        name=_text("crm", localised(lambda: "crm")),
        description=_text(GROUP_DESCRIPTION, localised(lambda: _(GROUP_DESCRIPTION))),
        guild_only=True,
    )
    for sub in SUBCOMMANDS:
        group.add_command(_command(bot, sub))
    return group


def _command(bot: RelevoBot, sub: Sub) -> app_commands.Command[Any, Any, None]:
    """An app command whose typed parameters are the subcommand's options."""
    python = {o.name: o.name + "_" if keyword.iskeyword(o.name) else o.name for o in sub.options}

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        named = {option: values.get(python[option]) for option in python}
        await bot.subcommand(interaction, sub, named)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        )
    ]
    for option in sub.options:
        kind: Any = _TYPES.get(option.kind, str)
        parameters.append(
            inspect.Parameter(
                python[option.name],
                inspect.Parameter.KEYWORD_ONLY,
                annotation=kind if option.required else Optional[kind],  # noqa: UP045
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = sub.name
    # Each parameter is renamed to its option's name, with the name as the reader's
    # client shows it: Discord sends the English name back, and discord.py passes the
    # value by it.
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        python[o.name]: _text(o.description, localised(partial(_, o.description)))
        for o in sub.options
    }
    callback.__discord_app_commands_param_rename__ = {  # type: ignore[attr-defined]
        python[o.name]: _text(o.name, localised(partial(o.shown_name, sub.name)))
        for o in sub.options
    }
    callback.__discord_app_commands_param_choices__ = {  # type: ignore[attr-defined]
        python[o.name]: _choices(o) for o in sub.options if o.choices
    }
    command: app_commands.Command[Any, Any, None] = app_commands.Command(
        name=_text(sub.name, localised(sub.shown_name)),
        description=_text(sub.description, localised(lambda: _(sub.description))),
        callback=callback,
    )
    for option in sub.options:
        if option.autocomplete:
            command.autocomplete(python[option.name])(bot.autocomplete)
    return command


def _choices(option: Option) -> list[app_commands.Choice[str]]:
    """An option's choices: the value is what the command reads, the name what a client
    shows (in its language when the choice is a word)."""
    return [
        app_commands.Choice(name=_text(value, option.choice_localisations(value)), value=value)
        for value in option.choices
    ]


def refused(interaction: discord.Interaction, refusal: str) -> Reply:
    """A refusal, in the language of the client asking (we don't know who they are)."""
    with reading_in(interaction.locale.value) as lang:
        return Reply(title=_(refusal), tone=Tone.WARNING, locale=lang)


async def send(interaction: discord.Interaction, reply: Reply) -> None:
    body = render.message(reply)
    await interaction.response.send_message(
        embeds=[discord.Embed.from_dict(e) for e in body["embeds"]],
        view=view_of(body),
        ephemeral=not reply.shared,
        allowed_mentions=discord.AllowedMentions.none(),
    )


def view_of(body: dict[str, Any]) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for row, components in enumerate(body.get("components") or []):
        for button in components["components"]:
            kind, _, line = button["custom_id"].removeprefix("crm:").partition(":")
            item = CrmButton(kind, line, button["label"], button["style"])
            item.row = row
            view.add_item(item)
    return view


def _user(user: discord.abc.User) -> dict[str, Any]:
    return {"id": str(user.id), "username": user.name, "global_name": user.global_name}


def run(app: App, config: DiscordConfig) -> None:
    """Connect to the gateway and serve until stopped."""
    RelevoBot(app, config).run(config.bot_token, log_handler=None)


async def sync(app: App, config: DiscordConfig, guild: int | None) -> list[str]:
    """Register the `/crm` group with Discord (for one guild: at once; globally: Discord
    may take a while to show it everywhere). Returns the registered command names."""
    bot = RelevoBot(app, config)
    try:
        await bot.login(config.bot_token)
        if guild:
            target = discord.Object(id=guild)
            bot.tree.copy_global_to(guild=target)
            registered = await bot.tree.sync(guild=target)
        else:
            registered = await bot.tree.sync()
        return [command.name for command in registered]
    finally:
        await bot.close()
