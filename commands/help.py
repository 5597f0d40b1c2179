"""Usage and examples for every command: shown by `help` and after every malformed line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    usage: str
    summary: str
    examples: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    "whois": Topic(
        "whois <account, contact or @colleague>",
        "Everything about a customer at a glance: owner and cover, contacts, agreements, "
        "complaints, deals, last interactions, next follow-up. A contact: their details, "
        "accounts and what was said with them. @colleague (or a colleague's full name, when "
        "no account or contact has it): where they are, who covers, their book and what is "
        "urgent on it today.",
        ("whois acme", "whois María López", "whois @ana"),
    ),
    "find": Topic(
        "find [text] [type:account/contact/interaction/agreement/complaint/deal/triage] "
        "[owner:@x] [tier:A/B/C] [status:…] [stage:…] [page:N]",
        "Search accounts, contacts, interactions, agreements, complaints and deals; a phrase "
        "in double quotes is searched as a phrase. status: is a record's own (a complaint's "
        "open/resolved, an agreement's open/kept/broken, an account's), and its account's "
        "for contacts, interactions and deals; stage: finds deals. Without text, it lists "
        "(find type:account: every account you may see). Ten a page: More, or page:2. "
        "Managers also find unmatched e-mails in triage.",
        (
            "find invoice",
            'find "renewal quote" type:interaction owner:@ana',
            "find type:complaint status:open",
            "find type:account page:2",
        ),
    ),
    "timeline": Topic(
        "timeline <account> [type:interaction/agreement/complaint/deal/handover] "
        "[since:<date>] [page:N]",
        "An account's whole history, newest first, ten a page (More, or page:2): every "
        "interaction, agreement, complaint, deal stage change and handover, with its id.",
        ("timeline acme", "timeline acme type:complaint since:2026-01-01", "timeline acme page:2"),
    ),
    "account": Topic(
        "account <name> [tier:A/B/C] [owner:@x] [domain:…] [visibility:public/team/private] "
        "[status:prospect/active/paused/churned] [alias:…] [team:…] [channel:#…] [rename:…] "
        "[new:yes]",
        "Create an account, or update the one with that name or alias. A name that only "
        "partly matches accounts you see asks which to update, or whether to create it: "
        "new:yes creates it without asking. rename: takes the words after it.",
        (
            'account "Acme Corp" tier:A domain:acme.com',
            "account Acme visibility:private",
            "account globex rename:Globex Corporation",
            "account tyrell new:yes",
        ),
    ),
    "contact": Topic(
        "contact <account> <name> [role:…] [title:…] [email:…] [phone:…]",
        "Create or update a contact and the role they play at the account.",
        (
            'contact "Acme Corp" "María López" role:"decision maker" email:maria@acme.com',
            'contact acme "José Ángel Muñoz" role:champion phone:+34 611 222 333',
        ),
    ),
    "log": Topic(
        "log <account> [call/email/meeting/chat/web/visit] <text> [with <contact>]",
        "Record an interaction in the account's timeline. A date or time first says when "
        "it happened (ayer, el lunes, yesterday 16:00); one still to come stays in the text.",
        (
            "log acme call Agreed to send the new price list with María López",
            "log acme call ayer a las 16h Confirmed the renewal",
        ),
    ),
    "agree": Topic(
        "agree <account> <text> [due <date>]",
        "Record an agreement: what was promised, by whom, until when. A date first says "
        "when it was agreed (ayer, el lunes), never later than now.",
        ("agree acme Send revised quote due next friday", "agree acme ayer Enviar oferta"),
    ),
    "complaint": Topic(
        "complaint <account> <text> [severity:low/medium/high/critical]",
        "Open a complaint; its resolution time (SLA) follows its severity and runs from when "
        "it was made: a date first (yesterday 16:00) says when, never later than now.",
        ("complaint acme Invoices arrive twice severity:high",),
    ),
    "resolve": Topic(
        "resolve <id> [note]",
        "Close a complaint: its id is C12 (or just 12).",
        ("resolve C12 Credit note sent",),
    ),
    "kept": Topic(
        "kept <id>",
        "Mark an agreement (A7, or just 7) as kept: it no longer falls due.",
        ("kept A7",),
    ),
    "broken": Topic(
        "broken <id> [why]",
        "Mark an agreement (A7, or just 7) as broken, with why: it no longer falls due.",
        ("broken A7 The carrier lost the parts",),
    ),
    "deal": Topic(
        "deal <account> <title> [amount:…] [stage:lead/qualified/proposal/negotiation] "
        "[close:<date>]",
        "Open a deal in the pipeline.",
        (
            "deal acme Renewal 2027 amount:48k stage:proposal close:2027-01-31",
            'deal globex "Pilot US" amount:5000 USD close:next friday',
        ),
    ),
    "stage": Topic(
        "stage <id> <stage>",
        "Move a deal (D7, or just 7) to another stage.",
        ("stage D7 negotiation",),
    ),
    "won": Topic("won <id>", "Mark a deal (D7, or just 7) as won.", ("won D7",)),
    "lost": Topic(
        "lost <id> [reason]",
        "Mark a deal (D7, or just 7) as lost, with why.",
        ("lost D7 went with a competitor",),
    ),
    "remind": Topic(
        "remind <when> <text> [about <account>] [for @x]",
        "A follow-up, delivered in the daily reminder. The account may also come first. "
        "Times as you write them: 9am, 10.30, 10,30, 15h30, 15:30h, a las 10 y media, "
        "menos cuarto, esta tarde, a mediodía, en 1h. A person by @handle, @first-name or "
        "full name, quotes optional. About words that are no account you see, it asks "
        "which account, or whether to save it without one; quotes around the text keep "
        "its about as text.",
        (
            "remind tomorrow 9am call María about Acme",
            "remind martes 10.30 llamar a Jorge",
            "remind friday about Acme send the contract",
            "remind el lunes send the contract for @luis",
            "remind mañana llamar a Jorge about Acme for @Marta Ruiz",
            'remind mañana "llamar about the renewal"',
        ),
    ),
    "done": Topic("done <id>", "Mark a follow-up (F5, or just 5) as done.", ("done F5",)),
    "snooze": Topic(
        "snooze <id> <when>",
        "Move a follow-up (F5, or just 5) later: to a moment, or by a length of time from "
        "now (1h, 30m, 2 días, una semana, 2 days, 1 week).",
        ("snooze F5 next monday", "snooze F5 1h"),
    ),
    "handover": Topic(
        "handover <account…or @x> to @y [until <date>] [for good] [anyway] [note]",
        "Give accounts to a colleague, for good or until a date. A person by @handle, "
        "@first-name (asked which when two share it) or full name, quotes optional. A "
        "whole book for good, or a handover to someone away, is asked about first.",
        (
            "handover acme to @luis until friday she knows the renewal",
            "handover @ana to @luis for good",
            'handover "Pied Piper" to @Marta Ruiz until mañana',
        ),
    ),
    "away": Topic(
        "away <from> <to> [cover @y] [replace/extend] | away cancel",
        "Tell Relevo you are away; your cover sees and receives your work meanwhile. Over "
        "an absence you already have, say replace or extend (or it asks). away cancel "
        "cancels your next planned absence.",
        (
            "away 2026-12-01 2026-12-12 cover @luis",
            "away tomorrow to friday cover @Marta Ruiz",
            "away cancel",
        ),
    ),
    "back": Topic(
        "back",
        "End your current absence (says what is still handed over), or cancel the next "
        "planned one.",
        ("back",),
    ),
    "mine": Topic(
        "mine",
        "Your day: tasks due, agreements due, accounts you own or cover, complaints over SLA.",
        ("mine",),
    ),
    "digest": Topic(
        "digest [now]",
        "The pipeline digest of what you may see; with now, the digest channels get (public "
        "accounts only), which Discord posts where you ask for it.",
        ("digest", "digest now"),
    ),
    "subscribe": Topic(
        "subscribe <#channel> daily/weekly",
        "Send pipeline digests to a channel.",
        ("subscribe #sales weekly",),
    ),
    "unsubscribe": Topic(
        "unsubscribe <#channel>", "Stop digests to a channel.", ("unsubscribe #sales",)
    ),
    "undo": Topic(
        "undo [U17]",
        "Revert your last write if it is under 15 minutes old, saying what it reverted; "
        "again for the one before. Undo buttons name the change (U17).",
        ("undo",),
    ),
    "edit": Topic(
        "edit <id> [new text] [due:<date>] [when:<moment>] [severity:…]",
        "Correct an interaction (N9), agreement (A7), complaint (C3) or follow-up (F5): "
        "its text, an agreement's due date, when an interaction happened or a follow-up "
        "is due, a complaint's severity. The card says “edited”. Allowed to the author, "
        "the account's owner or cover, and managers.",
        (
            "edit N9 Called Ana back, she confirmed",
            "edit A7 due:next friday",
            "edit F5 when:lunes 10h",
        ),
    ),
    "delete": Topic(
        "delete <id>",
        "Remove an interaction, agreement, complaint, follow-up or deal from everything "
        "(search too). It is kept for the audit trail; an admin can restore it.",
        ("delete N9",),
    ),
    "restore": Topic(
        "restore <id>",
        "Bring back a deleted record as it was (admins).",
        ("restore N9",),
    ),
    "help": Topic(
        "help [command]",
        "This help. Ids name their kind: D12 a deal, C3 a complaint, A7 an agreement, "
        "F5 a follow-up, N9 an interaction, U17 a change undo takes; a mistyped command "
        "is answered with the corrected line.",
        ("help log",),
    ),
}
