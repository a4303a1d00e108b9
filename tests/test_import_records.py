"""Every record on its own (issue 14): one bad value, one bad item, one odd file never
costs the good records around it, and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veilleur.imports.records import check_post
from veilleur.imports.runner import ImportSummary, import_file
from veilleur.model import MAX_COUNT, Post, parse_datetime
from veilleur.store import SQLiteStore


def _line(i: int, **extra: object) -> str:
    record: dict[str, object] = {
        "id": f"p{i}",
        "network": "mastodon",
        "author": "user@exemple.fr",
        "text": f"Message {i}",
        "created_at": "2026-03-01T10:00:00+02:00",
    }
    record.update(extra)
    return json.dumps(record)


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = {"a": value}
    return value


BAD_VALUES = {
    "likes": {"likes": 99999999999999999999},
    "late-date": {"created_at": "9999-12-31T23:59:59-12:00"},
    "early-date": {"created_at": "0001-01-01T00:00:00+01:00"},
    "deep": {"extra": _deep(300)},
}


@pytest.mark.parametrize("bad", list(BAD_VALUES), ids=list(BAD_VALUES))
def test_one_bad_value_at_line_3001_of_4500_keeps_the_4499_others(
    cli, tmp_path: Path, bad: str
) -> None:
    lines = [_line(i, **(BAD_VALUES[bad] if i == 3001 else {})) for i in range(1, 4501)]
    src = tmp_path / "posts.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "jsonl", str(src))
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert "4500 read · 4499 new" in result.out.replace("\u202f", "").replace(",", "")
    assert f"{src}:3001" in result.err


def test_a_date_out_of_range_in_utc_is_a_value_error_not_an_overflow() -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime("9999-12-31T23:59:59-12:00")
    with pytest.raises(ValueError, match="out of range"):
        parse_datetime("0001-01-01T00:00:00+01:00")
    assert parse_datetime("9999-12-31T23:59:59+00:00").year == 9999


def test_check_post_names_the_field_a_normaliser_let_through() -> None:
    post = Post(id="1", network="x", author="a", text="t", created_at=parse_datetime("2026-01-01"))
    assert check_post(post) is post
    post.likes = MAX_COUNT + 1
    with pytest.raises(ValueError, match="likes"):
        check_post(post)
    post.likes, post.raw = 1, {"deep": _deep(200)}
    with pytest.raises(ValueError, match="nested"):
        check_post(post)


def test_a_batch_that_fails_to_write_is_retried_post_by_post(tmp_path: Path) -> None:
    """A post that slipped past the reader's checks costs itself, not its batch."""
    good = [
        Post(id=str(i), network="x", author="a", text="t", created_at=parse_datetime("2026-01-01"))
        for i in range(10)
    ]
    good[4].likes = 2**70  # out of SQLite's INTEGER: the batch of 10 fails as a whole

    def reader(path: Path, progress: object = None):  # type: ignore[no-untyped-def]
        yield from good

    summary = ImportSummary()
    with SQLiteStore(tmp_path / "db.sqlite") as store:
        import_file(store, tmp_path / "f.jsonl", reader, summary, batch_size=10)
        assert store.count_posts() == 9
    assert (summary.new, summary.rejected) == (9, 1)
    assert "post 4" in summary.rejections[0].where


# -- wrong-typed fields in the platforms' exports ------------------------------------------

from tests.car_builder import Blocks, _varint, build_car  # noqa: E402
from tests.export_helpers import FIXTURES  # noqa: E402


def _summary(result) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert "Traceback" not in result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def _car_with(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    spec = json.loads((FIXTURES / "bluesky" / "repo.json").read_text(encoding="utf-8"))
    change(spec["records"])
    source = tmp_path / "repo.json"
    source.write_text(json.dumps(spec), encoding="utf-8")
    return build_car(source, tmp_path / "repo.car")


def _posts(records: dict) -> list[str]:  # type: ignore[type-arg]
    return sorted(k for k, v in records.items() if v.get("$type") == "app.bsky.feed.post")


@pytest.mark.parametrize(
    ("field", "value"), [("facets", 5), ("embed", {"$type": "x", "images": 5})]
)
def test_car_record_with_a_wrong_typed_field_is_one_rejection(
    cli, tmp_path: Path, field: str, value: object
) -> None:
    (tmp_path / "ws0").mkdir(mode=0o700)  # a second workspace, for the whole file's count
    whole = cli(
        "--workspace",
        str(tmp_path / "ws0"),
        "import",
        "bluesky-car",
        "--json",
        str(build_car(FIXTURES / "bluesky" / "repo.json", tmp_path / "good.car")),
    )
    good = _summary(whole)["new"]

    def change(records: dict) -> None:  # type: ignore[type-arg]
        records[_posts(records)[0]][field] = value
        if field == "embed":
            records[_posts(records)[0]]["embed"]["$type"] = "app.bsky.embed.images"

    car = _car_with(tmp_path, change)
    result = cli("import", "bluesky-car", "--json", str(car))
    summary = _summary(result)
    assert result.code == 1
    assert (summary["new"], summary["rejected"]) == (good - 1, 1)
    assert summary["rejections"][0]["where"].startswith(f"{car} (app.bsky.feed.post/")


def test_car_whose_commit_data_is_a_list_is_refused_with_a_message(cli, tmp_path: Path) -> None:
    import libipld

    blocks = Blocks()
    commit = blocks.put({"did": "did:plc:x", "version": 3, "data": [1, 2], "rev": "r"})
    header = libipld.encode_dag_cbor({"version": 1, "roots": [commit]})
    body = _varint(len(header)) + header
    for cid, data in blocks.items:
        body += _varint(len(cid) + len(data)) + cid + data
    car = tmp_path / "list.car"
    car.write_bytes(body)
    result = cli("import", "bluesky-car", str(car))
    assert "Traceback" not in result.err
    assert result.code in (1, 2)
    assert str(car) in result.err


def test_mastodon_attachment_5_is_one_rejection(cli, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "archive"
    shutil.copytree(FIXTURES / "mastodon", folder)
    outbox = json.loads((folder / "outbox.json").read_text(encoding="utf-8"))
    total = len(outbox["orderedItems"])
    outbox["orderedItems"][0]["object"]["attachment"] = 5
    (folder / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    result = cli("import", "mastodon-archive", "--json", str(folder))
    summary = _summary(result)
    assert result.code == 1
    assert summary["rejected"] == 1
    assert summary["new"] >= total - 2
    assert summary["rejections"][0]["where"] == f"{folder / 'outbox.json'} (item 1)"


def test_facebook_timestamp_1e20_is_one_rejection(cli, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "fb"
    shutil.copytree(FIXTURES / "facebook", folder)
    (member,) = folder.rglob("your_posts*.json")
    entries = json.loads(member.read_text(encoding="utf-8"))
    entries[0]["timestamp"] = 1e20
    member.write_text(json.dumps(entries), encoding="utf-8")
    result = cli("import", "facebook-export", "--author", "atelier", "--json", str(folder))
    summary = _summary(result)
    assert result.code == 1
    assert (summary["new"], summary["rejected"]) == (len(entries) - 1, 1)
    assert summary["rejections"][0]["where"] == f"{member} (entry 1)"


def test_x_tweets_js_nested_5000_deep_keeps_the_tweets_before(cli, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "x"
    shutil.copytree(FIXTURES / "x-archive", folder)
    tweets = folder / "data" / "tweets.js"
    text = tweets.read_text(encoding="utf-8").rstrip().rstrip(";").rstrip()
    assert text.endswith("]")
    tweets.write_text(text[:-1] + ", " + "[" * 5000 + "]" * 5000 + "]\n", encoding="utf-8")
    result = cli("import", "x-archive", "--json", str(folder))
    summary = _summary(result)
    assert result.code == 1
    assert summary["new"] > 0
    assert any("nested too deep" in r["reason"] for r in summary["rejections"])
    assert any(r["where"].startswith(str(tweets)) for r in summary["rejections"])


# -- pipes and devices are bounded like files -----------------------------------------------

import os  # noqa: E402
import threading  # noqa: E402

from veilleur.errors import InputError  # noqa: E402
from veilleur.imports.archives import Limits  # noqa: E402
from veilleur.imports.bluesky_car import read_bluesky_car  # noqa: E402
from veilleur.imports.x_archive import read_x_archive  # noqa: E402


def _fifo(tmp_path: Path, data: bytes, name: str = "pipe") -> Path:
    """A named pipe a thread writes ``data`` into, as `cat file |` would."""
    fifo = tmp_path / name
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with fifo.open("wb") as handle:
                for start in range(0, len(data), 65536):
                    handle.write(data[start : start + 65536])
        except BrokenPipeError:  # the reader stopped at its limit: what is tested
            pass

    threading.Thread(target=write, daemon=True).start()
    return fifo


ENDLESS = b"\x00" * (3 * 1024 * 1024)  # /dev/zero, as far as a 1 MiB limit can tell


def test_bluesky_car_from_an_endless_pipe_stops_at_the_limit(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path, ENDLESS)
    with pytest.raises(InputError, match="is larger than 1048576 bytes"):
        list(read_bluesky_car(fifo, limits=Limits(max_member=1024 * 1024)))


def test_x_archive_from_an_endless_pipe_stops_at_the_limit(tmp_path: Path) -> None:
    fifo = _fifo(tmp_path, ENDLESS)
    with pytest.raises(InputError, match="is larger than 1048576 bytes"):
        list(read_x_archive(fifo, limits=Limits(max_member=1024 * 1024)))


def test_x_archive_from_dev_zero_returns(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    with pytest.raises(InputError, match="larger than"):
        list(read_x_archive(Path("/dev/zero"), limits=Limits(max_member=1024 * 1024)))


def test_a_tweets_js_through_a_pipe_is_read_like_a_file(cli, tmp_path: Path) -> None:
    tweets = (FIXTURES / "x-archive" / "data" / "tweets.js").read_bytes()
    fifo = _fifo(tmp_path, tweets, "tweets.js")
    result = cli("import", "x-archive", "--author", "atelier", "--json", str(fifo))
    assert "Traceback" not in result.err
    assert _summary(result)["new"] > 0


# -- CSV decoded line by line ---------------------------------------------------------------


def _csv_rows(count: int) -> list[bytes]:
    rows = [b"id,network,author,text,created_at"]
    rows += [
        f"c{i},mastodon,user@exemple.fr,Ligne {i},2026-03-01T10:00:00Z".encode()
        for i in range(2, count + 2)
    ]
    return rows


def test_a_latin1_byte_on_line_3002_costs_that_row_only(cli, tmp_path: Path) -> None:
    rows = _csv_rows(4500)  # lines 2..4501
    rows[3001] = rows[3001].replace(b"Ligne", b"Caf\xe9")  # line 3,002
    src = tmp_path / "posts.csv"
    src.write_bytes(b"\n".join(rows) + b"\n")
    result = cli("import", "csv", "--json", str(src))
    summary = _summary(result)
    assert result.code == 1
    assert (summary["new"], summary["rejected"]) == (4499, 1)
    rejection = summary["rejections"][0]
    assert rejection["where"] == f"{src}:3002"
    assert "UTF-8" in rejection["reason"]


def test_a_field_over_128_kib_is_one_rejection_and_later_rows_are_read(cli, tmp_path: Path) -> None:
    rows = _csv_rows(100)
    rows[50] = rows[50].replace(b"Ligne", b"x" * 200_000)  # line 51
    src = tmp_path / "posts.csv"
    src.write_bytes(b"\n".join(rows) + b"\n")
    result = cli("import", "csv", "--json", str(src))
    summary = _summary(result)
    assert result.code == 1
    assert (summary["new"], summary["rejected"]) == (99, 1)
    assert summary["rejections"][0]["where"] == f"{src}:51"
    assert "field" in summary["rejections"][0]["reason"]


# -- duplicates: in a zip, in a file, across imports ----------------------------------------

from tests.export_helpers import zip_members  # noqa: E402
from veilleur.workspace import Workspace  # noqa: E402


def test_a_zip_holding_two_tweets_js_is_refused(cli, tmp_path: Path) -> None:
    tweets = (FIXTURES / "x-archive" / "data" / "tweets.js").read_bytes()
    archive = zip_members(
        tmp_path / "x.zip", {"data/tweets.js": tweets, "./data/tweets.js": b"window.YTD = []"}
    )
    result = cli("import", "x-archive", "--author", "atelier", str(archive))
    assert "Traceback" not in result.err
    assert result.code == 2
    assert "data/tweets.js" in result.err and "twice" in result.err


def test_duplicate_ids_within_one_file_are_counted_as_duplicates(cli, tmp_path: Path) -> None:
    src = tmp_path / "posts.jsonl"
    src.write_text("\n".join([_line(1), _line(2), _line(1), _line(3), _line(2)]) + "\n")
    result = cli("import", "jsonl", "--json", str(src))
    summary = _summary(result)
    assert result.code == 0
    assert (summary["read"], summary["new"], summary["known"]) == (5, 3, 0)
    assert summary["duplicates"] == 2
    text = cli("import", "jsonl", str(src)).out
    assert "0 new · 0 updated · 3 already known · 0 rejected · 2 duplicates" in text


def test_a_reimport_with_another_text_keeps_the_stored_text_and_says_so(
    cli, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(_line(1, likes=1) + "\n" + _line(2) + "\n")
    second.write_text(_line(1, likes=5, text="Texte corrigé") + "\n" + _line(2) + "\n")
    assert cli("import", "jsonl", str(first)).code == 0
    result = cli("import", "jsonl", str(second))
    assert result.code == 0
    assert "1 updated" in result.out
    assert "1 post was already stored with another text: the stored text is kept" in result.out
    with Workspace(tmp_path / "ws") as ws:
        post = ws.store.get_post("mastodon", "p1")
    assert post is not None and (post.text, post.likes) == ("Message 1", 5)
