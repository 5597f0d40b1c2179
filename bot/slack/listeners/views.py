"""Forms: the account picker's options as the person types, and a submitted form, which
becomes the typed command commands/forms.py makes of its values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.slack import forms
from bot.slack.pipeline import HELD, PERSON_ID, SOURCE
from bot.slack.requests import meta_of, team_id
from commands import forms as specs
from commands.suggest import readable_account_name, suggestions
from hub.i18n import N_, _, reading_in

if TYPE_CHECKING:
    from bot.slack.app import SlackBot

OPTIONS_SHOWN = 20
PICK_AN_ACCOUNT = N_("Pick an account from the list.")


def register(bot: SlackBot) -> None:
    from bot.slack.listeners import prefixed

    def account_options(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        """Accounts the person may see whose names match what they typed, best first."""
        if HELD in context:
            ack(options=[])
            return
        with bot.app.runner.workplace.open(context[PERSON_ID], source=SOURCE) as work:
            found = suggestions(
                work, bot.app.runner.search, body.get("value") or "", limit=OPTIONS_SHOWN
            )
        ack(options=[forms.account_option(s) for s in found])

    def ack_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
        errors = form_errors(view)
        if errors:
            with reading_in(bot.people.locale(context.get(PERSON_ID))):
                said = {block: _(message) for block, message in errors.items()}
            ack(response_action="errors", errors=said)
            return
        ack()

    def run_submission(body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        if form_errors(view):
            return  # Bolt runs lazy listeners even after an errors ack; the form stays open
        if HELD in context:
            if context[HELD].wait:  # a refusal was said when the form opened
                bot.answers.somewhere(body, context[HELD].reply(), None)
            return
        who: int = context[PERSON_ID]
        form = specs.FORMS[view["callback_id"].removeprefix("crm:")]
        values = view["state"]["values"]
        meta = meta_of(body)
        key = f"view:{view['id']}"
        submitted = forms.submitted(form, values)
        if form.name == specs.LINE:
            line = submitted.get("line") or ""
            reply = bot.app.runner.run(line, person_id=who, source=SOURCE, request_key=key)
        else:
            with bot.app.runner.workplace.open(who, source=SOURCE) as work:
                account = readable_account_name(work, forms.selected_account(values))
            submitted["account"] = account or ""
            if submitted.get("to"):
                submitted["to"] = "@" + bot.people.handle(team_id(body) or "", submitted["to"])
            if form.name == specs.SAVE_MESSAGE:
                submitted["text"] = with_origin(
                    submitted.get("text") or "", meta, bot.app.settings.locale
                )
            build, typed = specs.command_from(form, submitted)
            reply = bot.app.runner.execute(
                build, typed=typed, person_id=who, source=SOURCE, request_key=key
            )
        bot.answers.somewhere(body, reply, None, who=who, channel=meta.get("channel"))

    bot.bolt.options(forms.ACCOUNT_PICKER)(account_options)
    bot.bolt.view({"callback_id": prefixed("crm:"), "type": "view_submission"})(
        ack=ack_submission, lazy=[run_submission]
    )


def with_origin(text: str, meta: dict[str, Any], locale: str) -> str:
    """The saved message's text, followed by who wrote it and where it lives in Slack,
    in `locale` (the hub's: the note is everyone's)."""
    with reading_in(locale):
        author = meta.get("author") or _("someone")
        if meta.get("permalink"):
            origin = _(
                "— Slack message from {author}: {permalink}",
                author=author,
                permalink=meta["permalink"],
            )
        else:
            origin = _("— Slack message from {author}", author=author)
    return f"{text}\n{origin}".strip()


def form_errors(view: dict[str, Any]) -> dict[str, str]:
    """What the person must fix before a form is accepted (block id → its message, in
    English: `_` it for the person)."""
    form = specs.FORMS.get(view["callback_id"].removeprefix("crm:"))
    accountless = forms.selected_account(view["state"]["values"]) is None
    if form is not None and form.name != specs.LINE and accountless:
        return {"account": PICK_AN_ACCOUNT}
    return {}
