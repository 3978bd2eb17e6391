"""mrkdwn fragments shared by the builders. Anything that came from outside goes through escape_mrkdwn."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.domain import Draft, Network, Post
from bot.domain.i18n import N_, _
from bot.domain.text import escape_mrkdwn

# TRANSLATORS: Slack formats {date_short_pretty} and {time} in each reader's language; keep them as they are.
DATE_AND_TIME = N_("{date_short_pretty} at {time}")
TIME = "{time}"
MONTHS = (
    N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
    N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"),
)  # fmt: skip

_NO_HANDLES = frozenset({Network.LINKEDIN, Network.GOOGLE})
_USER_ID = re.compile(r"[UW][A-Z0-9_]+")
# Our URLs are built from ids, but anything that could close `<url|label>` early is refused anyway.
_SAFE_URL = re.compile(r"https?://[^\s<>|]+")
_ESCAPED_MENTION = re.compile(r"&lt;(@[UW][A-Z0-9_]+|!subteam\^S[A-Z0-9_]+)&gt;")


def units(text: str) -> int:
    """Length in UTF-16 code units: never less than what Slack counts, whichever way it counts."""
    return len(text.encode("utf-16-le")) // 2


def clip(raw: str, budget: int, render: Callable[[str], str] = escape_mrkdwn) -> str:
    """`render(raw)`, shortened with "…" until it fits `budget`.

    The raw text is cut, never the rendered one, so an entity like `&amp;` cannot be split in half.
    """
    full = render(raw)
    if units(full) <= budget:
        return full
    low, high = 0, len(raw)
    while low < high:  # longest prefix whose rendering still fits
        mid = (low + high + 1) // 2
        if units(render(raw[:mid].rstrip() + "…")) <= budget:
            low = mid
        else:
            high = mid - 1
    return render(raw[:low].rstrip() + "…")


def quote(mrkdwn_text: str) -> str:
    """Block-quote already escaped text (our own `>` is the only one left unescaped)."""
    return "\n".join(f"> {line}" for line in mrkdwn_text.split("\n"))


def quoted(raw: str, budget: int) -> str:
    return clip(raw, budget, lambda s: quote(escape_mrkdwn(s)))


def escape_keeping_mentions(text: str) -> str:
    """Escape everything but plain user mentions, for our own sentences that quote outside text."""
    return _ESCAPED_MENTION.sub(r"<\1>", escape_mrkdwn(text))


def mention(user: str | None) -> str:
    if user is None or user == "parley":
        return "Parley"
    return f"<@{user}>" if _USER_ID.fullmatch(user) else escape_mrkdwn(user)


def link(url: str, label: str) -> str:
    if not _SAFE_URL.fullmatch(url):
        return escape_mrkdwn(label)
    return f"<{url.replace('&', '&amp;')}|{escape_mrkdwn(label)}>"


def slack_date(at: datetime, fmt: str = DATE_AND_TIME) -> str:
    """Shown in each reader's time zone; the fallback is for clients that cannot format dates."""
    fallback = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
    return f"<!date^{int(at.timestamp())}^{_(fmt)}|{fallback}>"


def day_and_month(at: datetime) -> str:
    """ "12 Mar": for dates shown as text (Slack's date tokens cannot say "12 Mar" without the year)."""
    return f"{at.day} {_(MONTHS[at.month - 1])}"


def handle(network: Network, name: str) -> str:
    """`@jane` on X, `u/jane` on Reddit, the name as it is where there are no handles (the Page's
    name on Facebook, LinkedIn pages, Google Business Profiles); escaped."""
    bare = name.removeprefix("@").removeprefix("u/")
    if network is Network.FACEBOOK:
        return escape_mrkdwn(bare)
    if network in _NO_HANDLES:
        return escape_mrkdwn(name)
    return escape_mrkdwn(f"u/{bare}" if network is Network.REDDIT else f"@{bare}")


def author(post: Post) -> str:
    """`*Jane Doe* @jane`, or just the handle when the name adds nothing (usual on Reddit), or just the
    name when the network shows no handle (Facebook, Google reviewers)."""
    name = post.author.name.strip()
    if not post.author.handle.strip():
        return f"*{clip(name, 100)}*"
    who = handle(post.network, post.author.handle)
    if not name or name.removeprefix("@").removeprefix("u/") == post.author.handle.removeprefix("@"):
        return f"*{who}*"
    return f"*{clip(name, 100)}* {who}"


def subreddit(place: str) -> str:
    return escape_mrkdwn("r/" + place.removeprefix("/").removeprefix("r/"))


def drafter_name(drafter: str) -> str:
    """Who wrote a machine draft, for running text: "the offline drafter", "OpenAI gpt-4.1-mini"."""
    if drafter == "offline":
        return _("the offline drafter")
    if drafter.startswith("openai:"):
        return "OpenAI " + escape_mrkdwn(drafter.removeprefix("openai:"))
    return escape_mrkdwn(drafter)


def drafter_label(draft: Draft) -> str:
    if draft.drafter == "edited":
        return _("Edited by {who}").format(who=mention(draft.author)) if draft.author else _("Edited")
    if draft.drafter == "history":
        return _("From the team's past answers")
    return _("Offline drafter") if draft.drafter == "offline" else drafter_name(draft.drafter)


def duration(delta: timedelta) -> str:
    """ "2 h 5 min", "3 d 4 h", "12 min", "under a minute"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return (
            _("{days} d {hours} h").format(days=days, hours=hours)
            if hours
            else _("{days} d").format(days=days)
        )
    if hours:
        return f"{hours} h {mins} min" if mins else f"{hours} h"
    return f"{mins} min" if mins else _("under a minute")
