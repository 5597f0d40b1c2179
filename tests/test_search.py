"""Shared search on a real Meilisearch server, kept in step with the hub by the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Team, build_app, service_missing
from sqlalchemy import select

from benchmarks import meili
from benchmarks.meili import MeiliServer
from hub.clock import FixedClock
from hub.models import Contact
from search.documents import count_records
from search.index import MeiliIndex, SearchUnavailable
from search.indexer import Indexer
from search.reindex import reindex


def searching_team(team: Team, index: MeiliIndex, clock: FixedClock) -> Indexer:
    app = team.app
    team.app = build_app(app.settings.database_url, clock, database=app.database, index=index)
    team.consoles.clear()
    return Indexer(database=app.database, index=index)


def find(team: Team, line: str, *, by: str = "Marta Ruiz") -> str:
    """The reply to a find, with Meilisearch's highlight marks taken out."""
    return team.run(line, by=by).replace("‹", "").replace("›", "")


def fill(team: Team) -> None:
    team.run('account "Acme Corp" tier:A domain:acme.com alias:ACME', by="Ana García")
    team.run(
        'contact "Acme Corp" "María López" role:"decision maker" email:maria@acme.com',
        by="Ana García",
    )
    team.run("account Globex tier:B status:prospect", by="Luis Pérez")
    team.run("log acme call Discussed the renewal pricing with María López", by="Ana García")
    team.run("complaint globex Invoices arrive twice severity:high", by="Luis Pérez")
    team.run("agree globex Send the invoice correction due 2026-12-01", by="Luis Pérez")


class NoIndexer:
    """The database search reads the hub itself: there is nothing to drain."""

    def drain(self) -> int:
        return 0


@pytest.fixture(params=["meilisearch", "database"])
def engine(request: pytest.FixtureRequest, team: Team, clock: FixedClock) -> str:
    if request.param == "meilisearch":
        request.node.indexer = searching_team(team, request.getfixturevalue("meili_index"), clock)
    else:
        request.node.indexer = NoIndexer()
    return str(request.param)


@pytest.fixture
def indexer(engine: str, request: pytest.FixtureRequest) -> Indexer | NoIndexer:
    return request.node.indexer


@pytest.fixture
def meili_indexer(team: Team, meili_index: MeiliIndex, clock: FixedClock) -> Indexer:
    return searching_team(team, meili_index, clock)


def test_typo_prefix_and_accent_insensitive_lookups(
    team: Team, engine: str, indexer: Indexer | NoIndexer
) -> None:
    fill(team)
    indexer.drain()
    card = team.run("whois acmee", by="Marta Ruiz")
    assert card.startswith("Acme Corp") and "Showing Acme Corp for “acmee”" in card
    assert team.run("whois globx", by="Marta Ruiz").startswith("Globex")
    out = find(team, "find acm", by="Marta Ruiz")
    assert "account: Acme Corp" in out
    assert "contact: María López" in find(team, "find maria")
    assert "account: Acme Corp" in find(team, "find acme.com")
    if engine == "meilisearch":
        assert "contact: ‹María› López" in team.run("find maria", by="Marta Ruiz")
        out = team.run("find renewl pricing", by="Marta Ruiz")
        assert "interaction: Acme Corp" in out and "‹renewal› ‹pricing›" in out
        assert "account: Acme Corp" in find(team, "find acme corporation")


def test_a_quoted_phrase_is_searched_as_a_phrase_with_any_quotes(
    team: Team, indexer: Indexer | NoIndexer
) -> None:
    fill(team)
    team.run("log globex email Pricing of the renewal is still open", by="Luis Pérez")
    indexer.drain()
    for typed in ('"renewal pricing"', "“renewal pricing”", "«renewal pricing»"):
        out = find(team, f"find {typed}")
        assert "1 result for" in out and "interaction: Acme Corp" in out, (typed, out)
    assert "2 results" in find(team, "find renewal pricing")
    assert "contact: María López" in find(team, 'find "maria lopez"')


def test_filters(team: Team, indexer: Indexer | NoIndexer) -> None:
    fill(team)
    indexer.drain()
    out = find(team, "find invoice", by="Marta Ruiz")
    assert "2 results" in out
    out = find(team, "find invoice type:complaint", by="Marta Ruiz")
    assert "1 result for" in out and "complaint: Globex" in out
    assert "Nothing found" in find(team, "find invoice owner:@ana", by="Marta Ruiz")
    assert "2 results" in find(team, "find invoice owner:@luis", by="Marta Ruiz")
    assert "Nothing found" in find(team, "find invoice tier:A", by="Marta Ruiz")
    out = find(team, "find acme status:active", by="Marta Ruiz")
    assert "Acme Corp" in out and "Globex" not in out
    assert "account: Globex" in find(
        team, "find globex status:prospect type:account", by="Marta Ruiz"
    )


def test_a_phone_number_is_found_however_it_is_spelt(
    team: Team, indexer: Indexer | NoIndexer
) -> None:
    fill(team)
    team.run('contact globex "Pedro Gil" phone:+34 600 111 222', by="Luis Pérez")
    team.run('contact acme "Ines Mora" phone:0034-611-999-888', by="Ana García")
    team.run('account "Umbrella Health" visibility:private', by="Ana García")
    team.run('contact umbrella "Rosa Vela" phone:+34 622 333 444', by="Ana García")
    indexer.drain()
    for typed in ("+34600111222", "600 111 222", "+34 600 111 222", "0034 600-111-222"):
        out = find(team, f"find {typed}")
        assert "1 result for" in out and "contact: Pedro Gil" in out, (typed, out)
    for typed in ("611999888", "+34 611 99 98 88", "(611) 999 888"):
        assert "contact: Ines Mora" in find(team, f"find {typed}"), typed
    assert "Nothing found" in find(team, "find 600 111 223")  # one digit off: someone else
    assert "Nothing found" in find(team, "find 622 333 444")  # a private account's contact
    assert "contact: Rosa Vela" in find(team, "find 622333444", by="Ana García")
    # A date is digits and dashes too, but not read as a phone number.
    assert "Nothing found" in find(team, "find 2026-12-01")


def test_a_reindex_picks_up_phone_numbers(
    team: Team, meili_indexer: Indexer, meili_index: MeiliIndex
) -> None:
    team.run('account "Acme Corp"', by="Ana García")
    team.run('contact acme "Pedro Gil" phone:+34 600 111 222', by="Ana García")
    reindex(team.app.database, meili_index)
    assert "contact: Pedro Gil" in find(team, "find 600111222")


def test_private_notes_are_filtered_inside_the_query(
    team: Team, indexer: Indexer | NoIndexer
) -> None:
    team.run('account "Umbrella Health" visibility:private', by="Ana García")
    team.run("log umbrella meeting Merger talks are confidential", by="Ana García")
    team.run("account Initech", by="Luis Pérez")
    team.run("log initech call Merger rumours in the press", by="Luis Pérez")
    indexer.drain()
    out = find(team, "find merger", by="Luis Pérez")
    assert "1 result for" in out and "Initech" in out and "Umbrella" not in out
    assert "No account or contact" in team.run("whois umbrela", by="Luis Pérez")
    for who in ("Ana García", "Carmen Vidal"):
        out = team.run("find merger", by=who)
        assert "2 results" in out and "Umbrella Health" in out


def test_renames_and_deletes_are_reflected(
    team: Team, indexer: Indexer, meili_index: MeiliIndex
) -> None:
    fill(team)
    indexer.drain()
    out = team.run('account "Acme Corp" rename:"Acme Industries"', by="Ana García")
    assert "name → Acme Industries" in out
    with team.app.database.unit_of_work() as session:
        session.delete(session.scalars(select(Contact)).one())
    indexer.drain()
    assert "account: Acme Industries" in find(team, "find industries")
    assert "interaction: Acme Industries" in find(team, "find pricing")
    assert "Nothing found" in find(team, "find maria type:contact")
    if isinstance(indexer, Indexer):
        with team.app.database.unit_of_work() as session:
            assert indexer.index.count() == count_records(session)


def test_database_search_follows_a_rename(team: Team) -> None:
    """The names the database search looks in (account_name, kept by triggers) follow
    the account: a typo of the new name finds it, the old name no longer does."""
    fill(team)
    team.run('account "Acme Corp" rename:"Zenith Industries"', by="Ana García")
    card = team.run("whois zenith industris", by="Marta Ruiz")
    assert "Showing Zenith Industries for “zenith industris”" in card
    assert "account: Zenith Industries" in find(team, "find industries")
    assert "Nothing found" in find(team, "find corp")
    team.run("handover zenith to @luis", by="Ana García")
    assert "Showing Zenith Industries" in team.run("whois zenit industries", by="Luis Pérez")


def test_reindex_swaps_in_a_complete_index(
    team: Team, meili_indexer: Indexer, meili_index: MeiliIndex
) -> None:
    fill(team)
    seen: list[tuple[int, int]] = []
    count = reindex(
        team.app.database, meili_index, progress=lambda done, total: seen.append((done, total))
    )
    with team.app.database.unit_of_work() as session:
        assert count == count_records(session) == meili_index.count()
    assert seen[-1][0] == seen[-1][1] == count
    assert meili_indexer.pending() == 0
    assert "account: Acme Corp" in find(team, "find acme", by="Marta Ruiz")


def test_outage_then_catch_up(team: Team, clock: FixedClock, tmp_path: Path) -> None:
    path = meili.binary()
    if path is None:
        service_missing("Meilisearch", FileNotFoundError("no RELEVO_TEST_MEILI_BIN"))
    server = MeiliServer(binary=str(path), data=tmp_path)
    server.start()
    try:
        index = MeiliIndex(url=server.url, key=server.key, timeout=2)
        index.ensure()
        indexer = searching_team(team, index, clock)
        fill(team)
        indexer.drain()
        server.stop()
        out = team.run(
            "log globex call Promised a credit note for the double invoice", by="Luis Pérez"
        )
        assert "Logged call N" in out and "on Globex" in out
        out = find(team, "find credit note", by="Marta Ruiz")
        assert "interaction: Globex" in out and "results may be incomplete" in out
        with pytest.raises(SearchUnavailable):
            indexer.drain()
        assert indexer.pending() > 0
        server.start()
        indexer.drain()
        assert indexer.pending() == 0
        with team.app.database.unit_of_work() as session:
            assert index.count() == count_records(session)
        out = find(team, "find credit note", by="Marta Ruiz")
        assert "interaction: Globex" in out and "incomplete" not in out
    finally:
        server.stop()


def test_a_visibility_change_hides_search_hits_before_the_indexer_runs(
    team: Team, meili_indexer: Indexer
) -> None:
    team.run('account "Public Place" domain:publicplace.example', by="Ana García")
    team.run('contact "Public Place" "Paula Pons" email:paula@publicplace.example', by="Ana García")
    team.run('log "Public Place" call Paula agreed the pilot', by="Ana García")
    meili_indexer.drain()
    assert "Paula Pons" in find(team, "find paula", by="Marta Ruiz")
    team.run('account "Public Place" visibility:private', by="Ana García")
    # The outbox is not drained: Meilisearch still holds the documents as public.
    out = find(team, "find paula", by="Marta Ruiz")
    assert "Nothing found" in out and "Paula" not in out.replace("“paula”", "")
    assert "Paula Pons" in find(team, "find paula", by="Ana García")


# -- issue 20: filters on the record's own fields, listings and pages, on both engines -----


def test_status_and_stage_filter_the_record_itself(
    team: Team, indexer: Indexer | NoIndexer
) -> None:
    fill(team)
    team.run("complaint globex Portal is slow severity:low", by="Luis Pérez")
    team.run("resolve C2 Cache fixed", by="Luis Pérez")
    team.run("agree acme Send the pricing sheet", by="Ana García")
    team.run("kept A2", by="Ana García")
    team.run("deal acme Renewal 2027 amount:48k stage:proposal", by="Ana García")
    team.run("deal globex Pilot amount:5k stage:lead", by="Luis Pérez")
    indexer.drain()
    # status: on a complaint is the complaint's (it filtered the account's before).
    out = find(team, "find type:complaint status:open")
    assert out.startswith("1 result") and "Invoices arrive twice" in out and "slow" not in out
    out = find(team, "find type:complaint status:resolved")
    assert out.startswith("1 result") and "Portal is slow" in out
    out = find(team, "find invoice status:open")  # a complaint and an agreement, both open
    assert out.startswith("2 results"), out
    out = find(team, "find type:agreement status:kept")
    assert out.startswith("1 result") and "pricing sheet" in out
    # stage: finds deals at that stage, whatever else the words match.
    out = find(team, "find stage:proposal")
    assert out.startswith("1 result") and "Renewal 2027" in out and "Pilot" not in out
    out = find(team, "find type:deal stage:lead")
    assert out.startswith("1 result") and "Pilot" in out
    assert "Nothing found" in find(team, "find stage:won")
    # status: is still the account's for accounts, and for what has no status of its own.
    assert "account: Globex" in find(team, "find type:account status:prospect")
    out = find(team, "find type:contact status:active")
    assert "María López" in out
    assert "stage: is a deal's" in team.run("find type:complaint stage:lead", by="Marta Ruiz")


def test_find_lists_every_visible_account_a_page_at_a_time(
    team: Team, indexer: Indexer | NoIndexer
) -> None:
    for name in NAMES:
        team.run(f"account {name}", by="Ana García")
    team.run("account Zulu visibility:private", by="Ana García")
    indexer.drain()
    out = find(team, "find type:account", by="Luis Pérez")
    assert out.startswith("12 results\n"), out
    assert "Results · page 1 of 2" in out and "… and 2 more" in out
    names = [line.split("account: ")[1] for line in out.splitlines() if "account: " in line]
    assert names == list(NAMES[:10])
    assert out.split("Next: ")[1].strip() == "find type:account page:2"
    second = find(team, "find type:account page:2", by="Luis Pérez")
    assert second.startswith("12 results\n") and "Results · page 2 of 2" in second
    names = [line.split("account: ")[1] for line in second.splitlines() if "account: " in line]
    assert names == ["Kilo", "Lima"]
    assert "Next:" not in second and "Zulu" not in second
    past = find(team, "find type:account page:3", by="Luis Pérez")
    assert "page 3 is past the last (2)" in past
    # Who may read the private account counts and pages it too.
    assert find(team, "find type:account", by="Ana García").startswith("13 results\n")
    assert "account: Zulu" in find(team, "find type:account page:2", by="Carmen Vidal")
    # A search with words pages the same way.
    for n, name in enumerate(NAMES, 1):
        team.run(f"log {name} call Renewal talk {n}", by="Ana García")
    indexer.drain()
    out = find(team, "find renewal type:interaction", by="Luis Pérez")
    assert out.startswith("12 results for “renewal”") and "… and 2 more" in out
    more = out.split("Next: ")[1].strip()
    assert more == "find renewal type:interaction page:2"
    assert find(team, more, by="Luis Pérez").count("interaction: ") == 2
    assert "page: must be a number" in team.run("find type:account page:0", by="Luis Pérez")


# Twelve accounts whose names share no word (a shared one would ask which to update).
NAMES = (
    "Alfa",
    "Bravo",
    "Charlie",
    "Delta",
    "Echo",
    "Foxtrot",
    "Golf",
    "Hotel",
    "India",
    "Juliett",
    "Kilo",
    "Lima",
)
