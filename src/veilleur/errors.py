"""Errors every layer raises; the CLI turns them into a message and an exit status.

Every exception a user can meet derives from :class:`VeilleurError`: ``veilleur``'s entry
point prints its message (written for the user, in plain words) and exits with its
``exit_code``. Exit statuses follow one rule across commands: 1 when the command ran but
the input was partly bad or a delivery failed (some records rejected, a lint error, a
message not sent), 2 when the command itself could not run as asked. (130: interrupted.)
``tests/test_errors.py`` fails when an exception class defined in ``veilleur`` is outside
this tree.

The tree (the defining module in brackets when it is not this one)::

    VeilleurError (2)
    ├── UsageError (2) ......... an option, key, network or value the command cannot use
    │   ├── QuerySyntaxError (2) [query.errors]: a query that does not parse; names the column
    │   ├── LinkError (2) [events.links]: a link of an event mail altered, expired, or
    │   │                        no longer usable (an offer passed on, an event over)
    │   ├── NotSetUp (2) [events.links]: event mail links need ``events.base_url`` (the
    │   │                        public sign-up page logs it and shows a plain message)
    │   ├── MissingExtra (2): a feature needs an optional extra that is not installed
    │   │                        (``veilleur[pdf]``, ``veilleur[embeddings]``); names the
    │   │                        install command
    │   ├── LoginRefused (2) [accounts.service]: a wrong e-mail or password, or too many
    │   │                        failed logins lately (``retry_after`` seconds)
    │   └── Forbidden (2) [accounts.service]: the user's role does not allow what was asked
    ├── InputError (2) ......... a file or payload is not what it claims to be; ``where``
    │   │                        names file:line:column (or archive!member)
    │   ├── ArchiveError (2) [imports.archives]: an archive unsafe or unreadable (bomb,
    │   │                        member escaping the archive)
    │   ├── MemberError (2) [imports.exports]: one member of an export is unusable
    │   ├── RecordError (1) [imports.records]: one record is unusable (the importers reject
    │   │                        it and keep the others); also a ValueError
    │   ├── CarError (2) [imports.bluesky_car]: the CAR framing of a Bluesky repository
    │   │                        is broken at some byte; also a ValueError
    │   └── NotAFeed (2) [networks.rss]: a document that is neither RSS, Atom nor JSON
    │                            Feed; also a ValueError
    ├── RemoteError (2) ........ a remote service did not do what was asked
    │   ├── FetchError (2) [sources.http]: a request that did not succeed within the HTTP
    │   │                        policy (timeouts, retries, HTTP status); names the URL
    │   ├── AddressRefused (2) [sources.netguard]: a connection to a private, loopback or
    │   │                        otherwise non-public address, refused unless the workspace
    │   │                        allows it (``network.allow_private``)
    │   └── PublishError (2) [publish.publisher]: a network refused or failed a post;
    │                            ``retryable`` says if it is worth trying again
    ├── SearchError (2) [store.search]: the search index refused a compiled query (a term
    │                            its full-text engine cannot parse)
    ├── SecretKeyError (2) [store.secrets]: the key file that decrypts the workspace's
    │                            secrets is missing or not theirs
    ├── StorageError (2) [store.health]: the workspace's storage failed (disk full,
    │                            read-only, locked, damaged); says what to do
    ├── AnalysisError (2) [store.prepared]: a worker process analysing an import's posts
    │                            stopped (killed, out of memory); names the file; the
    │                            batches before are stored
    ├── MailError (1) [watch.mail]: a digest or alert e-mail could not be delivered
    └── DeliveryError (1) [watch.alerts]: an alert's webhook did not accept it

Collectors never let a :class:`FetchError` end a run (the runner records it on the
source); importers turn a :class:`RecordError` into a rejection (exit 1 at the end).
"""

from __future__ import annotations

from veilleur.i18n import t


class VeilleurError(Exception):
    """Base class: its message is written for the user, in plain words."""

    exit_code = 2


class UsageError(VeilleurError):
    """The command was asked for something it cannot do (bad option, unknown key)."""

    exit_code = 2


class InputError(VeilleurError):
    """A file or payload is not what it claims to be. ``where`` names file:line:column."""

    exit_code = 2

    def __init__(self, message: str, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class RemoteError(VeilleurError):
    """A remote service (a web server, a network's API) did not do what was asked."""

    exit_code = 2


class MissingExtra(UsageError):
    """A feature needs an optional part of veilleur that is not installed (``pip install``
    names it: ``veilleur[pdf]``, ``veilleur[embeddings]``)."""

    exit_code = 2

    def __init__(self, feature: str, extra: str) -> None:
        self.extra = extra
        super().__init__(
            t(
                "{feature} needs the optional extra '{extra}', which is not installed. "
                "Install it with: pip install 'veilleur[{extra}]' "
                "(in a clone: .venv/bin/pip install -e '.[{extra}]')",
                feature=feature,
                extra=extra,
            )
        )
