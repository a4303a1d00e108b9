"""The hostile probes of issue 14, run again: what a hostile feed, an odd file, a damaged
disk or a careless user tries, each against a fresh workspace through the real command line.

Each probe runs ``veilleur`` in-process and says what must hold. Its outcome is:

* ``held`` — no traceback, the exit status expected, the checks true;
* ``wrong`` — it ran but a check failed (a message missing, a good record lost…);
* ``crash`` — a Python exception escaped the command line, or a traceback was printed.

``tests/test_hostile_probes.py`` runs every probe in ``make test``;
``scripts/hostile_probes.py`` prints the count by area (the figures of docs/security.md).
Feeds are served by a small HTTP server on 127.0.0.1 (the workspace allows private
addresses for those probes only).
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from xml.etree import ElementTree

import orjson


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Outcome:
    name: str
    area: str
    status: str  # held | wrong | crash
    detail: str = ""


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[bytes, str]]] = {}

    def do_GET(self) -> None:
        body, ctype = self.routes.get(self.path.split("?")[0], (b"not found", "text/plain"))
        self.send_response(200 if self.path.split("?")[0] in self.routes else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


_SERVER: ThreadingHTTPServer | None = None


def _server() -> ThreadingHTTPServer:
    global _SERVER
    if _SERVER is None:
        _SERVER = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        threading.Thread(target=_SERVER.serve_forever, daemon=True).start()
    return _SERVER


class Ctx:
    """One probe's surroundings: a folder, its workspace, the CLI, the feed server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ws = folder / "ws"
        self.ws.mkdir(mode=0o700, parents=True, exist_ok=True)

    def cli(self, *args: str, workspace: Path | None = None) -> Result:
        from veilleur.cli.main import execute

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = execute(["--workspace", str(workspace or self.ws), *args])
        result = Result(code, out.getvalue(), err.getvalue())
        if "Traceback (most recent call last)" in result.out + result.err:
            raise _Crash(result.err[-2000:])
        return result

    def file(self, name: str, content: bytes | str) -> Path:
        path = self.folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return path

    def serve(self, route: str, body: bytes, ctype: str = "application/rss+xml") -> str:
        server = _server()
        _Handler.routes[route] = (body, ctype)
        return f"http://127.0.0.1:{server.server_address[1]}{route}"

    def allow_local(self) -> None:
        for key, value in (("network.allow_private", "true"), ("network.backoff_ms", "10"),
                           ("network.timeout", "10")):  # fmt: skip
            assert self.cli("config", "set", key, value).code == 0

    def posts(self) -> list[dict[str, Any]]:
        from veilleur.workspace import Workspace

        with Workspace(self.ws) as ws:
            return [p.to_json() for p in ws.store.iter_posts()]


class _Crash(Exception):
    pass


Probe = Callable[[Ctx], None]
PROBES: dict[str, tuple[str, Probe]] = {}


def probe(area: str) -> Callable[[Probe], Probe]:
    def register(function: Probe) -> Probe:
        PROBES[function.__name__.removeprefix("probe_")] = (area, function)
        return function

    return register


def run(name: str, folder: Path) -> Outcome:
    area, function = PROBES[name]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        function(Ctx(folder))
    except AssertionError as exc:
        return Outcome(name, area, "wrong", str(exc)[:500])
    except _Crash as exc:
        return Outcome(name, area, "crash", str(exc))
    except Exception:
        return Outcome(name, area, "crash", traceback.format_exc()[-2000:])
    return Outcome(name, area, "held")


def _jsonl_line(i: int, **extra: Any) -> bytes:
    record = {"id": f"p{i}", "network": "x", "author": "marie", "text": f"Ligne {i} emploi",
              "created_at": "2026-11-30T10:00:00Z", **extra}  # fmt: skip
    return orjson.dumps(record) + b"\n"


def _one_bad_among(ctx: Ctx, bad: bytes, total: int = 4500, at: int = 3000) -> None:
    lines = [_jsonl_line(i) for i in range(total)]
    lines[at] = bad
    path = ctx.file("posts.jsonl", b"".join(lines))
    res = ctx.cli("import", "jsonl", str(path))
    assert res.code == 1, (res.code, res.err)
    assert f"posts.jsonl:{at + 1}" in res.err, res.err
    assert f"{total - 1} new" in res.out, res.out


def _nested(depth: int) -> Any:
    value: Any = "fond"
    for _ in range(depth):
        value = {"a": value}
    return value


# -- one bad record loses nothing else ------------------------------------------------------


@probe("records")
def probe_count_beyond_64_bits(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(3000)[:-2] + b', "likes": 99999999999999999999}\n')


@probe("records")
def probe_date_out_of_range_after_utc_late(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(3000, created_at="9999-12-31T23:59:59-12:00"))


@probe("records")
def probe_date_out_of_range_after_utc_early(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(3000, created_at="0001-01-01T00:00:00+01:00"))


@probe("records")
def probe_raw_nested_256_deep(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(3000, raw=_nested(250)))


@probe("records")
def probe_negative_and_boolean_counts(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(3000, likes=-1), total=100, at=50)


@probe("records")
def probe_line_that_is_not_an_object(ctx: Ctx) -> None:
    _one_bad_among(ctx, b"[1, 2, 3]\n", total=100, at=10)


@probe("records")
def probe_lone_surrogate_escape(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(10)[:-2] + b', "title": "\\ud800"}\n', total=100, at=10)


@probe("records")
def probe_invalid_json_line(ctx: Ctx) -> None:
    _one_bad_among(ctx, b'{"id": "p10", "text": \n', total=100, at=10)


@probe("records")
def probe_network_with_terminal_codes(ctx: Ctx) -> None:
    line = _jsonl_line(10, network="\x1b]0;owned\x07\x1b[2J")
    _one_bad_among(ctx, line, total=100, at=10)
    res = ctx.cli("import", "jsonl", str(ctx.folder / "posts.jsonl"))
    assert "\x1b" not in res.err and "\x07" not in res.err


@probe("records")
def probe_rejected_value_with_markup_in_json_summary(ctx: Ctx) -> None:
    path = ctx.file("posts.jsonl", _jsonl_line(1) + _jsonl_line(2, network="[bold]x[/bold]"))
    res = ctx.cli("import", "jsonl", str(path), "--json")
    summary = orjson.loads(res.out)  # valid JSON, the value quoted as is
    assert summary["rejected"] == 1 and "[bold]" in summary["rejections"][0]["reason"]


@probe("records")
def probe_handle_that_names_nobody(ctx: Ctx) -> None:
    _one_bad_among(ctx, _jsonl_line(10, author="@"), total=100, at=10)


@probe("records")
def probe_duplicate_ids_in_one_file(ctx: Ctx) -> None:
    path = ctx.file("posts.jsonl", _jsonl_line(1) + _jsonl_line(1, text="autre") + _jsonl_line(2))
    res = ctx.cli("import", "jsonl", str(path))
    assert res.code == 0 and "2 new" in res.out and "1 duplicates within the file" in res.out


@probe("records")
def probe_binary_file_as_jsonl(ctx: Ctx) -> None:
    res = ctx.cli("import", "jsonl", str(ctx.file("x.jsonl", b"\x00\x01\x02" * 100)))
    assert res.code == 2 and "binary" in res.err


@probe("records")
def probe_empty_jsonl(ctx: Ctx) -> None:
    assert ctx.cli("import", "jsonl", str(ctx.file("x.jsonl", b""))).code == 0


@probe("records")
def probe_one_megabyte_text(ctx: Ctx) -> None:
    path = ctx.file("big.jsonl", _jsonl_line(1, text="emploi " * 150_000))
    assert ctx.cli("import", "jsonl", str(path)).code == 0
    assert len(ctx.posts()) == 1


@probe("records")
def probe_csv_latin1_byte_far_down(ctx: Ctx) -> None:
    rows = [b"id,network,author,text,created_at"]
    rows += [f"p{i},x,marie,ligne {i},2026-11-30T10:00:00Z".encode() for i in range(4000)]
    rows[3002] = b"p3001,x,marie,caf\xe9,2026-11-30T10:00:00Z"
    res = ctx.cli("import", "csv", str(ctx.file("x.csv", b"\n".join(rows) + b"\n")))
    assert res.code == 1 and "x.csv:3003" in res.err, res.err
    assert "3999 new" in res.out, res.out


@probe("records")
def probe_csv_field_over_128_kib(ctx: Ctx) -> None:
    rows = [b"id,network,author,text,created_at"]
    rows += [f"p{i},x,marie,ligne {i},2026-11-30T10:00:00Z".encode() for i in range(100)]
    rows[50] = b"p49,x,marie," + b"y" * 200_000 + b",2026-11-30T10:00:00Z"
    res = ctx.cli("import", "csv", str(ctx.file("x.csv", b"\n".join(rows) + b"\n")))
    assert res.code in (0, 1)
    assert len(ctx.posts()) >= 99  # the rows after it are read


@probe("records")
def probe_csv_with_nul_bytes(ctx: Ctx) -> None:
    res = ctx.cli("import", "csv", str(ctx.file("x.csv", b"id,text\n\x00\x00\n")))
    assert res.code == 2


@probe("records")
def probe_bluesky_car_from_dev_zero(ctx: Ctx) -> None:
    res = ctx.cli("import", "bluesky-car", "/dev/zero", "--author", "a.bsky.social")
    assert res.code == 2, res.err


@probe("records")
def probe_x_archive_from_dev_zero(ctx: Ctx) -> None:
    res = ctx.cli("import", "x-archive", "/dev/zero")
    assert res.code == 2, res.err


# -- queries ----------------------------------------------------------------------------------


def _query_refused(ctx: Ctx, query: str) -> None:
    res = ctx.cli("search", query)
    assert res.code == 2 and "column" in res.err.lower(), (res.code, res.err[:300])


@probe("queries")
def probe_200_nested_parentheses(ctx: Ctx) -> None:
    _query_refused(ctx, "(" * 200 + "a" + ")" * 200)


@probe("queries")
def probe_not_5000_times(ctx: Ctx) -> None:
    _query_refused(ctx, "NOT " * 5000 + "a")


@probe("queries")
def probe_minus_5000_times(ctx: Ctx) -> None:
    res = ctx.cli("search", "--", "-" * 5000 + "a")
    assert res.code == 2 and "column" in res.err.lower(), res.err[:300]


@probe("queries")
def probe_min_likes_beyond_64_bits(ctx: Ctx) -> None:
    _query_refused(ctx, "min_likes:99999999999999999999")


@probe("queries")
def probe_ten_thousand_words(ctx: Ctx) -> None:
    _query_refused(ctx, " ".join(f"mot{i}" for i in range(10_000)))


@probe("queries")
def probe_superscript_distance(ctx: Ctx) -> None:
    _query_refused(ctx, '"a b"~²')


@probe("queries")
def probe_five_hundred_wildcards(ctx: Ctx) -> None:
    _query_refused(ctx, " OR ".join("?x?*" for _ in range(500)))


@probe("queries")
def probe_backtracking_wildcard(ctx: Ctx) -> None:
    ctx.file("p.jsonl", _jsonl_line(1, text="a" * 60))
    ctx.cli("import", "jsonl", str(ctx.folder / "p.jsonl"))
    assert ctx.cli("search", "*a*a*a*a*a*a*a*c").code == 0


@probe("queries")
def probe_unclosed_quote_and_stray_operators(ctx: Ctx) -> None:
    for query in ('"emploi', "AND", "emploi OR", "NEAR/5", ")", "lang:", "\x00"):
        assert ctx.cli("search", query).code in (0, 2), query


@probe("queries")
def probe_near_distance_too_far(ctx: Ctx) -> None:
    _query_refused(ctx, "a NEAR/99999 b")


@probe("queries")
def probe_long_near_chain(ctx: Ctx) -> None:
    _query_refused(ctx, " NEAR/2 ".join(f"m{i}" for i in range(20)))


# -- feeds ------------------------------------------------------------------------------------


def _collect(ctx: Ctx, url: str) -> Result:
    ctx.allow_local()
    added = ctx.cli("source", "add", "rss", url, "--name", "f", "--no-check")
    assert added.code == 0, added.err
    return ctx.cli("collect", "--all")


def _rss(*items: str, head: str = '<?xml version="1.0" encoding="UTF-8"?>') -> bytes:
    return (f'{head}<rss version="2.0"><channel><title>F</title><link>https://f.example/</link>'
            + "".join(items) + "</channel></rss>").encode()  # fmt: skip


def _item(n: int, link: str | None = None, title: str | None = None) -> str:
    return (f"<item><title>{title or f'Titre {n}'}</title><link>{link or f'https://f.example/{n}'}"
            f"</link><guid>g{n}</guid><description>emploi {n}</description></item>")  # fmt: skip


@probe("feeds")
def probe_json_feed_items_of_the_wrong_type(ctx: Ctx) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "H", "items": [
        {"id": "1", "content_text": "bon", "url": "https://e.fr/1"}, 5,
        {"id": "2", "content_text": "x", "attachments": 5},
        {"id": "3", "content_text": "x", "tags": 5},
        {"id": "4", "content_text": "bon", "url": "https://e.fr/4"}]}  # fmt: skip
    res = _collect(ctx, ctx.serve("/j.json", orjson.dumps(doc), "application/feed+json"))
    assert res.code in (0, 1)
    assert len(ctx.posts()) >= 2


@probe("feeds")
def probe_json_feed_items_not_a_list(ctx: Ctx) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "H", "items": 5}
    res = _collect(ctx, ctx.serve("/j5.json", orjson.dumps(doc), "application/feed+json"))
    assert res.code in (0, 1)


@probe("feeds")
def probe_javascript_and_data_links(ctx: Ctx) -> None:
    body = _rss(_item(1, "javascript:alert(1)"), _item(2, "data:text/html,x"),
                _item(3, "file:///etc/passwd"), _item(4))  # fmt: skip
    _collect(ctx, ctx.serve("/js.xml", body))
    urls = {p.get("url") for p in ctx.posts()}
    assert urls <= {None, "https://f.example/4"}, urls
    assert ctx.cli("watch", "add", "e", "emploi").code == 0
    for fmt in ("html", "atom", "md", "json"):
        res = ctx.cli("digest", "e", "-f", fmt)
        assert res.code == 0, res.err
        for bad in ("javascript:", "data:text", "file:///"):
            assert bad not in res.out, (fmt, bad)


@probe("feeds")
def probe_control_characters_in_titles(ctx: Ctx) -> None:
    body = _rss(_item(1, title="Titre \x01\x1b[2J"), _item(2)).replace(b"\x1b", b"&#x1b;")
    _collect(ctx, ctx.serve("/c.xml", body))
    ctx.cli("watch", "add", "e", "emploi")
    res = ctx.cli("digest", "e", "-f", "atom")
    ElementTree.fromstring(res.out.encode())  # valid XML
    table = ctx.cli("search", "emploi")
    assert "\x1b" not in table.out and "\x01" not in table.out


@probe("feeds")
def probe_billion_laughs(ctx: Ctx) -> None:
    head = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                      for i in range(8)) + "]>")  # fmt: skip
    res = _collect(ctx, ctx.serve("/b.xml", _rss(_item(1, title="&i;"), head=head)))
    assert res.code in (0, 1)
    assert all(len(p.get("title") or "") < 100_000 for p in ctx.posts())


@probe("feeds")
def probe_truncated_feed(ctx: Ctx) -> None:
    res = _collect(ctx, ctx.serve("/t.xml", _rss(_item(1), _item(2))[:150]))
    assert res.code in (0, 1)


@probe("feeds")
def probe_broken_encoding_declaration(ctx: Ctx) -> None:
    body = _rss(_item(1), head='<?xml version="1.0" encoding="\x80tf-8"?>')
    assert _collect(ctx, ctx.serve("/e.xml", body)).code in (0, 1)


@probe("feeds")
def probe_surrogate_character_reference(ctx: Ctx) -> None:
    body = _rss(_item(1), _item(2, title="mal &#xD800; titre"), _item(3))
    assert _collect(ctx, ctx.serve("/s.xml", body)).code in (0, 1)


@probe("feeds")
def probe_not_a_feed_at_all(ctx: Ctx) -> None:
    assert _collect(ctx, ctx.serve("/n.xml", b"\x89PNG\r\n\x1a\n" * 50, "image/png")).code in (
        0,
        1,
    )


# -- network position ------------------------------------------------------------------------


def _source_refused(ctx: Ctx, url: str) -> None:
    res = ctx.cli("source", "add", "rss", url, "--no-check")
    assert res.code == 2, (url, res.code, res.err)


@probe("network")
def probe_loopback_feed(ctx: Ctx) -> None:
    _source_refused(ctx, "http://127.0.0.1:8080/feed")


@probe("network")
def probe_6to4_loopback(ctx: Ctx) -> None:
    _source_refused(ctx, "http://[2002:7f00:1::]/feed")


@probe("network")
def probe_ipv4_mapped_loopback(ctx: Ctx) -> None:
    _source_refused(ctx, "http://[::ffff:127.0.0.1]/feed")


@probe("network")
def probe_nat64_loopback(ctx: Ctx) -> None:
    _source_refused(ctx, "http://[64:ff9b::7f00:1]/feed")


@probe("network")
def probe_link_local_metadata(ctx: Ctx) -> None:
    _source_refused(ctx, "http://169.254.169.254/latest/meta-data")


@probe("network")
def probe_malformed_ipv6_url(ctx: Ctx) -> None:
    _source_refused(ctx, "http://[::1")


@probe("network")
def probe_javascript_source(ctx: Ctx) -> None:
    _source_refused(ctx, "javascript:alert(1)")


@probe("network")
def probe_credentials_in_url(ctx: Ctx) -> None:
    _source_refused(ctx, "https://bank.example@evil.example/feed")


@probe("network")
def probe_webhook_on_loopback(ctx: Ctx) -> None:
    ctx.cli("watch", "add", "e", "emploi")
    res = ctx.cli("alert", "add", "a", "--watch", "e", "--spike", "3",
                  "--webhook", "javascript:alert(1)")  # fmt: skip
    assert res.code == 2


@probe("network")
def probe_opml_with_hostile_addresses(ctx: Ctx) -> None:
    opml = ('<?xml version="1.0"?><opml version="2.0"><body>'
            '<outline text="a" xmlUrl="javascript:alert(1)"/>'
            '<outline text="b" xmlUrl="http://10.0.0.1/rss"/>'
            '<outline text="c" xmlUrl="https://heise.example/rss"/></body></opml>')  # fmt: skip
    res = ctx.cli("source", "import-opml", str(ctx.file("a.opml", opml)))
    assert res.code == 1 and "1 feeds added" in res.out, (res.out, res.err)


@probe("network")
def probe_opml_entity_expansion(ctx: Ctx) -> None:
    opml = ('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">]>'
            '<opml version="2.0"><body><outline text="&a;" xmlUrl="https://x.example/f"/>'
            "</body></opml>")  # fmt: skip
    assert ctx.cli("source", "import-opml", str(ctx.file("b.opml", opml))).code == 2


# -- output -----------------------------------------------------------------------------------


def _hostile_posts(ctx: Ctx) -> None:
    lines = [
        _jsonl_line(1, text='=HYPERLINK("http://evil.example","x") emploi'),
        _jsonl_line(2, text="@SUM(1+1) emploi", author="=cmd|' /C calc'!A0"),
        _jsonl_line(3, text="emploi \x1b]0;owned\x07 \x1b[2J", author="marie"),
        _jsonl_line(4, text="+1+1 emploi", url="javascript:alert(1)"),
    ]
    res = ctx.cli("import", "jsonl", str(ctx.file("h.jsonl", b"".join(lines))))
    assert res.code in (0, 1), res.err


@probe("output")
def probe_search_csv_formulas(ctx: Ctx) -> None:
    _hostile_posts(ctx)
    res = ctx.cli("search", "emploi", "-f", "csv")
    for line in res.out.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.strip('"').startswith(("=", "+", "@", "-")), line


@probe("output")
def probe_search_table_terminal_codes(ctx: Ctx) -> None:
    _hostile_posts(ctx)
    res = ctx.cli("search", "emploi")
    assert res.code == 0 and "\x1b" not in res.out and "\x07" not in res.out


@probe("output")
def probe_stored_javascript_link_in_digest(ctx: Ctx) -> None:
    _hostile_posts(ctx)
    ctx.cli("watch", "add", "e", "emploi")
    for fmt in ("html", "md", "atom"):
        res = ctx.cli("digest", "e", "-f", fmt)
        assert "javascript:" not in res.out, fmt


@probe("output")
def probe_queue_link_javascript(ctx: Ctx) -> None:
    for link in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"):
        res = ctx.cli("queue", "add", "Bonjour", "-n", "linkedin", "--link", link)
        assert res.code == 2, (link, res.err)


@probe("output")
def probe_queue_export_formulas(ctx: Ctx) -> None:
    assert ctx.cli("queue", "add", '=HYPERLINK("http://e","x")', "-n", "mastodon").code == 0
    res = ctx.cli("queue", "export", "--layout", "buffer")
    assert res.code == 0 and "'=HYPERLINK" in res.out, res.out


@probe("output")
def probe_mail_address_with_crlf(ctx: Ctx) -> None:
    ctx.cli("watch", "add", "e", "emploi")
    res = ctx.cli("alert", "add", "a", "--watch", "e", "--spike", "3",
                  "--mail", "a@b.example\r\nBcc: c@d.example")  # fmt: skip
    assert res.code == 2


@probe("output")
def probe_alert_check_terminal_codes(ctx: Ctx) -> None:
    ctx.cli("watch", "add", "e", "emploi")
    ctx.cli("alert", "add", "a\x1b]0;x\x07", "--watch", "e", "--account", "marie",
            "--mail", "veille@pme.example")  # fmt: skip
    line = _jsonl_line(1, text="emploi \x1b]0;x\x07")
    ctx.cli("import", "jsonl", str(ctx.file("a.jsonl", line)))
    res = ctx.cli("alert", "check")
    assert res.code == 1 and "a]0;x" in res.err, res.err
    assert "\x1b" not in res.err and "\x07" not in res.err


@probe("output")
def probe_opml_export_control_characters(ctx: Ctx) -> None:
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": "Veille\u0001\u001b[2J",
           "items": [{"id": "1", "content_text": "emploi", "url": "https://e.fr/1"}]}  # fmt: skip
    _collect(ctx, ctx.serve("/o.json", orjson.dumps(doc), "application/feed+json"))
    res = ctx.cli("source", "export-opml")
    root = ElementTree.fromstring(res.out.encode())  # valid XML
    assert any(o.get("title") == "Veille[2J" for o in root.iter("outline")), res.out


# -- storage and secrets ----------------------------------------------------------------------


@probe("storage")
def probe_garbage_database(ctx: Ctx) -> None:
    (ctx.ws / "veilleur.sqlite").write_bytes(b"not a database at all" * 100)
    res = ctx.cli("stats")
    assert res.code == 2 and "doctor" in res.err, res.err


@probe("storage")
def probe_truncated_database(ctx: Ctx) -> None:
    lines = b"".join(_jsonl_line(i) for i in range(2000))
    ctx.cli("import", "jsonl", str(ctx.file("p.jsonl", lines)))
    db = ctx.ws / "veilleur.sqlite"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for name in ("veilleur.sqlite-wal", "veilleur.sqlite-shm"):
        with contextlib.suppress(FileNotFoundError):
            (ctx.ws / name).unlink()
    res = ctx.cli("import", "jsonl", str(ctx.folder / "p.jsonl"))
    assert res.code == 2, (res.code, res.err)


@probe("storage")
def probe_folder_of_other_files(ctx: Ctx) -> None:
    documents = ctx.folder / "Documents"
    documents.mkdir()
    (documents / "lettre.txt").write_text("bonjour")
    res = ctx.cli("stats", workspace=documents)
    assert res.code == 2 and not (documents / "veilleur.sqlite").exists()


@probe("storage")
def probe_missing_workspace(ctx: Ctx) -> None:
    res = ctx.cli("stats", workspace=ctx.folder / "absent" / "ws")
    assert res.code == 2 and not (ctx.folder / "absent").exists()


@probe("storage")
def probe_private_files(ctx: Ctx) -> None:
    target = ctx.folder / "neuf"
    assert ctx.cli("init", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((target / "veilleur.sqlite").stat().st_mode) == 0o600


@probe("storage")
def probe_backup_never_overwrites(ctx: Ctx) -> None:
    ctx.cli("stats")
    dest = ctx.file("existing.sqlite", b"keep me")
    assert ctx.cli("backup", str(dest)).code == 2
    assert dest.read_bytes() == b"keep me"


@probe("secrets")
def probe_http_publishing_server(ctx: Ctx) -> None:
    res = ctx.cli("queue", "account", "add", "a", "-n", "mastodon", "--server",
                  "http://social.example", "--secret", "s")  # fmt: skip
    assert res.code == 2


@probe("secrets")
def probe_smtp_password_not_in_clear(ctx: Ctx) -> None:
    assert ctx.cli("config", "set", "smtp.password", "mot-de-passe-tres-secret").code == 0
    for path in ctx.ws.glob("veilleur.sqlite*"):
        assert b"mot-de-passe-tres-secret" not in path.read_bytes(), path


@probe("secrets")
def probe_config_list_without_key(ctx: Ctx) -> None:
    ctx.cli("config", "set", "smtp.password", "x")
    key = os.environ.get("VEILLEUR_KEY_FILE")
    os.environ["VEILLEUR_KEY_FILE"] = str(ctx.folder / "other.key")
    try:
        res = ctx.cli("config", "list")
    finally:
        if key is not None:
            os.environ["VEILLEUR_KEY_FILE"] = key
    assert res.code == 0 and "********" in res.out


@contextlib.contextmanager
def isolated_env(folder: Path) -> Iterator[None]:
    """The environment a probe run needs: English messages, a key file of its own."""
    saved = {k: os.environ.get(k) for k in ("VEILLEUR_LANG", "VEILLEUR_KEY_FILE",
                                            "VEILLEUR_WORKSPACE")}  # fmt: skip
    os.environ.update(VEILLEUR_LANG="en", VEILLEUR_KEY_FILE=str(folder / "secret.key"),
                      VEILLEUR_WORKSPACE=str(folder / "default-ws"))  # fmt: skip
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
