"""import csv: the rtweet, twarc2 and minet exports recognised by their headers, French
Excel's ';' and BOM, NA cells, --map for anything else, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veilleur.workspace import Workspace

pytestmark = pytest.mark.both_backends  # the store's tests run on SQLite and PostgreSQL


def _write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def _posts(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Workspace(tmp_path / "ws") as ws:
        return {p.id: p for p in ws.store.iter_posts()}


def test_twarc2_csv(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "twarc.csv",
        "id,conversation_id,referenced_tweets.replied_to.id,referenced_tweets.retweeted.id,"
        "referenced_tweets.quoted.id,author_id,created_at,text,lang,public_metrics.like_count,"
        "public_metrics.retweet_count,public_metrics.reply_count,public_metrics.quote_count,"
        "author.username,author.name\n"
        "1500000000000000001,1500000000000000001,,,,42,2022-03-05T10:00:00.000Z,"
        '"Le #recrutement, ça commence par l\'écoute",fr,12,3,1,0,cabinet_rh,Cabinet RH\n'
        "1500000000000000002,1500000000000000001,1500000000000000001,,,43,"
        "2022-03-05T11:00:00.000Z,@cabinet_rh Tout à fait !,fr,2,0,0,0,lea,Léa\n",
    )
    result = cli("import", "csv", str(src))
    assert result.code == 0, result.err
    posts = _posts(tmp_path)
    first = posts["1500000000000000001"]
    assert (first.network, first.author, first.author_name) == ("x", "cabinet_rh", "Cabinet RH")
    assert (first.likes, first.reposts, first.replies, first.quotes) == (12, 3, 1, 0)
    assert first.url == "https://x.com/cabinet_rh/status/1500000000000000001"
    assert posts["1500000000000000002"].reply_to == "1500000000000000001"


def test_minet_csv_with_epoch_timestamps(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "minet.csv",
        "id,timestamp_utc,local_time,user_screen_name,text,retweet_count,like_count,lang,"
        "retweeted_id,quoted_id\n"
        "99,1700000000,2023-11-14T23:13:20,veilleur_fr,Une veille bien tenue,4,7,fr,,\n",
    )
    assert cli("import", "csv", str(src)).code == 0
    post = _posts(tmp_path)["99"]
    assert post.created_at.isoformat() == "2023-11-14T22:13:20+00:00"
    assert (post.author, post.likes, post.reposts) == ("veilleur_fr", 7, 4)


def test_rtweet_csv_with_semicolons_bom_and_na(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "rtweet.csv",
        "user_id;status_id;created_at;screen_name;text;favorite_count;retweet_count;"
        "reply_to_status_id;lang\n"
        '1;123;2021-03-01 10:00:00;agence_com;"Atelier « réseaux sociaux » ; inscriptions '
        'ouvertes";5;NA;NA;fr\n',
        bom=True,
    )
    result = cli("import", "csv", str(src))
    assert result.code == 0, result.err
    post = _posts(tmp_path)["123"]
    assert post.text == "Atelier « réseaux sociaux » ; inscriptions ouvertes"
    assert post.created_at.isoformat() == "2021-03-01T10:00:00+00:00"
    assert (post.likes, post.reposts, post.reply_to) == (5, None, None)


def test_unknown_csv_with_map(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "export.csv",
        "Identifiant;Date;Compte;Texte\n"
        'a1;2026-02-01T08:00:00;mairie;"Forum de l\'emploi\nsamedi à 10 h"\n',
    )
    refused = cli("import", "csv", str(src))
    assert refused.code == 2
    assert "no column for network, author, text, created_at" in refused.err  # id: derived
    assert "--map" in refused.err
    result = cli(
        "import", "csv", str(src), "--network", "facebook",
        "--map", "Identifiant=id", "--map", "Date=created_at",
        "--map", "Compte=author", "--map", "Texte=text",
    )  # fmt: skip
    assert result.code == 0, result.err
    post = _posts(tmp_path)["a1"]
    assert post.network == "facebook" and post.text == "Forum de l'emploi\nsamedi à 10 h"


def test_bad_rows_are_rejected_with_their_line(tmp_path: Path, cli) -> None:
    src = _write(
        tmp_path / "t.csv",
        "id,network,author,text,created_at,likes\n"
        "1,x,a,ok,2026-01-01,1\n"
        "2,x,a,pas de date,,1\n"
        "3,x,a,trop,2026-01-01,1,extra\n"
        "4,x,a,ok aussi,2026-01-02,deux\n"
        "5,x,a,bon,2026-01-03,3\n",
    )
    result = cli("import", "csv", "--json", str(src))
    assert result.code == 1
    summary = json.loads(result.out)
    assert (summary["new"], summary["rejected"]) == (2, 3)
    where = {r["where"].rsplit(":", 1)[1]: r["reason"] for r in summary["rejections"]}
    assert "missing required field: created_at" in where["3"]
    assert "expected 6 columns, found 7" in where["4"]
    assert "'likes' must be a whole number" in where["5"]


def test_map_errors_are_usage_errors(tmp_path: Path, cli) -> None:
    src = _write(tmp_path / "t.csv", "a,b\n1,2\n")
    assert "unknown field 'texte'" in cli("import", "csv", str(src), "--map", "a=texte").err
    assert "not in the header: z" in cli("import", "csv", str(src), "--map", "z=text").err


def test_latin1_csv_is_refused_with_advice(tmp_path: Path, cli) -> None:
    src = tmp_path / "excel.csv"
    src.write_bytes("id;network;author;text;created_at\n1;x;a;été;2026-01-01\n".encode("latin-1"))
    result = cli("import", "csv", str(src))
    assert result.code == 2
    assert "not UTF-8" in result.err and "CSV UTF-8" in result.err
