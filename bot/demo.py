"""`relevo demo`: a believable hub, loaded through the same `/crm` commands people type.

Each line is (days ago, who, command). Running the script through the command runner with
a clock set in the past gives records their real history: aged complaints, overdue
agreements, deals that moved through stages.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.bootstrap import App, bootstrap
from hub.clock import FixedClock
from hub.models import Account
from hub.people import ensure_person, update_person

PEOPLE = [
    # name, role, department, time zone, e-mail, locale (how they write dates: 7/12 is
    # 7 December in es); the Spanish-named people in Madrid write Spanish.
    ("Ana García", "member", "Sales", "Europe/Madrid", "ana@relevo.example", "es"),
    ("Luis Pérez", "member", "Sales", "Europe/Madrid", "luis@relevo.example", "es"),
    ("Carmen Vidal", "manager", "Sales", "Europe/Madrid", "carmen@relevo.example", "es"),
    ("Marta Ruiz", "member", "Service", "Europe/Madrid", "marta@relevo.example", "es"),
    ("Tom Baker", "member", "Service", "Europe/London", "tom@relevo.example", "en"),
    ("Sofía Navarro", "admin", "Operations", "Europe/Madrid", "sofia@relevo.example", "es"),
]

SCRIPT: list[tuple[int, str, str]] = [
    (120, "Ana García", 'account "Acme Corp" tier:A domain:acme.com alias:ACME status:active'),
    (
        120,
        "Ana García",
        'contact "Acme Corp" "María López" role:"decision maker" title:CFO email:maria.lopez@acme.com phone:+34600111222',
    ),
    (
        120,
        "Ana García",
        'contact "Acme Corp" "Jorge Sanz" role:"technical buyer" title:"IT manager" email:jorge@acme.com',
    ),
    (
        118,
        "Ana García",
        'contact "Acme Corp" "Lucía Ortega" role:user title:"Head of support" email:lucia@acme.com',
    ),
    (110, "Luis Pérez", "account Globex tier:A domain:globex.com"),
    (
        110,
        "Luis Pérez",
        'contact Globex "Hank Scorpio" role:"decision maker" title:CEO email:hank@globex.com',
    ),
    (100, "Marta Ruiz", "account Initech tier:B domain:initech.com"),
    (
        100,
        "Marta Ruiz",
        'contact Initech "Bill Lumbergh" role:"decision maker" title:"VP operations"',
    ),
    (100, "Marta Ruiz", 'contact Initech "Peter Gibbons" role:user email:peter@initech.com'),
    (
        95,
        "Ana García",
        'account "Umbrella Health" tier:B visibility:private domain:umbrella-health.com',
    ),
    (
        95,
        "Ana García",
        'contact "Umbrella Health" "Alice Abernathy" role:"decision maker" title:"Chief medical officer"',
    ),
    (90, "Carmen Vidal", 'account "Stark Industries" tier:A domain:stark.com owner:@luis'),
    (
        90,
        "Luis Pérez",
        'contact "Stark Industries" "Pepper Potts" role:"economic buyer" title:CEO email:pepper@stark.com',
    ),
    (80, "Tom Baker", 'account "Wayne Enterprises" tier:B domain:wayne.com'),
    (80, "Tom Baker", 'contact "Wayne Enterprises" "Lucius Fox" role:champion title:CTO'),
    (70, "Luis Pérez", "account Hooli tier:C domain:hooli.xyz status:prospect"),
    (70, "Marta Ruiz", 'account "Soylent Foods" tier:C visibility:team domain:soylent.com'),
    (60, "Ana García", 'account "Tyrell Systems" tier:B domain:tyrell.com'),
    (50, "Luis Pérez", "account Cyberdyne tier:C status:prospect domain:cyberdyne.com"),
    (45, "Tom Baker", 'account "Wonka Confectionery" tier:B domain:wonka.com'),
    (40, "Ana García", 'account "Pied Piper" tier:C status:prospect domain:piedpiper.com'),
    (30, "Luis Pérez", 'account "Vandelay Imports" tier:C status:churned'),
    # The pipeline, moving over time.
    (
        60,
        "Ana García",
        'deal "Acme Corp" Renewal 2027 amount:€48000 stage:qualified close:"in 75 days"',
    ),
    (40, "Ana García", "stage 1 proposal"),
    (12, "Ana García", "stage 1 negotiation"),
    (
        55,
        "Ana García",
        'deal "Acme Corp" Support upgrade amount:€12k stage:lead close:"in 90 days"',
    ),
    (50, "Luis Pérez", 'deal Globex Global rollout amount:€150k stage:proposal close:"in 40 days"'),
    (35, "Luis Pérez", 'deal "Stark Industries" Pilot amount:€30k stage:lead close:"in 60 days"'),
    (20, "Luis Pérez", "stage 6 qualified"),
    (
        45,
        "Marta Ruiz",
        'deal Initech Maintenance contract amount:€9500 stage:proposal close:"in 30 days"',
    ),
    (6, "Marta Ruiz", "won 4"),
    (
        40,
        "Tom Baker",
        'deal "Wayne Enterprises" Security audit amount:€22k stage:negotiation close:"in 25 days"',
    ),
    (3, "Tom Baker", "lost 5 chose an in-house team"),
    (
        25,
        "Ana García",
        'deal "Tyrell Systems" Replicant line support amount:€64k stage:proposal close:"in 30 days"',
    ),
    (15, "Luis Pérez", 'deal Hooli Nucleus integration amount:€18k stage:lead close:"in 50 days"'),
    # Timelines, agreements and complaints.
    (
        30,
        "Ana García",
        'log "Acme Corp" meeting Quarterly review; they want faster invoicing with María López',
    ),
    (14, "Ana García", 'log "Acme Corp" call Walked through the renewal proposal with María López'),
    (
        14,
        "Ana García",
        'agree "Acme Corp" Send the revised renewal quote with 5% multi-year discount due in 10 days',
    ),
    (
        9,
        "Ana García",
        'agree "Acme Corp" Invoices split by cost centre from January due in 40 days',
    ),
    (
        5,
        "Marta Ruiz",
        'complaint "Acme Corp" Two invoices for October arrived duplicated severity:high',
    ),
    (4, "Ana García", 'log "Acme Corp" email Jorge asked for the SSO setup guide with Jorge Sanz'),
    (
        2,
        "Luis Pérez",
        'log "Acme Corp" call Covered for Ana: confirmed the quote is coming this week',
    ),
    (20, "Luis Pérez", "log Globex visit On-site workshop with the rollout team with Hank Scorpio"),
    (
        10,
        "Luis Pérez",
        "agree Globex Pilot in two regions before the global rollout due in 20 days",
    ),
    (8, "Tom Baker", "complaint Globex Portal login slow in APAC severity:medium"),
    (
        25,
        "Marta Ruiz",
        "log Initech call Renewal of the maintenance contract discussed with Bill Lumbergh",
    ),
    (12, "Marta Ruiz", "complaint Initech Printer driver crashes after update severity:low"),
    (3, "Marta Ruiz", "resolve 1 Hotfix shipped"),
    (
        18,
        "Ana García",
        'log "Umbrella Health" meeting Confidential: merger talks may affect the contract',
    ),
    (
        2,
        "Tom Baker",
        'complaint "Wayne Enterprises" Data export failing for the finance team severity:critical',
    ),
    (7, "Ana García", 'log "Tyrell Systems" email Sent the proposal for the replicant line'),
    (1, "Luis Pérez", "log Cyberdyne call First call; interested in the fleet tracking module"),
    # Follow-ups.
    (1, "Ana García", 'remind "in 2 days" Call María about the renewal quote about "Acme Corp"'),
    (1, "Luis Pérez", "remind tomorrow Prepare the Globex pilot plan about Globex"),
    (0, "Marta Ruiz", "remind today Check the duplicated invoices with finance about Acme Corp"),
    (0, "Carmen Vidal", "subscribe #sales weekly"),
]

AWAY = ("Ana García", "away yesterday to in 5 days cover @luis")


def load_demo(app: App, *, locale: str | None = None) -> bool:
    """Load the demo hub unless it is already there; returns whether it loaded. With
    `locale`, every demo person has it (`relevo demo --locale en`: an English demo);
    without, each their own (`PEOPLE`)."""
    with app.database.unit_of_work() as session:
        if session.scalar(select(Account.id).where(Account.name_key == "acme corp")) is not None:
            return False
        now = app.runner.clock.now()
        ids = {}
        for name, role, department, tz, email, own_locale in PEOPLE:
            person = ensure_person(session, name=name, now=now - timedelta(days=200))
            update_person(
                person,
                role=role,
                department=department,
                tz=tz,
                locale=locale or own_locale,
                email=email,
            )
            ids[name] = person.id
    clock = FixedClock(at=now)
    runner = bootstrap(
        app.config,
        database=app.database,
        index=app.index,
        clock=clock,
        migrate=False,
        configure_logs=False,
    ).runner
    for days_ago, who, line in sorted(SCRIPT, key=lambda step: -step[0]):
        clock.set(now - timedelta(days=days_ago, hours=2))
        reply = runner.run(line, person_id=ids[who])
        if not reply.ok:
            raise RuntimeError(f"demo line failed: {line!r}: {reply.title}")
    clock.set(now)
    who, line = AWAY
    runner.run(line, person_id=ids[who])
    return True
