"""Google's OAuth as YouTube and the Business Profile use it: a refresh token's credentials, and the
refusals of Google's token endpoint said for the team (the settings to check differ per product)."""

from __future__ import annotations

from google.auth.exceptions import RefreshError
from google.oauth2.credentials import Credentials

from connectors.base import ConnectorError, Unauthorized, Unavailable

TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)


def credentials(
    *, client_id: str, client_secret: str, refresh_token: str, token_url: str, scope: str
) -> Credentials:
    """Credentials that fetch (and renew) their access token from `refresh_token` on first use."""
    return Credentials(  # type: ignore[no-untyped-call]
        None,
        refresh_token=refresh_token,
        client_id=client_id,
        client_secret=client_secret,
        token_uri=token_url,
        scopes=[scope],
    )


def refresh_error(
    error: RefreshError, *, refresh_refused: str, client_refused: str, unavailable: str
) -> ConnectorError:
    """What a failed token renewal means: Google down, the client refused, or the refresh token."""
    data = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], dict) else {}
    said = str(error.args[0]) if error.args else ""
    code = str(data.get("error") or said.split(":")[0].strip())
    if code in ("invalid_client", "unauthorized_client"):
        return Unauthorized(client_refused)
    if code != "invalid_grant" and getattr(error, "retryable", False):
        return Unavailable(unavailable)
    return Unauthorized(refresh_refused)
