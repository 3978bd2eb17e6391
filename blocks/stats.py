"""`/parley stats`, `/parley mine`, `/parley search`, and the lines the digest and App Home share with them.

Pure: figures come from bot.stats, time is passed in. Every piece of outside text (post text,
names, topics, the search query) goes through fmt's escaping helpers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from blocks.conversation import conversation_summary
from blocks.fmt import TIME, clip, duration, link, mention, slack_date, units
from blocks.kit import context, section
from blocks.message import Block, Message
from blocks.status import state_label
from bot.domain import Case, Network, State
from bot.domain.figures import Breach, Stats
from bot.domain.i18n import N_, _, ngettext
from bot.domain.text import escape_mrkdwn

SECTION_BUDGET = 2000  # per section built from lines: several fit in one message's ~11k characters
SNIPPET = 90  # characters of post text on a one-line case entry
MAX_BREACHES = 10  # in /parley stats
MAX_MINE = 20
MAX_RESULTS = 15
QUERY_BUDGET = 100

# Kinds of post the team reads as words: one and many (other kinds are shown as they are).
_KINDS = {"question": (N_("question"), N_("questions")), "complaint": (N_("complaint"), N_("complaints"))}
_SENTIMENT = {"positive": N_("🙂 positive"), "neutral": N_("😐 neutral"), "negative": N_("🙁 negative")}
# Open states from the first step to the last, for counts by status.
OPEN_STATES = (State.RECEIVED, State.DRAFTED, State.FAILED, State.APPROVED, State.PUBLISHING)


# --- figures ------------------------------------------------------------------------------------------


def _kind(kind: str, n: int) -> str:
    if kind in _KINDS:
        one, many = _KINDS[kind]
        return f"{n} {_(one) if n == 1 else _(many)}"
    return f"{n} {escape_mrkdwn(kind)}"


def counts_line(stats: Stats) -> str:
    """ "*12* new (5 questions, 3 complaints) · *9* answered · *1* rejected · *4* still open"."""
    kinds = ", ".join(_kind(kind, n) for kind, n in stats.new_by_kind.items() if n)
    new = _("*{count}* new").format(count=stats.new) + (f" ({kinds})" if kinds else "")
    return _("{new} · *{answered}* answered · *{rejected}* rejected · *{open}* still open").format(
        new=new, answered=stats.answered, rejected=stats.rejected, open=stats.open
    )


def times_line(stats: Stats) -> str:
    if stats.median is None or stats.p90 is None:
        return _("First response: no replies posted")
    return _("First response: median *{median}* · 90th percentile *{p90}*").format(
        median=duration(stats.median), p90=duration(stats.p90)
    )


def target_line(stats: Stats) -> str:
    """Whether the response-time target held; empty when no target applied to anything."""
    if stats.target_met is None:
        return ""
    if stats.target_met:
        return _("✅ Every case within its response-time target")
    late = sum(b.answered for b in stats.breaches)
    still = len(stats.breaches) - late
    parts = [_("{count} answered late").format(count=late)] if late else []
    parts += [_("{count} open past target").format(count=still)] if still else []
    return _("⏰ *{count}* over target ({parts})").format(count=len(stats.breaches), parts=", ".join(parts))


def network_lines(stats: Stats) -> list[str]:
    """One line per network that had anything: volume, outcome, response times, breaches."""
    lines = []
    for row in stats.networks:
        line = _("*{network}*: {new} new · {answered} answered · {rejected} rejected · {open} open").format(
            network=row.network.label,
            new=row.new,
            answered=row.answered,
            rejected=row.rejected,
            open=row.open,
        )
        if row.median is not None and row.p90 is not None:
            times = _("median {median} · p90 {p90}").format(
                median=duration(row.median), p90=duration(row.p90)
            )
            line += f" · {times}"
        if row.breaches:
            line += " · " + _("⏰ {count} over target").format(count=row.breaches)
        lines.append(line)
    return lines


def sentiment_line(stats: Stats) -> str:
    if not any(stats.sentiment.values()):
        return ""
    mix = [
        f"{n} {_(_SENTIMENT[s]) if s in _SENTIMENT else escape_mrkdwn(s)}"
        for s, n in stats.sentiment.items()
        if n
    ]
    return _("Sentiment of new cases: ") + " · ".join(mix)


def topics_line(stats: Stats) -> str:
    if not stats.topics:
        return ""
    return _("Frequent topics: ") + " · ".join(f"{clip(word, 40)} ({n})" for word, n in stats.topics)


def summary_blocks(stats: Stats) -> list[Block]:
    """The figures: counts, times and target; then per network; then sentiment and topics."""
    head = "\n".join(line for line in (counts_line(stats), times_line(stats), target_line(stats)) if line)
    blocks = [section(head)]
    if lines := network_lines(stats):
        blocks.append(section(_("*By network*") + "\n" + "\n".join(lines)))
    if tail := "\n".join(line for line in (sentiment_line(stats), topics_line(stats)) if line):
        blocks.append(section(tail))
    return blocks


# --- one-line case entries ----------------------------------------------------------------------------


def thread_link(case: Case, label: str) -> str:
    """`label` linked to the case's Slack thread, or to the post when the thread is unknown."""
    if case.slack and case.slack.permalink:
        return link(case.slack.permalink, label)
    return link(case.post.url, label)


def case_line(case: Case, now: datetime, *, note: str = "", show_holder: bool = True) -> str:
    """ "• <thread|X @jane> · waiting 2 h 5 min · Waiting for approval · note — _snippet_"."""
    post = case.post
    who = f"{post.network.label} {_raw_handle(post.network, post.author.handle)}"
    parts = [thread_link(case, who)]
    if case.state.is_open:
        parts.append(_("waiting {duration}").format(duration=duration(now - post.created_at)))
    else:
        parts.append(_("received {when}").format(when=slack_date(case.received_at)))
    parts.append(state_label(case.state))
    holder = case.claimed_by(now)
    if show_holder and holder and case.state.is_open:
        parts.append(_("{who} on it").format(who=mention(holder)))
    if note:
        parts.append(note)
    if case.messages > 1:
        parts.append(conversation_summary(case))
    if case.private:  # counted, never quoted: a private message's words stay in its own thread
        return "• 🔒 " + " · ".join(parts)
    snippet = clip(" ".join(post.text.split()), SNIPPET)
    return "• " + " · ".join(parts) + (f" — _{snippet}_" if snippet else "")


def breach_line(breach: Breach) -> str:
    case = breach.case
    who = f"{case.post.network.label} {_raw_handle(case.post.network, case.post.author.handle)}"
    took, target = duration(breach.took), duration(breach.target)
    how = (
        _("answered in {took} (target {target})")
        if breach.answered
        else _("open for {took} (target {target})")
    )
    return f"• {thread_link(case, who)} · {how.format(took=took, target=target)}"


def _raw_handle(network: Network, name: str) -> str:
    """The handle unescaped: `link` escapes its label itself."""
    bare = name.removeprefix("@").removeprefix("u/")
    return clip(f"u/{bare}" if network is Network.REDDIT else f"@{bare}", 60, lambda s: s)


def line_sections(title: str, lines: Iterable[str], *, budget: int = SECTION_BUDGET) -> list[Block]:
    """Sections of at most `budget` characters, the first one starting with `title`."""
    blocks: list[Block] = []
    current = title
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if current and units(candidate) > budget:
            blocks.append(section(current))
            current = line
        else:
            current = candidate
    if current:
        blocks.append(section(current))
    return blocks


def oldest_first(cases: Iterable[Case]) -> list[Case]:
    return sorted((c for c in cases if c.state.is_open), key=lambda c: (c.post.created_at, c.id))


def state_counts(cases: Sequence[Case]) -> str:
    """ "Waiting for approval: 4 · Drafting a reply: 1", in workflow order."""
    counts = Counter(c.state for c in cases)
    return " · ".join(f"{state_label(s)}: {counts[s]}" for s in OPEN_STATES if counts[s])


def network_counts(cases: Sequence[Case]) -> str:
    counts = Counter(c.post.network for c in cases)
    return " · ".join(f"{n.label}: {counts[n]}" for n in Network if counts[n])


# --- messages -----------------------------------------------------------------------------------------


def stats_message(stats: Stats, period_label: str) -> Message:
    """`/parley stats [today|7d|30d]` (ephemeral): the period's figures and its worst breaches."""
    label = clip(period_label, 100)
    blocks: list[Block] = [
        section(_("*Parley stats · {period}*").format(period=label)),
        *summary_blocks(stats),
    ]
    if stats.breaches:
        shown = [breach_line(b) for b in stats.breaches[:MAX_BREACHES]]
        if len(stats.breaches) > MAX_BREACHES:
            shown.append(_("…and {count} more").format(count=len(stats.breaches) - MAX_BREACHES))
        blocks += line_sections(_("*Furthest over target*"), shown)
    span = _("From {start} to {end}").format(start=slack_date(stats.start), end=slack_date(stats.as_of))
    blocks.append(context(span))
    text = _("Parley stats, {period}: {new} new, {answered} answered, {open} open").format(
        period=label, new=stats.new, answered=stats.answered, open=stats.open
    )
    return Message(text=text, blocks=blocks)


def mine_message(cases: Sequence[Case], now: datetime) -> Message:
    """`/parley mine`: `cases` are the caller's claims (the caller filters with
    `case.claimed_by(now) == user`); closed ones are left out, oldest first."""
    mine = oldest_first(cases)
    if not mine:
        text = _("You have no open cases. Press *I'll take it* on a case to claim it.")
        return Message(text=_("You have no open cases."), blocks=[section(text)])
    lines = [_mine_line(case, now) for case in mine[:MAX_MINE]]
    if len(mine) > MAX_MINE:
        lines.append(_("…and {count} more").format(count=len(mine) - MAX_MINE))
    title = _("*Your cases ({count})*, oldest first").format(count=len(mine))
    text = ngettext("You have {count} open case.", "You have {count} open cases.", len(mine))
    return Message(text=text.format(count=len(mine)), blocks=line_sections(title, lines))


def _mine_line(case: Case, now: datetime) -> str:
    note = (
        _("yours until {time}").format(time=slack_date(case.claim_until, TIME))
        if case.claim_until and case.claim_until > now
        else ""
    )
    return case_line(case, now, note=note, show_holder=False)


def search_message(query: str, found: Sequence[Case], now: datetime) -> Message:
    """`/parley search <text>`: the cases found for `query`, newest first (bot.reporting.stats.search_cases)."""
    shown_query = clip(" ".join(query.split()), QUERY_BUDGET)
    if not shown_query:
        usage = _("Search cases by words of the post, the author or the draft: `/parley search <text>`")
        return Message(text=_("What should I search for?"), blocks=[section(usage)])
    if not found:
        text = _("No cases match “{query}”.").format(query=shown_query)
        return Message(text=text, blocks=[section(text)])
    lines = [case_line(case, now) for case in found[:MAX_RESULTS]]
    if len(found) > MAX_RESULTS:
        more = _("…and {count} more: add words to narrow the search")
        lines.append(more.format(count=len(found) - MAX_RESULTS))
    n = len(found)
    title = ngettext(
        "*{count} case match “{query}”*, newest first", "*{count} cases match “{query}”*, newest first", n
    )
    text = ngettext("{count} case found", "{count} cases found", n).format(count=n)
    return Message(text=text, blocks=line_sections(title.format(count=n, query=shown_query), lines))
