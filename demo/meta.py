"""The Meta side of the sandbox: the Graph emulator and a Parley that listens to it (tests, bench, demo)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import redis

from demo.sandbox import Sandbox
from emulators.meta import MetaEmulator, Person

CUSTOMER = Person("24000000000000001", "Giulia Rossi")
IG_CUSTOMER = Person("17841499999999991", "marco.b", "marco.b")
VERIFY_TOKEN = "parley-verify"  # noqa: S105 - the emulated app's, not a secret


def meta_env(meta: MetaEmulator, *, instagram: bool = True) -> dict[str, str]:
    """The META_* variables a user would set to point Parley at `meta`."""
    env = {
        "META_APP_SECRET": meta.app_secret,
        "META_VERIFY_TOKEN": VERIFY_TOKEN,
        "META_PAGE_ID": meta.page_id,
        "META_PAGE_ACCESS_TOKEN": meta.access_token,
        "META_GRAPH_URL": meta.graph_url,
        "META_PAGE_NAME": meta.store.page.name,
    }
    if instagram:
        env |= {"META_IG_USER_ID": meta.ig_user_id, "META_IG_USERNAME": meta.store.ig.username}
    return env


@contextmanager
def meta_sandbox(
    client: redis.Redis, clock: Callable[[], datetime], **env: str
) -> Iterator[tuple[Sandbox, MetaEmulator]]:
    """Parley (with X and Reddit, as always) plus a Page and its Instagram account; webhooks aimed at it."""
    with (
        MetaEmulator(clock=lambda: clock().timestamp()) as meta,
        Sandbox(client, clock=clock, env=meta_env(meta) | env) as sb,
    ):
        meta.webhooks.target = sb.app_url + "/webhooks/meta"
        meta.webhooks.verify_token = VERIFY_TOKEN
        yield sb, meta
