"""Drafting: offline triage, reply drafters and the interface they share.

- `base`: `Proposal`, the `Drafter` protocol, `fit()` / `plain_text()` re-checks.
- `triage`: offline language detection, triage and issue classification (pure, no network).
- `offline`: `OfflineDrafter`, template replies in en/it/es/fr/de/pt.
- `openai_drafter`: `OpenAIDrafter` (Responses API, structured output) and `make_openai_client`.

Import each from its module: the settings read the brand voice from here, and a process that never
drafts (web) should not load the drafters.
"""
