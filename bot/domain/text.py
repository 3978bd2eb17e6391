"""Text rules shared by builders, validators and drafters: mrkdwn escaping, per-network length,
and stored replies as text."""

from __future__ import annotations

import re

from bot.domain import Network, Post
from bot.domain.i18n import _

# The longest reply each network takes, as it counts (see weighted_length); a post's own
# `reply_limit` wins where one place differs (Messenger, a Mastodon instance).
LIMITS: dict[Network, int] = {
    Network.X: 280,
    Network.REDDIT: 10_000,
    Network.FACEBOOK: 8_000,  # a Page's comment reply
    Network.INSTAGRAM: 2_200,
    Network.BLUESKY: 300,  # graphemes
    Network.MASTODON: 500,  # the usual instance limit
    Network.LINKEDIN: 1_250,
    Network.YOUTUBE: 10_000,
    Network.GOOGLE: 4_096,  # bytes of UTF-8: a review reply's `comment`
}


# Characters that change how the text *around* them looks, or hide: bidi overrides, embeddings and
# isolates (an RTL override after an author's name flips the rest of the line), zero-width spaces
# and BOMs, NUL and the other control characters but tab and newline. Joiners (U+200C/U+200D) stay:
# emoji sequences and several scripts need them.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200B,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        0x2060,
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)


def neutralise(text: str) -> str:
    """Untrusted text without the characters that could disguise it (see _INVISIBLE)."""
    return text.translate(_INVISIBLE)


def as_text(raw: object) -> str:
    """A Redis reply as text: redis-py gives bytes unless the client decodes responses."""
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's control characters so untrusted text can never mention, link or format.

    `<!channel>`, `<@U123>` and `<https://x|y>` all rely on `<`/`>`; `&` first, so that an
    already-escaped `&lt;` from the network shows as typed instead of turning into `<`. Characters
    that would disguise the text (bidi overrides, zero-width spaces, NUL) are dropped first.
    """
    return neutralise(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def weighted_length(network: Network, text: str) -> int:
    """Length as the network counts it: twitter-text v3 weights on X (URL = 23, emoji/CJK = 2), UTF-8
    bytes on Google reviews, grapheme clusters on Bluesky (an emoji with its modifiers, a letter with
    its accents: one), links as 23 on Mastodon; characters elsewhere."""
    if network is Network.X:
        from twitter_text import parse_tweet  # ~18 MiB: only the processes that measure X text load it

        return int(parse_tweet(text).weightedLength)
    if network is Network.BLUESKY:
        return graphemes(text)
    if network is Network.MASTODON:
        return mastodon_length(text)
    if network is Network.GOOGLE:
        return len(text.encode("utf-8"))  # Google counts a review reply's 4,096 in bytes
    return len(text)


BLUESKY_BYTES = 3_000  # Bluesky's second limit on a post's text, besides its 300 graphemes
_URL = re.compile(r"https?://[^\s<>]+", re.IGNORECASE)
_REMOTE_MENTION = re.compile(r"(?<![\w@])(@\w+)@[\w.-]+\w", re.UNICODE)
MASTODON_URL_LENGTH = 23


def mastodon_length(text: str) -> int:
    """Mastodon's count: every link is 23 characters, and `@user@server` counts as `@user`."""
    text = _URL.sub("x" * MASTODON_URL_LENGTH, text)
    return len(_REMOTE_MENTION.sub(r"\1", text))


def graphemes(text: str) -> int:
    """User-perceived characters (Unicode extended grapheme clusters, UAX #29), as Bluesky counts."""
    import regex  # `\X` is an extended grapheme cluster; the standard `re` has no such class

    return len(regex.findall(r"\X", text))


def limit(network: Network, post: Post | None = None) -> int:
    """The longest reply on `network`, or to `post` when its place has a limit of its own."""
    if post is not None and post.reply_limit:
        return post.reply_limit
    return LIMITS[network]


def length_problem(network: Network, text: str, post: Post | None = None) -> str | None:
    """Why `text` cannot be posted on `network` (in answer to `post`), or None when it can."""
    if not text.strip():
        return _("The reply cannot be empty.")
    used, most = weighted_length(network, text), limit(network, post)
    if used > most:
        message = _("Too long for {network}: {used}/{most}. Shorten it by {over}.")
        return message.format(network=network.label, used=used, most=most, over=used - most)
    size = len(text.encode("utf-8"))
    if network is Network.BLUESKY and size > BLUESKY_BYTES:  # long emoji sequences: few graphemes
        message = _("Too long for {network}: {used}/{most} bytes. Shorten it by {over}.")
        return message.format(network=network.label, used=size, most=BLUESKY_BYTES, over=size - BLUESKY_BYTES)
    return None
