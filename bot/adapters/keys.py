"""Every Redis key Parley writes, in one place. rq keeps its own keys under `rq:`."""

from __future__ import annotations

PREFIX = "parley"
QUEUE = "parley"  # the rq queue name

OPEN_CASES = f"{PREFIX}:cases:open"  # zset: case id -> received epoch
ALL_CASES = f"{PREFIX}:cases:all"  # zset: case id -> received epoch
AUDIT = f"{PREFIX}:audit"  # stream: one entry per case activity, append-only
SAVED_REPLIES = f"{PREFIX}:saved-replies"  # hash: name -> reply text with placeholders
POSTED_TEXTS = f"{PREFIX}:posted-texts"  # set: fingerprints of reply texts already posted, per network
ANSWERS = f"{PREFIX}:answers"  # list: JSON of every posted reply with its question (bot.answers)
ANSWERS_ERASED = f"{PREFIX}:answers:erased"  # counter: bumped when answers are erased (re-index)
HOME_VIEWERS = f"{PREFIX}:home-viewers"  # zset: Slack user id -> when they last opened the Home tab


def case(case_id: str) -> str:
    return f"{PREFIX}:case:{case_id}"


def conversation(key: str) -> str:
    """The case a conversation key (bot.domain.conversation.lookup_keys) is filed under."""
    return f"{PREFIX}:conversation:{key}"


def cursor(network: str, account: str) -> str:
    """Newest post id already stored for an account (X since_id)."""
    return f"{PREFIX}:cursor:{network}:{account}"


def slack_attempt(case_id: str, part: str) -> str:
    """Set before posting a case's parent or card to Slack: if it exists, an earlier attempt may have posted."""
    return f"{PREFIX}:slack-attempt:{case_id}:{part}"


def slack_claim(case_id: str, part: str) -> str:
    """Held (value: the rq job id) by the one job posting a case's parent or card right now."""
    return f"{PREFIX}:slack-claim:{case_id}:{part}"


def case_jobs(case_id: str, kind: str) -> str:
    """Set: ids of the rq jobs of one kind (deliver, publish) queued for a case, so the sweeper can
    tell a lost job from one that is merely waiting. Written in the same MULTI as the enqueue."""
    return f"{PREFIX}:case-jobs:{case_id}:{kind}"


def note(case_id: str, index: int) -> str:
    """Set when the thread line for activity `index` of a case has been posted."""
    return f"{PREFIX}:note:{case_id}:{index}"


def slack_event(event_id: str) -> str:
    return f"{PREFIX}:slack-event:{event_id}"


def lock(name: str) -> str:
    return f"{PREFIX}:lock:{name}"


def digest(day: str) -> str:
    """Set once a day's digest has gone to every channel (a date), or once one message of it has
    been sent (date:channel:index): marks written after the send, so nothing is marked unsent."""
    return f"{PREFIX}:digest:{day}"


def digest_queued(day: str) -> str:
    """Claimed for a while by the clock that queued the day's digest job (until it is sent)."""
    return f"{PREFIX}:digest-queued:{day}"


def llm_spend(day: str) -> str:
    """USD spent on the LLM on `day` (UTC date), for the daily budget."""
    return f"{PREFIX}:llm-spend:{day}"


def usergroup(group_id: str) -> str:
    """Cached members of a Slack user group (JSON list), for approver checks."""
    return f"{PREFIX}:usergroup:{group_id}"


def paused(network: str) -> str:
    return f"{PREFIX}:paused:{network}"


# --- Slack send governor (bot/governor.py) ----------------------------------------------------
# Token buckets shared by every process. Each is a hash {tokens, ts} with a TTL of "time until the
# bucket would be full again", so an idle channel has no key at all.

SLACK_SEND_WORKSPACE = f"{PREFIX}:slack-send:workspace"  # hash: the workspace-wide bucket


def slack_send_channel(channel: str) -> str:
    """Hash: the token bucket of one Slack channel."""
    return f"{PREFIX}:slack-send:channel:{channel}"


# --- daily API quotas (bot/adapters/quota.py) -------------------------------------------------------


def quota_used(quota: str, day: str) -> str:
    """Units a network quota (e.g. a YouTube OAuth client's project) spent on a quota day (Pacific date)."""
    return f"{PREFIX}:quota:{quota}:{day}"


def quota_last_poll(quota: str, account: str) -> str:
    """Hash {at, cost}: when an account last polled on that quota, and what the poll cost."""
    return f"{PREFIX}:quota-poll:{quota}:{account}"
