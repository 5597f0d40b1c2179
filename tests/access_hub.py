"""The hub the access matrix walks: one owner's public, team and private accounts, each
full of words that belong to it alone, and the people who look at them."""

from __future__ import annotations

from dataclasses import dataclass

# A person who may read an account, per visibility (SPEC "Access rules"): public for all,
# team for its department, private for the owner, their cover, managers and admins.
VIEWERS = {
    # key: (name, role, department, e-mail)
    "owner": ("Ana García", "member", "Sales", "ana@example.com"),
    "team": ("Luis Pérez", "member", "Sales", "luis@example.com"),
    "other team": ("Marta Ruiz", "member", "Service", "marta@example.com"),
    "cover": ("Pablo Soto", "member", "Service", "pablo@example.com"),
    "manager": ("Carmen Vidal", "manager", "Board", "carmen@example.com"),
    "admin": ("Adela Núñez", "admin", "IT", "adela@example.com"),
}
MAY_READ = {
    "public": set(VIEWERS),
    "team": {"owner", "team", "cover", "manager", "admin"},
    "private": {"owner", "cover", "manager", "admin"},
}


# The words in an account's texts, after its stem: an interaction (beacon), an agreement
# (ledger), complaints (flicker, mend) and the note that resolved one (patch), deals
# (harvest, loss) and the reason one was lost (why), a follow-up (twine).
TEXTS = ("beacon", "ledger", "flicker", "mend", "patch", "harvest", "loss", "why", "twine")


@dataclass(frozen=True)
class Secrets:
    """An account and the words that only someone who may read it should ever see."""

    name: str
    alias: str
    domain: str
    contact: str
    email: str
    phone: str
    stem: str  # prefix of the words in its texts: "<stem>beacon", "<stem>ledger"...
    amount: int  # of its open deal: sums tell which accounts a figure counted

    def word(self, what: str) -> str:
        return f"{self.stem}{what}"

    @property
    def words(self) -> list[str]:
        return [
            self.name,
            self.name.split()[0],
            self.alias,
            self.domain,
            self.contact,
            self.email,
            self.phone,
            *(self.word(t) for t in TEXTS),
        ]

    def fields(self) -> dict[str, str]:
        """What a command template may name: {name}, {alias}, {beacon}..."""
        return {
            "name": self.name,
            "first": self.name.split()[0],
            "typo": self.name + self.name[-1],
            "alias": self.alias,
            "domain": self.domain,
            "contact": self.contact,
            "email": self.email,
            "phone": self.phone,
            **{t: self.word(t) for t in TEXTS},
        }


ACCOUNTS = {
    "public": Secrets(
        name="Aurora Mills",
        alias="Aurorix",
        domain="auroramills.example",
        contact="Paloma Quintero",
        email="paloma@auroramills.example",
        phone="+34600111001",
        stem="aurora",
        amount=1_000,
    ),
    "team": Secrets(
        name="Borealis Freight",
        alias="Borix",
        domain="borealisfreight.example",
        contact="Bruno Zamora",
        email="bruno@borealisfreight.example",
        phone="+34600222002",
        stem="borealis",
        amount=20_000,
    ),
    "private": Secrets(
        name="Cygnus Vault",
        alias="Cygnix",
        domain="cygnusvault.example",
        contact="Celia Ibarra",
        email="celia@cygnusvault.example",
        phone="+34600333003",
        stem="cygnus",
        amount=300_000,
    ),
}
# What a hidden account's reply is compared with: an account that does not exist at all.
NOWHERE = Secrets(
    name="Dorado Quarry",
    alias="Doradix",
    domain="doradoquarry.example",
    contact="Ximena Yáñez",
    email="ximena@doradoquarry.example",
    phone="+34600999009",
    stem="dorado",
    amount=0,
)
SHARED = "kestrel"  # in one interaction, agreement, complaint and deal of every account
PER_ACCOUNT = 4  # records with SHARED per account


def setup_lines(s: Secrets, visibility: str) -> list[str]:
    """What the owner types to fill the account with its secrets."""
    n = f'"{s.name}"'
    return [
        f"account {n} tier:A domain:{s.domain} alias:{s.alias} visibility:{visibility}",
        f'contact {n} "{s.contact}" role:buyer title:CFO email:{s.email} phone:{s.phone}',
        f"log {n} call Went through the {s.word('beacon')} {SHARED} rollout with {s.contact}",
        f"agree {n} Ship the {s.word('ledger')} {SHARED} report due 2026-11-20",
        f"complaint {n} The {s.word('flicker')} {SHARED} dashboard fails severity:critical",
        f"deal {n} {s.word('harvest').title()} {SHARED} expansion amount:{s.amount} "
        "stage:proposal close:2026-11-30",
        f"deal {n} {s.word('loss').title()} pilot amount:5 stage:lead",
        f"remind tomorrow 9am chase the {s.word('twine')} invoice about {n}",
        f"complaint {n} Wrong {s.word('mend')} labels severity:low",
    ]
