"""The session's user: signed in through OpenID Connect (st.login), or the public.

With no [auth] section in .streamlit/secrets.toml, everyone is a public viewer: the
dashboard shows published data, and the controls that change anything say how to
enable sign-in. Roles come from the grants stored in the database (access.resolve_role).
"""
from __future__ import annotations

import streamlit as st

import access
from components.database import role_grants
from components.safe_text import plain

SIGN_IN_HELP = ("sign-in is not set up on this server. "
                "To enable it, add an [auth] section for your identity provider (for example Microsoft Entra ID) to "
                ".streamlit/secrets.toml and grant roles with `python -m ingest role`; the README's "
                "Sign-in section gives the steps.")


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def current_actor() -> access.Actor:
    """The signed-in user with their role, or the public viewer."""
    if not auth_configured() or not st.user.is_logged_in:
        return access.PUBLIC
    email = st.user.get("email") or st.user.get("preferred_username") or st.user.get("sub")
    role = access.resolve_role(email, st.user.get("groups"), role_grants())
    return access.Actor(str(email), role, "sign-in")


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
    if not auth_configured():
        return
    with st.sidebar:
        if st.user.is_logged_in:
            actor = current_actor()
            st.caption(f"Signed in as **{plain(actor.identity)}** ({access.ROLE_NAMES[actor.role]}).")
            st.button("Sign out", on_click=st.logout, key="sign_out")
        else:
            st.button("Sign in", on_click=st.login, key="sign_in", help="Sign in to load data, write commentary "
                      "or see provisional figures, as your role allows.")
