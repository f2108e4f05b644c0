"""The session's user: signed in through OpenID Connect (st.login), or the public.

With no [auth] section in .streamlit/secrets.toml, everyone is a public viewer: the
dashboard shows published data, and the controls that change anything say how to
enable sign-in. Roles come from the grants stored in the database and the provider's claims
(access.resolve_role), afresh on every run; a sign-in counts for a short time and until the user
signs out in any tab (access.sign_in_lapsed), which every write checks. A weak cookie secret turns
sign-in off: a cookie forged with a guessed secret would otherwise sign anyone in.
"""
from __future__ import annotations

import streamlit as st

import access
from components.connection import role_grants
from components.web_guard import started_without_guard
from render.safe_text import plain

SIGN_IN_HELP = ("sign-in is not set up on this server. "
                "To enable it, add an [auth] section for your identity provider (for example Microsoft Entra ID) to "
                ".streamlit/secrets.toml and grant roles with `python -m ingest role`; the README's "
                "Sign-in section gives the steps.")


def auth_section() -> dict | None:
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except FileNotFoundError:  # no secrets file at all
        return None


def sign_in_problem() -> str | None:
    """Why sign-in is refused although an [auth] section is there, in words for the page, or None: a weak
    cookie secret (a guessed one forges a co-ordinator's cookie), or a server started without its guard
    (`streamlit run app.py`: no security headers, so the co-ordinator's forms could be framed)."""
    section = auth_section()
    if section is None:
        return None
    weak = access.cookie_secret_problem(section.get("cookie_secret"))
    if weak:
        return (f"the server's sign-in settings (.streamlit/secrets.toml, [auth]) are not safe, because {weak}. "
                f"This command makes a strong one: `{access.MAKE_COOKIE_SECRET}`")
    if started_without_guard():
        return ("the server was started without its security headers. Start it with `streamlit run serve.py`, "
                "not app.py")
    return None


def auth_configured() -> bool:
    """Sign-in is set up, safely: a strong cookie secret, and the server's guard in place."""
    return auth_section() is not None and sign_in_problem() is None


def current_actor() -> access.Actor:
    """The signed-in user with their role (from the stored grants and the provider's claims, read now), or the
    public viewer."""
    if not auth_configured() or not st.user.is_logged_in:
        return access.PUBLIC
    claims = st.user.to_dict()
    signed_in_at = access.signed_in_at(claims)
    # A role above viewer needs a token that says when it was issued: its age is what limits the role's life.
    role = access.resolve_role(claims, role_grants()) if signed_in_at else access.VIEWER
    return access.Actor(str(access.identity_of(claims)), role, "sign-in", signed_in_at)


def sign_out() -> None:
    """Sign out here, and end the sign-in in this user's other tabs and windows too (they keep their session
    until reloaded, but may change nothing, nor see provisional data, from now on)."""
    access.record_sign_out(current_actor().identity)
    st.logout()


def can(action: str) -> bool:
    return current_actor().can(action)


def explain_unavailable(action: str) -> None:
    """Say plainly why a control is not shown, and how to get it."""
    actor = current_actor()
    needed = access.a_role(access.ACTIONS[action])
    if not auth_configured():
        st.info(f"To {action}, sign in as {needed}; {SIGN_IN_HELP}")
    elif actor.via == "public":
        st.info(f"To {action}, sign in as {needed} (the Sign in button is in the sidebar).")
    else:
        st.info(f"Only {needed} may {action}; you are signed in as {plain(actor.identity)}, "
                f"{access.a_role(actor.role)}. A co-ordinator can change your role on the Data page.")


def sign_in_panel() -> None:
    """In the sidebar: who is signed in, with Sign out; or Sign in when sign-in is set up."""
    problem = sign_in_problem()
    if problem:
        st.error(f"Sign-in is turned off, and everyone is a viewer, until the server's operator puts this right: "
                 f"{problem}.", icon="🔒")
    if not auth_configured():
        return
    with st.sidebar:
        if st.user.is_logged_in:
            actor = current_actor()
            st.caption(f"Signed in as **{plain(actor.identity)}** ({access.ROLE_NAMES[actor.role]}).")
            lapsed = access.sign_in_lapsed(actor)
            if lapsed:
                st.warning(f"{lapsed} Sign in again to see provisional data or change anything.")
                st.button("Sign in again", on_click=st.login, key="sign_in_again")
            elif actor.role == access.VIEWER and not access.email_verified(st.user.to_dict()):
                st.caption("Your identity provider has not verified your e-mail address, so you are a viewer.")
            st.button("Sign out", on_click=sign_out, key="sign_out")
        else:
            st.button("Sign in", on_click=st.login, key="sign_in", help="Sign in to load data, write commentary "
                      "or see provisional figures, as your role allows.")
