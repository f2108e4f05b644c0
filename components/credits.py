"""Who did something, as this session's user is told.

Co-ordinators see the recorded identity (they manage the grants and keep the audit); everyone
else sees a name and the role the action needed (access.public_name), never an e-mail address.
Text that is published (commentary credits, Panel mode, the paper) uses access.public_name for
everyone.
"""
from __future__ import annotations

import pandas as pd

import access
from components.identity import current_actor


def sees_identities() -> bool:
    return current_actor().can("edit roles")


def credit(identity, action: str) -> str:
    """The person recorded for `action`, as this session's user may see them."""
    if sees_identities():
        return identity if isinstance(identity, str) else ""
    return access.public_name(identity, action)


def credit_column(values: pd.Series, action: str) -> pd.Series:
    """A column of recorded identities, as this session's user may see them (empty cells stay empty)."""
    if sees_identities():
        return values
    return values.map(lambda v: access.public_name(v, action) if isinstance(v, str) else v)
