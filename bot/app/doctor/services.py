"""The doctor's checks of Redis, the social networks and OpenAI: each one really calls the service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.app.doctor.plain import plainly
from bot.app.doctor.result import Check
from bot.app.settings import masked_url

if TYPE_CHECKING:
    from bot.app.settings import Settings


def redis_check(settings: Settings) -> Check:
    """A PING to REDIS_URL, or to the embedded Redis (the running one, else one started for the check)."""
    from bot.adapters.redis_conn import connect

    if settings.redis_url:
        shown = masked_url(settings.redis_url)
        try:
            connect(settings.redis_url).ping()
        except Exception as error:
            return Check("redis", False, plainly(error, settings.redis_url))  # origin(): no password
        return Check("redis", True, f"{shown} answers")
    return _embedded_check(settings)


def _embedded_check(settings: Settings) -> Check:
    from bot.adapters.embedded_redis import EmbeddedRedis, running_url
    from bot.adapters.redis_conn import connect

    url = running_url(settings.data_dir)
    if url is not None:
        connect(url).ping()
        return Check("redis", True, "the embedded Redis of a running Parley answers")
    server = EmbeddedRedis(settings.data_dir)
    try:
        server.start()
        connect(server.url).ping()
    except Exception as error:
        return Check("redis", False, f"the embedded Redis does not start: {plainly(error, server.url)}")
    finally:
        server.stop()
    return Check("redis", True, "the embedded Redis starts and reads its data")


def network_checks(settings: Settings) -> Iterator[Check]:
    """One line per configured account: signed in as the brand, able to post."""
    from bot.app.container import connector_options
    from connectors import CONNECTORS

    for account in settings.accounts:
        network, options = connector_options(account)
        try:
            connector = CONNECTORS[network](**options)
            found = connector.verify()
        except Exception as error:
            said = plainly(error, account.base_url)
            # "Reddit: cannot connect to …"; the connectors' own messages name their network already.
            yield Check(
                account.name, False, f"{network.label}: {said}" if said.startswith("cannot") else said
            )
        else:
            yield Check(account.name, True, f"{network.label} account {found}")


_OPENAI_REFUSED = {
    401: "OpenAI refused OPENAI_API_KEY",
    403: "OpenAI does not let this key use the API (organisation, project or region)",
    404: "the model {model} does not exist for this key: set OPENAI_MODEL",
    429: "OpenAI refused for quota or rate limit: check the account's billing",
}


def openai_check(settings: Settings) -> Check:
    from bot.drafting.openai_drafter import make_openai_client

    if not settings.openai_api_key:
        return Check("openai", True, "not configured: the offline drafter writes drafts")
    base_url = settings.openai_base_url or "https://api.openai.com/v1"
    client = make_openai_client(settings.openai_api_key, settings.openai_base_url or None, timeout=10)
    try:
        client.models.retrieve(settings.openai_model)
    except Exception as error:
        status = getattr(error, "status_code", None)
        said = _OPENAI_REFUSED.get(status) if isinstance(status, int) else None
        detail = said.format(model=settings.openai_model) if said else plainly(error, base_url)
        return Check("openai", False, detail)
    finally:
        client.close()
    return Check("openai", True, f"model {settings.openai_model} available")
