"""Drafting: offline triage, reply drafters and the interface they share.

- `base`: `Proposal`, the `Drafter` protocol, `fit()` / `plain_text()` re-checks.
- `triage`: offline language detection, triage and issue classification (pure, no network).
- `offline`: `OfflineDrafter`, template replies in en/it/es/fr/de/pt.
- `openai_drafter`: `OpenAIDrafter` (Responses API, structured output) and `make_openai_client`;
  import it from its module (it imports the openai SDK, which the rest does not need).
"""

from bot.drafting.base import Drafter, Proposal, fit, plain_text
from bot.drafting.offline import OfflineDrafter
from bot.drafting.triage import Issue, classify_issue, detect_language, triage

__all__ = [
    "Drafter",
    "Issue",
    "OfflineDrafter",
    "Proposal",
    "classify_issue",
    "detect_language",
    "fit",
    "plain_text",
    "triage",
]
