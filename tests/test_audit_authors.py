"""``--author``: a unique prefix names a stored handle; a miss suggests close handles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from veilleur.audit import audit_accounts
from veilleur.audit.audits import resolve_author
from veilleur.errors import UsageError
from veilleur.workspace import Workspace

from .audit_planted import PROFILE, regular


def _store(ws: Workspace) -> None:
    posts = [
        replace(p, author="dealingwith@indieweb.social", network="mastodon") for p in regular("x")
    ]
    others = [replace(p, author="deal@other.example", network="mastodon") for p in regular("y")]
    ws.store.write_posts(posts + others + regular("dupont-usinage"))


def test_a_mastodon_handle_without_its_instance_is_found(ws: Workspace) -> None:
    _store(ws)
    assert resolve_author(ws.store, "dealingwith") == "dealingwith@indieweb.social"
    assert resolve_author(ws.store, "@DealingWith") == "dealingwith@indieweb.social"
    assert resolve_author(ws.store, "deal") == "deal@other.example"  # exact before instance
    assert resolve_author(ws.store, "dupont") == "dupont-usinage"  # a unique prefix
    audit = audit_accounts(ws.store, ["dealingwith"], PROFILE)[0]
    assert audit.author == "dealingwith@indieweb.social"


def test_a_miss_suggests_close_handles(ws: Workspace) -> None:
    _store(ws)
    with pytest.raises(UsageError, match=r"dealingwith@indieweb\.social"):
        resolve_author(ws.store, "dealingwiht")
    with pytest.raises(UsageError, match="several accounts"):
        resolve_author(ws.store, "d")
    with pytest.raises(UsageError) as caught:
        resolve_author(ws.store, "zzz")
    assert "did you mean" not in str(caught.value)
