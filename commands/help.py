"""Usage and examples for every command: shown by `help` and after every malformed line.

Each is a text of the catalogue, so a reader sees the commands in their language: the
usage lines and examples of a language name the verbs and option keys by the names the
parser reads in it (commands/verbs.py), so every line shown can be typed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hub import i18n
from hub.i18n import _, pgettext


@dataclass(frozen=True)
class Topic:
    usage: str
    summary: str
    examples: tuple[str, ...]


def _written() -> dict[str, Topic]:
    """Every command's help, in the reader's language."""
    return {
        "whois": Topic(
            pgettext("help usage", "whois <account, contact or @colleague>"),
            _(
                "Everything about a customer at a glance: owner and cover, contacts, agreements, "
                "complaints, deals, last interactions, next follow-up. A contact: their details, "
                "accounts and what was said with them. @colleague (or a colleague's full name, "
                "when "
                "no account or contact has it): where they are, who covers, their book and what is "
                "urgent on it today."
            ),
            (
                pgettext("help example", "whois acme"),
                pgettext("help example", "whois María López"),
                pgettext("help example", "whois @ana"),
            ),
        ),
        "find": Topic(
            pgettext(
                "help usage",
                "find [text] [type:account/contact/interaction/agreement/complaint/deal/triage] "
                "[owner:@x] [tier:A/B/C] [status:…] [stage:…] [industry:…] [country:…] "
                "[size:…] [source:…] [page:N]",
            ),
            _(
                "Search accounts, contacts, interactions, agreements, complaints and deals; a "
                "phrase in double quotes is searched as a phrase. status: is a record's own (a "
                "complaint's open/resolved, an agreement's open/kept/broken, an account's), and "
                "its "
                "account's for contacts, interactions and deals; stage: finds deals. Without text, "
                "it lists (find type:account: every account you may see). Ten a page: More, or "
                "page:2. Managers also find unmatched e-mails in triage."
            ),
            (
                pgettext("help example", "find invoice"),
                pgettext("help example", 'find "renewal quote" type:interaction owner:@ana'),
                pgettext("help example", "find type:complaint status:open"),
                pgettext("help example", "find type:account page:2"),
                pgettext(
                    "help example", "find industry:retail country:ES size:51-200 source:referral"
                ),
            ),
        ),
        "timeline": Topic(
            pgettext(
                "help usage",
                "timeline <account> [type:interaction/agreement/complaint/deal/handover] "
                "[since:<date>] [page:N]",
            ),
            _(
                "An account's whole history, newest first, ten a page (More, or page:2): every "
                "interaction, agreement, complaint, deal stage change and handover, with its id."
            ),
            (
                pgettext("help example", "timeline acme"),
                pgettext("help example", "timeline acme type:complaint since:2026-01-01"),
                pgettext("help example", "timeline acme page:2"),
            ),
        ),
        "account": Topic(
            pgettext(
                "help usage",
                "account <name> [tier:A/B/C] [owner:@x] [domain:…] "
                "[visibility:public/team/private] "
                "[status:prospect/active/paused/churned] [alias:…] [team:…] [channel:#…] "
                "[rename:…] [industry:…] [country:…] [region:…] [size:…] [revenue:…] "
                "[source:…] [campaign:…] "
                "[new:yes]",
            ),
            _(
                "Create an account, or update the one with that name or alias. A name that only "
                "partly matches accounts you see asks which to update, or whether to create it: "
                "new:yes creates it without asking. rename: takes the words after it."
            ),
            (
                pgettext("help example", 'account "Acme Corp" tier:A domain:acme.com'),
                pgettext("help example", "account Acme visibility:private"),
                pgettext("help example", "account globex rename:Globex Corporation"),
                pgettext("help example", "account tyrell new:yes"),
                pgettext(
                    "help example",
                    "account acme industry:retail country:ES region:Madrid size:51-200 "
                    'revenue:2M source:referral campaign:"Feria 2026"',
                ),
            ),
        ),
        "contact": Topic(
            pgettext(
                "help usage", "contact <account> <name> [role:…] [title:…] [email:…] [phone:…]"
            ),
            _("Create or update a contact and the role they play at the account."),
            (
                pgettext(
                    "help example",
                    'contact "Acme Corp" "María López" role:"decision maker" email:maria@acme.com',
                ),
                pgettext(
                    "help example",
                    'contact acme "José Ángel Muñoz" role:champion phone:+34 611 222 333',
                ),
            ),
        ),
        "log": Topic(
            pgettext(
                "help usage",
                "log <account> [call/email/meeting/chat/web/visit] <text> [with <contact>]",
            ),
            _(
                "Record an interaction in the account's timeline. A date or time first says when "
                "it "
                "happened (ayer, el lunes, yesterday 16:00); one still to come stays in the text."
            ),
            (
                pgettext(
                    "help example",
                    "log acme call Agreed to send the new price list with María López",
                ),
                pgettext("help example", "log acme call ayer a las 16h Confirmed the renewal"),
            ),
        ),
        "agree": Topic(
            pgettext("help usage", "agree <account> <text> [due <date>]"),
            _(
                "Record an agreement: what was promised, by whom, until when. A date first says "
                "when it was agreed (ayer, el lunes), never later than now."
            ),
            (
                pgettext("help example", "agree acme Send revised quote due next friday"),
                pgettext("help example", "agree acme ayer Enviar oferta"),
            ),
        ),
        "complaint": Topic(
            pgettext(
                "help usage", "complaint <account> <text> [severity:low/medium/high/critical]"
            ),
            _(
                "Open a complaint; its resolution time (SLA) follows its severity and runs from "
                "when it was made: a date first (yesterday 16:00) says when, never later than now."
            ),
            (pgettext("help example", "complaint acme Invoices arrive twice severity:high"),),
        ),
        "resolve": Topic(
            pgettext("help usage", "resolve <id> [note]"),
            _("Close a complaint: its id is C12 (or just 12)."),
            (pgettext("help example", "resolve C12 Credit note sent"),),
        ),
        "kept": Topic(
            pgettext("help usage", "kept <id>"),
            _("Mark an agreement (A7, or just 7) as kept: it no longer falls due."),
            (pgettext("help example", "kept A7"),),
        ),
        "broken": Topic(
            pgettext("help usage", "broken <id> [why]"),
            _("Mark an agreement (A7, or just 7) as broken, with why: it no longer falls due."),
            (pgettext("help example", "broken A7 The carrier lost the parts"),),
        ),
        "deal": Topic(
            pgettext(
                "help usage",
                "deal <account> <title> [amount:…] [stage:lead/qualified/proposal/negotiation] "
                "[close:<date>] [source:…] [campaign:…]",
            ),
            _("Open a deal in the pipeline."),
            (
                pgettext(
                    "help example",
                    "deal acme Renewal 2027 amount:48k stage:proposal close:2027-01-31",
                ),
                pgettext(
                    "help example", 'deal globex "Pilot US" amount:5000 USD close:next friday'
                ),
            ),
        ),
        "stage": Topic(
            pgettext("help usage", "stage <id> <stage>"),
            _("Move a deal (D7, or just 7) to another stage."),
            (pgettext("help example", "stage D7 negotiation"),),
        ),
        "won": Topic(
            pgettext("help usage", "won <id>"),
            _("Mark a deal (D7, or just 7) as won."),
            (pgettext("help example", "won D7"),),
        ),
        "lost": Topic(
            pgettext("help usage", "lost <id> [reason]"),
            _("Mark a deal (D7, or just 7) as lost, with why."),
            (pgettext("help example", "lost D7 went with a competitor"),),
        ),
        "remind": Topic(
            pgettext("help usage", "remind <when> <text> [about <account>] [for @x]"),
            _(
                "A follow-up, delivered in the daily reminder. The account may also come first. "
                "Times as you write them: 9am, 10.30, 10,30, 15h30, 15:30h, a las 10 y media, "
                "menos "
                "cuarto, esta tarde, a mediodía, en 1h. A person by @handle, @first-name or full "
                "name, quotes optional. About words that are no account you see, it asks which "
                "account, or whether to save it without one; quotes around the text keep its about "
                "as text."
            ),
            (
                pgettext("help example", "remind tomorrow 9am call María about Acme"),
                pgettext("help example", "remind martes 10.30 llamar a Jorge"),
                pgettext("help example", "remind friday about Acme send the contract"),
                pgettext("help example", "remind el lunes send the contract for @luis"),
                pgettext("help example", "remind mañana llamar a Jorge about Acme for @Marta Ruiz"),
                pgettext("help example", 'remind mañana "llamar about the renewal"'),
            ),
        ),
        "done": Topic(
            pgettext("help usage", "done <id>"),
            _("Mark a follow-up (F5, or just 5) as done."),
            (pgettext("help example", "done F5"),),
        ),
        "snooze": Topic(
            pgettext("help usage", "snooze <id> <when>"),
            _(
                "Move a follow-up (F5, or just 5) later: to a moment, or by a length of time from "
                "now (1h, 30m, 2 días, una semana, 2 days, 1 week)."
            ),
            (
                pgettext("help example", "snooze F5 next monday"),
                pgettext("help example", "snooze F5 1h"),
            ),
        ),
        "handover": Topic(
            pgettext(
                "help usage",
                "handover <account…or @x> to @y [until <date>] [for good] [anyway] [note]",
            ),
            _(
                "Give accounts to a colleague, for good or until a date. A person by @handle, "
                "@first-name (asked which when two share it) or full name, quotes optional. A "
                "whole "
                "book for good, or a handover to someone away, is asked about first."
            ),
            (
                pgettext(
                    "help example", "handover acme to @luis until friday she knows the renewal"
                ),
                pgettext("help example", "handover @ana to @luis for good"),
                pgettext("help example", 'handover "Pied Piper" to @Marta Ruiz until mañana'),
            ),
        ),
        "away": Topic(
            pgettext("help usage", "away <from> <to> [cover @y] [replace/extend] | away cancel"),
            _(
                "Tell Relevo you are away; your cover sees and receives your work meanwhile. Over "
                "an absence you already have, say replace or extend (or it asks). away cancel "
                "cancels your next planned absence."
            ),
            (
                pgettext("help example", "away 2026-12-01 2026-12-12 cover @luis"),
                pgettext("help example", "away tomorrow to friday cover @Marta Ruiz"),
                pgettext("help example", "away cancel"),
            ),
        ),
        "back": Topic(
            pgettext("help usage", "back"),
            _(
                "End your current absence (says what is still handed over), or cancel the next "
                "planned one."
            ),
            (pgettext("help example", "back"),),
        ),
        "mine": Topic(
            pgettext("help usage", "mine"),
            _(
                "Your day: tasks due, agreements due, accounts you own or cover, complaints over "
                "SLA."
            ),
            (pgettext("help example", "mine"),),
        ),
        "digest": Topic(
            pgettext("help usage", "digest [now]"),
            _(
                "The last scheduled weekly digest (Monday's), of what you may see: the week's "
                "pipeline and forecast, deals closing this month, won and lost with reasons, "
                "accounts at risk and the per-seller table. With now: the live one of the last "
                "7 days, as channels get it (public accounts only), which Discord posts where "
                "you ask for it."
            ),
            (
                pgettext("help example", "digest"),
                pgettext("help example", "digest now"),
            ),
        ),
        "report": Topic(
            pgettext(
                "help usage",
                "report <what> [period] [since:<date>] [until:<date>] [owner:@x] [team:…] [tier:…] "
                "[page:N] [by:…]",
            ),
            _(
                "A report of what you may see, over a period: this month, last quarter, last 30 "
                "days, 2026, Q3 (each report has its own if none is said). complaints: by "
                "severity and account, with SLA compliance and time to resolve. pipeline: the "
                "open deals by stage (count, amount, weighted), how the deals that entered each "
                "stage in the period moved on and were won, where deals were lost and why, and "
                "the days spent in each stage and to win (this quarter unless said). forecast: "
                "the open deals due to close this month and this quarter, one row each (a month "
                "typed also shows its quarter; any other period is one row), weighted and best "
                "case, beside what was won then and in the same days a year before, with the "
                "deals. "
                "sellers: per "
                "owner, open and weighted pipeline, won and lost in the period, win rate, overdue "
                "follow-ups, complaints over SLA and accounts untouched for 30 days (this month "
                "unless said). risk: every account at risk now (complaints over SLA, no contact "
                "for longer than its tier allows, deals past their close date, overdue "
                "agreements), with why, 20 a page (page:2). segments: one row per industry "
                "(by:tier, by:country, by:region, by:size) with its accounts, customers (accounts "
                "with a won deal), customer value (won in the period), open pipeline, complaints "
                "opened in the period and churned accounts (the last 12 months unless said). "
                "sources: by lead source and by campaign (a deal's own, else its account's), the "
                "accounts created in the period (leads) and the web-form leads, the deals opened "
                "in the period, how many of those are won and for how much, conversion and the "
                "average won deal (the last 12 months unless said)."
            ),
            (
                pgettext("help example", "report complaints"),
                pgettext("help example", "report complaints last month team:Service"),
            ),
        ),
        "subscribe": Topic(
            pgettext("help usage", "subscribe <#channel> daily/weekly [language:en/es]"),
            _(
                "Send pipeline digests to a channel, in its language (without language:, the "
                "hub's)."
            ),
            (
                pgettext("help example", "subscribe #sales weekly"),
                pgettext("help example", "subscribe #ventas weekly language:es"),
            ),
        ),
        "unsubscribe": Topic(
            pgettext("help usage", "unsubscribe <#channel>"),
            _("Stop digests to a channel."),
            (pgettext("help example", "unsubscribe #sales"),),
        ),
        "undo": Topic(
            pgettext("help usage", "undo [U17]"),
            _(
                "Revert your last write if it is under 15 minutes old, saying what it reverted; "
                "again for the one before. Undo buttons name the change (U17)."
            ),
            (pgettext("help example", "undo"),),
        ),
        "edit": Topic(
            pgettext(
                "help usage", "edit <id> [new text] [due:<date>] [when:<moment>] [severity:…]"
            ),
            _(
                "Correct an interaction (N9), agreement (A7), complaint (C3) or follow-up (F5): "
                "its "
                "text, an agreement's due date, when an interaction happened or a follow-up is "
                "due, "
                "a complaint's severity. The card says “edited”. Allowed to the author, the "
                "account's owner or cover, and managers."
            ),
            (
                pgettext("help example", "edit N9 Called Ana back, she confirmed"),
                pgettext("help example", "edit A7 due:next friday"),
                pgettext("help example", "edit F5 when:lunes 10h"),
            ),
        ),
        "delete": Topic(
            pgettext("help usage", "delete <id>"),
            _(
                "Remove an interaction, agreement, complaint, follow-up or deal from everything "
                "(search too). It is kept for the audit trail; an admin can restore it."
            ),
            (pgettext("help example", "delete N9"),),
        ),
        "restore": Topic(
            pgettext("help usage", "restore <id>"),
            _("Bring back a deleted record as it was (admins)."),
            (pgettext("help example", "restore N9"),),
        ),
        "help": Topic(
            pgettext("help usage", "help [command]"),
            _(
                "This help. Ids name their kind: D12 a deal, C3 a complaint, A7 an agreement, F5 a "
                "follow-up, N9 an interaction, U17 a change undo takes; a mistyped command is "
                "answered with the corrected line."
            ),
            (pgettext("help example", "help log"),),
        ),
    }


@cache
def _topics_in(language: str) -> dict[str, Topic]:
    with i18n.reading_in(language):
        return _written()


def topics() -> dict[str, Topic]:
    """Every command's help in the reader's language, in the order `help` lists them."""
    return _topics_in(i18n.current())


# The commands with a help page, by their English name, as written in English.
TOPICS: dict[str, Topic] = _topics_in(i18n.DEFAULT)
