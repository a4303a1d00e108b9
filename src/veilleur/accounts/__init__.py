"""accounts: the people of the web workbench — organisations, users and their roles, the
workspaces an organisation holds, invitations, the login and its rate limit, API tokens.
The pillar's door.

    add_user(store, email, password, role, organisation)     the first owner (veilleur user add)
    authenticate(store, email, password, client) -> User     or LoginRefused (rate limited)
    register_workspace(store, path, organisation)            a workspace the server serves
    invite(store, organisation, role, by) -> token           single-use, expiring link
    rank(role)                                               viewer < editor < admin < owner

The tables live in the database of the server's home workspace (docs/internals/web.md).
Importing this package is cheap: each name is loaded from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from veilleur.lazy import exports

if TYPE_CHECKING:
    from veilleur.accounts.service import (
        DEFAULT_ORGANISATION,
        ROLES,
        Forbidden,
        LoginRefused,
        Member,
        Membership,
        User,
        WorkspaceEntry,
        accept_invitation,
        add_user,
        authenticate,
        change_password,
        create_token,
        demo_login,
        ensure_organisation,
        get_user,
        invitation,
        invite,
        members,
        memberships,
        organisations,
        pending_invitations,
        rank,
        register_workspace,
        reset_password,
        revoke_token,
        role_in,
        set_member_role,
        set_preferences,
        token_user,
        tokens,
        workspace,
        workspaces,
    )

__all__ = [
    "DEFAULT_ORGANISATION",
    "ROLES",
    "Forbidden",
    "LoginRefused",
    "Member",
    "Membership",
    "User",
    "WorkspaceEntry",
    "accept_invitation",
    "add_user",
    "authenticate",
    "change_password",
    "create_token",
    "demo_login",
    "ensure_organisation",
    "get_user",
    "invitation",
    "invite",
    "members",
    "memberships",
    "organisations",
    "pending_invitations",
    "rank",
    "register_workspace",
    "reset_password",
    "revoke_token",
    "role_in",
    "set_member_role",
    "set_preferences",
    "token_user",
    "tokens",
    "workspace",
    "workspaces",
]

__getattr__ = exports(__name__, {name: "veilleur.accounts.service" for name in __all__})
