"""One registry of networks: every place a user types a network resolves it the same way."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
import yaml

from veilleur import networks
from veilleur.advise.kb import default_folder, load_kb
from veilleur.audit import fmt
from veilleur.errors import UsageError
from veilleur.imports.records import RecordError, post_from_mapping
from veilleur.publish.networks import parse_networks
from veilleur.publish.relay import Target
from veilleur.query import parse
from veilleur.query.errors import QuerySyntaxError
from veilleur.text import count


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("x", "x"), ("twitter", "x"), ("Twitter", "x"), (" X ", "x"), ("bsky", "bluesky"),
     ("RSS", "rss"), ("Mastodon", "mastodon")],
)  # fmt: skip
def test_resolve_ids_and_aliases_in_any_case(typed: str, expected: str) -> None:
    assert networks.resolve(typed) == expected


def test_an_unknown_network_is_a_usage_error_listing_the_known_ids() -> None:
    with pytest.raises(UsageError) as caught:
        networks.resolve("myspace")
    message = str(caught.value)
    assert "'myspace'" in message
    assert all(network_id in message for network_id in networks.IDS)
    with pytest.raises(UsageError, match=r"expected one of x, mastodon$"):
        networks.resolve("bluesky", among=("x", "mastodon"))


def test_aliases_never_shadow_an_id() -> None:
    aliases = [a for n in networks.NETWORKS.values() for a in n.aliases]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(networks.IDS)


def test_query_network_field_takes_aliases(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts = [
        {"id": "1", "network": "x", "author": "paul", "created_at": "2024-03-02T09:00:00Z",
         "text": "Nos offres de stage"},
        {"id": "2", "network": "twitter", "author": "marie", "created_at": "2024-03-03T09:00:00Z",
         "text": "Salon de l'emploi"},
        {"id": "3", "network": "mastodon", "author": "jane", "created_at": "2024-03-04T09:00:00Z",
         "text": "Jobs fair"},
    ]  # fmt: skip
    source = tmp_path / "posts.jsonl"
    source.write_bytes(b"\n".join(orjson.dumps(p) for p in posts) + b"\n")
    assert cli("import", "jsonl", str(source)).code == 0  # "twitter" is stored as x
    for typed in ("network:twitter", "network:X", "network:x"):
        result = cli("search", typed, "--format", "ids")
        assert (result.code, sorted(result.out.split())) == (0, ["1", "2"]), typed
    assert parse("network:Twitter").matches(post_from_mapping(posts[1]))


def test_query_unknown_network_names_the_column() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("emploi network:myspace")
    assert caught.value.column == 16 and "known networks: x, mastodon" in str(caught.value)


def test_import_record_network_alias_and_unknown() -> None:
    base = {"id": "1", "author": "a", "created_at": "2024-03-02T09:00:00Z", "text": "t"}
    assert post_from_mapping({**base, "network": "Twitter"}).network == "x"
    with pytest.raises(RecordError, match="unknown network 'myspace'"):
        post_from_mapping({**base, "network": "myspace"})


def test_compose_and_relay_targets_take_aliases() -> None:
    assert parse_networks("twitter,X,Bsky, mastodon") == ["x", "bluesky", "mastodon"]
    assert Target.parse("twitter") == Target("x")
    assert Target.parse("bsky:asso") == Target("bluesky", "asso")
    with pytest.raises(UsageError, match="unknown network 'youtube'"):
        parse_networks("x,youtube")  # known to veilleur, but not a network compose writes for
    with pytest.raises(UsageError, match="in 'myspace:asso'"):
        Target.parse("myspace:asso")


def test_text_count_takes_aliases_and_reads_the_registry_limits() -> None:
    assert count("bonjour", "Twitter").limit == 280
    for network in networks.NETWORKS.values():
        if network.limit is not None:
            assert count("", network.id).limit == network.limit
    with pytest.raises(UsageError, match="expected one of x, mastodon"):
        count("bonjour", "youtube")  # a network veilleur does not count for


def test_every_network_of_the_advisor_is_known_to_the_registry() -> None:
    shipped = yaml.safe_load((default_folder() / "networks.yaml").read_text(encoding="utf-8"))
    assert set(shipped["networks"]) <= set(networks.IDS)
    kb = load_kb()
    assert kb.networks["x"].name.fr == "X (Twitter)"
    assert kb.networks["website"].name.en == "Website and RSS feed"
    assert kb.networks["youtube"].counting is None and kb.networks["x"].counting == "x"


def test_the_advisor_refuses_a_network_the_registry_does_not_know(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    for file in default_folder().iterdir():
        if file.suffix == ".yaml":
            (folder / file.name).write_bytes(file.read_bytes())
    text = (folder / "networks.yaml").read_text(encoding="utf-8")
    (folder / "networks.yaml").write_text(text.replace("\n  tiktok:\n", "\n  myspace:\n"), "utf-8")
    with pytest.raises(Exception, match="unknown network 'myspace'"):
        load_kb(folder)


def test_display_names_in_sentences() -> None:
    assert networks.name("x", "fr") == "X" and networks.name("unknown", "en") == "unknown"
    assert (fmt.network("website", "fr"), fmt.network("website", "en")) == (
        "le site web",
        "the website",
    )
    assert (fmt.network("rss", "fr"), fmt.network("rss", "en")) == ("le fil RSS", "the RSS feed")
    assert fmt.network("linkedin", "en") == "LinkedIn"
