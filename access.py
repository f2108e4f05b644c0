"""Who may see and do what: roles, the caller of every write, and the release of provisional data.

Plain Python with no Streamlit: the app resolves the signed-in user into an Actor
(components/identity.py), the command line acts as the operator, and every write
function in ingest/ calls require(actor, action) before it changes anything. What a
reader may see is a Visibility, which the data-access layer (datastore.reader) adds
to every query, so a page cannot forget it.
"""
from __future__ import annotations

import getpass
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from core.errors import LoadRefused
from core.settings import settings

VIEWER, ANALYST, COORDINATOR = "viewer", "analyst", "coordinator"
ROLES = (VIEWER, ANALYST, COORDINATOR)  # in rising order of what they may do
ROLE_NAMES = {VIEWER: "viewer", ANALYST: "analyst", COORDINATOR: "co-ordinator"}


def a_role(role: str) -> str:
    """The role's name with its article, as a sentence says it: "an analyst", "a co-ordinator"."""
    name = ROLE_NAMES[role]
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"

# Each action and the least role that may take it.
ACTIONS = {
    "see provisional data": ANALYST,
    "use the what-if tools": ANALYST,
    "load data": COORDINATOR,
    "undo a load": COORDINATOR,
    "rebase a chart": COORDINATOR,
    "set a target": COORDINATOR,
    "write commentary": COORDINATOR,
    "publish data": COORDINATOR,
    "annotate a chart": COORDINATOR,
    "edit the paper": COORDINATOR,
    "edit roles": COORDINATOR,
    "see the returns calendar": COORDINATOR,
    "edit availability": COORDINATOR,
    "edit the catalogue": COORDINATOR,
}

UK = ZoneInfo("Europe/London")
CLOCK_ENV = "DASHBOARD_NOW"  # ISO date-time that stands for now (tests, and rehearsing a release)


class NotAllowed(LoadRefused):
    """The caller's role does not allow the action; nothing was changed."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in identity (or the operating-system user at the command line) and its role."""

    identity: str
    role: str
    via: str  # "sign-in", "command line" or "public"
    # When the provider signed this user in (the ID token's issue time): a sign-in counts for
    # [sign_in] max_age_minutes (core/settings.toml) and until they sign out. None: not from a token.
    signed_in_at: datetime | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")

    @property
    def who(self) -> str:
        """What the audit records as "who"."""
        return self.identity

    def can(self, action: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(ACTIONS[action])


PUBLIC = Actor("public", VIEWER, "public")


def operator() -> Actor:
    """The command line stands for the operator, who has the server: a co-ordinator, recorded as the OS user."""
    return Actor(getpass.getuser(), COORDINATOR, "command line")


OPERATOR_NAME = "the data team (operator)"
NAME_PART = re.compile(r"[a-z]+(?:['-][a-z]+)*", re.IGNORECASE)  # "smith", "smith-jones", "o'neil"
ACCOUNT_NAME = re.compile(r"[a-z_][a-z0-9_.-]*\$?")  # an operating-system user (POSIX names are lower case)


def public_name(identity, action: str) -> str:
    """Who did something, as the public may be told: a name and the role the action needs, never an e-mail.

    "jane.smith@leics.police.uk" (or jane_smith@…) becomes "Jane Smith (co-ordinator)"; an address whose
    local part is not first.last or first_last, "a co-ordinator". The command line records the operating-
    system user, shown as the data team (operator). Names and descriptions kept before sign-in ("demo
    build", "Performance co-ordinator (demo)") are shown as recorded. Empty stays empty.
    """
    text = identity.strip() if isinstance(identity, str) else ""  # None, NaN and NA: nobody recorded
    if not text or text == PUBLIC.identity:
        return text
    role = ROLE_NAMES[ACTIONS[action]]
    if "@" in text:
        local = text.rpartition("@")[0].split("+")[0]
        parts = re.split(r"[._]", local)
        if 2 <= len(parts) <= 3 and all(NAME_PART.fullmatch(p) for p in parts):
            name = " ".join(re.sub(r"[a-z]+", lambda m: m.group(0).capitalize(), p.lower()) for p in parts)
            return f"{name} ({role})"
        return a_role(ACTIONS[action])
    if ACCOUNT_NAME.fullmatch(text):
        return OPERATOR_NAME
    return text


def require(actor: Actor | None, action: str) -> Actor:
    """Refuse, in words, unless the actor's role allows the action and their sign-in still counts."""
    if actor is None or not isinstance(actor, Actor):
        raise NotAllowed(f"Only a signed-in {ROLE_NAMES[ACTIONS[action]]} may {action}; nothing was changed.")
    if actor.can(action) and (lapsed := sign_in_lapsed(actor)):
        raise NotAllowed(f"{lapsed} Nothing was saved or changed: what you typed is still on the page, so copy it "
                         "first, then choose Sign in again in the sidebar.")
    if not actor.can(action):
        raise NotAllowed(f"Only {a_role(ACTIONS[action])} may {action}; {actor.identity} is {a_role(actor.role)}. "
                         "Nothing was changed.")
    return actor


def identity_of(claims: Mapping) -> str | None:
    """The signed-in user's e-mail address as the provider's claims give it (else their username or subject)."""
    return claims.get("email") or claims.get("preferred_username") or claims.get("sub")


def email_verified(claims: Mapping) -> bool:
    """Whether the provider vouches for the e-mail address: a claim in [sign_in] verified_email_claims is true."""
    return any(claims.get(name) is True or str(claims.get(name)).lower() == "true"
               for name in settings().verified_email_claims)


def resolve_role(claims: Mapping, grants) -> str:
    """The role of a signed-in user from their provider's claims and the stored grants (rows of principal,
    kind, role): viewer unless the provider says the e-mail address is verified; then an e-mail grant wins;
    otherwise the highest role of any group the provider says they belong to; else viewer."""
    if not email_verified(claims):
        return VIEWER
    email = str(identity_of(claims) or "").strip().lower()
    groups = {str(g) for g in (claims.get("groups") or [])}
    by_email = [g["role"] for g in grants if g["kind"] == "email" and g["principal"].lower() == email and email]
    if by_email:
        return by_email[0]
    by_group = [g["role"] for g in grants if g["kind"] == "group" and g["principal"] in groups]
    return max(by_group, key=ROLES.index) if by_group else VIEWER


def signed_in_at(claims: Mapping) -> datetime | None:
    """When the provider signed the user in: the ID token's issue time (iat), or None if it gives none."""
    try:
        return datetime.fromtimestamp(float(claims["iat"]), timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


_SIGNED_OUT: dict[str, datetime] = {}  # identity -> when they last signed out of this server (any tab)


def record_sign_out(identity: str, at: datetime | None = None) -> None:
    """A user signed out: every session of theirs signed in before now stops counting, in every tab."""
    _SIGNED_OUT[identity.strip().lower()] = at or datetime.now(timezone.utc)


def sign_in_lapsed(actor: Actor, now: datetime | None = None) -> str | None:
    """Why the actor's sign-in no longer counts (too old, or signed out since), in words; None while it counts.
    Real time, never the dashboard's clock (DASHBOARD_NOW): a sign-in's age is about the token."""
    if actor.via != "sign-in" or actor.signed_in_at is None:
        return None
    now = now or datetime.now(timezone.utc)
    signed_out = _SIGNED_OUT.get(actor.identity.strip().lower())
    if signed_out is not None and actor.signed_in_at <= signed_out:
        return "You have signed out of the dashboard (in this or another tab or window) since this page signed in."
    max_age = settings().sign_in_max_age
    if now - actor.signed_in_at > max_age:
        return (f"Your sign-in is more than {max_age.total_seconds() / 60:,.0f} minutes old, and it must be "
                "recent to change anything.")
    return None


MIN_COOKIE_SECRET_CHARS = 32
WEAK_COOKIE_SECRETS = {"secret", "changeme", "change-me", "change me", "password", "cookie_secret", "cookie-secret",
                       "xxx", "test", "a long random string", "your-secret-here", "streamlit"}
MAKE_COOKIE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def cookie_secret_problem(secret) -> str | None:
    """Why a cookie secret cannot protect sign-in (anyone who guesses it can forge a co-ordinator's cookie),
    in words; None when it is long and not a known placeholder."""
    text = secret.strip() if isinstance(secret, str) else ""
    if not text:
        return "it has no cookie_secret"
    if text.lower() in WEAK_COOKIE_SECRETS:
        return "its cookie_secret is a well-known placeholder"
    if len(text) < MIN_COOKIE_SECRET_CHARS:
        return f"its cookie_secret is shorter than {MIN_COOKIE_SECRET_CHARS} characters"
    return None


@dataclass(frozen=True)
class Visibility:
    """What a reader may see: provisional rows released by their 09:30, and all of them for analysts."""

    released_through: date  # provisional rows whose publish-after date is on or before this are public
    include_provisional: bool = False

    def params(self) -> dict:
        return {"released_through": self.released_through, "include_provisional": self.include_provisional}


def released_through(now: datetime, release: time | None = None) -> date:
    """The last publish-after date already released at `now`: today once the release time (09:30 UK time,
    core/settings.toml) has passed, else yesterday."""
    release = release or settings().release_time
    local = now.astimezone(UK) if now.tzinfo else now.replace(tzinfo=UK)
    return local.date() if local.time() >= release else local.date() - timedelta(days=1)


def clock(as_at: str | None = None) -> datetime:
    """Now, for deciding what is released: DASHBOARD_NOW if set; else the end of the snapshot date given
    (only the untouched demo has one: datastore.snapshot_date); else the real UK time."""
    configured = os.environ.get(CLOCK_ENV, "").strip()
    if configured:
        moment = datetime.fromisoformat(configured)
        return moment if moment.tzinfo else moment.replace(tzinfo=UK)
    if as_at:
        return datetime.combine(date.fromisoformat(as_at[:10]), time(23, 59, 59), tzinfo=UK)
    return datetime.now(UK)


def visibility(actor: Actor, now: datetime) -> Visibility:
    """What the actor may see at `now`: provisional data only for an analyst or co-ordinator whose sign-in counts."""
    return Visibility(released_through(now), actor.can("see provisional data") and sign_in_lapsed(actor) is None)
