"""Role grants: a co-ordinator (or the operator at the command line) says who is an analyst or a
co-ordinator, by e-mail address or by a group the identity provider names; every change is audited."""
from __future__ import annotations

from pathlib import Path

import queries
from access import ROLES, Actor, require
from core.errors import LoadRefused
from ingest.publish import publish

KINDS = ("email", "group")
MAX_PRINCIPAL = 200


def _checked(principal: str, kind: str) -> str:
    principal = (principal or "").strip()
    if kind not in KINDS:
        raise LoadRefused(f"A grant is for an e-mail address or a group, not {kind!r}.")
    if not principal or len(principal) > MAX_PRINCIPAL:
        raise LoadRefused(f"Give the e-mail address or group (at most {MAX_PRINCIPAL} characters).")
    if kind == "email":
        if "@" not in principal or any(c.isspace() for c in principal):
            raise LoadRefused(f"{principal!r} is not an e-mail address.")
        principal = principal.lower()
    return principal


def grant_role(db_path: Path | str, *, principal: str, kind: str, role: str, actor: Actor) -> None:
    """Give the principal the role (replacing any it had); audited with who and when."""
    changed_by = require(actor, "edit roles").who
    principal = _checked(principal, kind)
    if role not in ROLES:
        raise LoadRefused(f"The role must be one of {', '.join(ROLES)}, not {role!r}.")
    params = {"principal": principal, "kind": kind, "role": role, "changed_by": changed_by}
    with publish(db_path) as con:
        queries.execute(con, "ingest/record_role_change", params)
        queries.execute(con, "ingest/grant_role", params)


def remove_grant(db_path: Path | str, *, principal: str, kind: str, actor: Actor) -> None:
    """Take the principal's grant away (they are a viewer again); audited."""
    changed_by = require(actor, "edit roles").who
    principal = _checked(principal, kind)
    params = {"principal": principal, "kind": kind, "role": None, "changed_by": changed_by}
    with publish(db_path) as con:
        queries.execute(con, "ingest/record_role_change", params)
        # Only the statement's own parameters: DuckDB refuses named parameters a statement does not use.
        if not queries.execute(con, "ingest/remove_role_grant", {"principal": principal, "kind": kind}):
            raise LoadRefused(f"{principal} has no grant to remove.")
