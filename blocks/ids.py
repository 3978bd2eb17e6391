"""Every action_id, block_id and callback_id Parley puts in Slack; listeners register on these."""

from __future__ import annotations

# Draft card buttons; each button's `value` is the case id.
BLOCK_REVIEW = "review"
ACTION_APPROVE = "case_approve"
ACTION_EDIT = "case_edit"
ACTION_REJECT = "case_reject"
ACTION_CLAIM = "case_claim"
ACTION_UNDO = "case_undo"
ACTION_RETRY = "case_retry"
ACTION_HISTORY = "case_history"
ACTION_REGENERATE = "case_regenerate"
ACTION_REPLY_PRIVATELY = "case_reply_privately"
ACTION_PUBLIC_NOTE = "case_public_note"
# Facebook and Instagram: moderation of a public comment, and closing a message past its window.
BLOCK_MODERATION = "moderation"
ACTION_HIDE = "case_hide"
ACTION_UNHIDE = "case_unhide"
ACTION_REJECT_WINDOW = "case_reject_window"

# Edit modal.
CALLBACK_EDIT = "case_edit_modal"
BLOCK_DRAFT = "draft"
ACTION_DRAFT_TEXT = "text"
BLOCK_OPTIONS = "options"
ACTION_APPROVE_AFTER = "approve_after"
OPTION_APPROVE = "approve"

# Reject modal.
CALLBACK_REJECT = "case_reject_modal"
BLOCK_REASON = "reason"
ACTION_REASON = "reason_choice"
BLOCK_REASON_TEXT = "reason_text"
ACTION_REASON_TEXT = "reason_text_input"

# A modal shown while data is not ready (or to say why it cannot be); it has no submit.
CALLBACK_LOADING = "loading_modal"

# Version history modal (read only).
CALLBACK_HISTORY = "case_history_modal"

# Saved-reply picker inside the Edit modal.
BLOCK_SAVED = "saved"
ACTION_SAVED_PICK = "saved_pick"

# Regenerate modal.
CALLBACK_REGENERATE = "case_regenerate_modal"
BLOCK_REGEN_CHOICE = "regen_choice"
ACTION_REGEN_CHOICE = "regen_choice_select"
BLOCK_REGEN_TEXT = "regen_text"
ACTION_REGEN_TEXT = "regen_text_input"
