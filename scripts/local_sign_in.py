"""Write .streamlit/secrets.toml for signing in locally through oidc-provider-mock.

    python scripts/local_sign_in.py [--provider http://127.0.0.1:9400] [--app http://127.0.0.1:8501] [--out PATH]

The [auth] section points Streamlit at the local provider, with a new random cookie secret (one a
production server would accept too). An existing file is never overwritten. Steps: README, "Signing in locally".
"""
from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from access import cookie_secret_problem  # noqa: E402


def local_secrets(provider: str, app: str) -> str:
    secret = secrets.token_urlsafe(48)
    assert cookie_secret_problem(secret) is None  # the app's own check accepts what this writes
    return ("# Local sign-in through oidc-provider-mock (scripts/local_sign_in.py). Never commit this file.\n"
            "[auth]\n"
            f'redirect_uri = "{app.rstrip("/")}/oauth2callback"\n'
            f'cookie_secret = "{secret}"\n'
            'client_id = "dashboard-local"\n'
            'client_secret = "dashboard-local"\n'
            f'server_metadata_url = "{provider.rstrip("/")}/.well-known/openid-configuration"\n')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", default="http://127.0.0.1:9400", help="the local provider's address")
    parser.add_argument("--app", default="http://127.0.0.1:8501", help="the dashboard's address")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / ".streamlit" / "secrets.toml")
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"error: {args.out} already exists; it was left as it is (remove it to write a new one)",
              file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(local_secrets(args.provider, args.app), encoding="utf-8")
    print(f"wrote {args.out}: sign-in through {args.provider}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
