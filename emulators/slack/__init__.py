"""A local Slack: the Web API methods Parley calls, plus a driver that acts as a Slack user.

`SlackEmulator` serves `POST|GET /api/<method>` for the real `slack_sdk.WebClient`
(`WebClient(token=emulator.bot_token, base_url=emulator.url + "/api/")`) and `POST /response/<id>`
for `response_url`s; `apps.connections.open` (app-level `xapp-` token) hands out the Socket Mode
URLs of `emulator.socket_mode` (`emulators/socket_mode/`). Its driver methods (`click`,
`submit_view`, `slash_command`, `send_event`, `url_verification`) build the payloads Slack
sends, sign them with the signing secret and POST them to `<app_url>/slack/events`;
`*_request()` variants return the signed request unsent.

Faithful:
- wire format: form or JSON bodies, `Authorization: Bearer`, HTTP 200 `{"ok": false, "error"}`,
  429 + `Retry-After` (`fail_next(..., status=429)` or `rate_limit(...)`);
- errors: `not_authed`, `invalid_auth`, `channel_not_found`, `no_text`, `invalid_blocks`,
  `msg_too_long`, `message_not_found`, `cant_update_message`, `thread_not_found`, `user_not_found`,
  `invalid_trigger_id`, `exchanged_trigger_id` (reused), `expired_trigger_id` (> 3 s),
  `hash_conflict`, `not_found`, `push_limit_reached`, `duplicate_external_id`,
  `invalid_arguments` with `response_metadata.messages`;
- Block Kit limits (50 blocks per message, 100 per view, section 3,000, fields 10 x 2,000,
  header 150, button 75, value 2,000, ids 255, actions 25, context 10, modal title/submit/close
  24, `private_metadata` 3,000, `plain_text_input.max_length` 3,000); Slack fills in missing
  `block_id`/`action_id` and `emoji: true`;
- `chat.update` keeps old blocks/text/metadata when omitted; `metadata` is returned by
  `chat.postMessage`/`chat.update` and by history/replies only with `include_all_metadata`,
  never inside interaction payloads; threads: `reply_count`, `latest_reply`, `parent_user_id`;
  an unknown `thread_ts` posts to the channel as Slack does;
- `response_url`: 5 uses within 30 minutes, `replace_original` / `delete_original` /
  `response_type`; trigger ids expire after 3 s and work once;
- the driver signs exactly like Slack and fills `view.state.values` for every input block, refusing
  to submit what the Slack client would refuse (empty required inputs, too short/long text,
  unknown options); the modal reacts to `response_action` (errors, update, push, clear, close).

Modules: `state` (configuration and recorded state), `web_api` (auth, rate limits, dispatch), one per
Web API family (`chat`, `conversations`, `files`, `users`, `views`, `response_urls`), `inspection`
(accessors for tests), the driver (`events`, `interactions`), and the pure parts: `records`,
`blocks`, `validation`, `view_state`, `signing`, `arguments`, `workspace`.

Scopes: every bot-token answer carries `x-oauth-scopes` (the token's, `emulator.scopes`, by default
`DEFAULT_SCOPES`) and `x-accepted-oauth-scopes`; a method whose scope the token lacks answers
`missing_scope` with `needed` and `provided`. A channel in `non_member_channels` answers
`not_in_channel` to `chat.postMessage` and `conversations.history|replies`, as for a bot not invited.

Simplified: one workspace, any channel id exists unless listed in `missing_channels`,
every user is a member, no files/reactions/attachments rendering, no message events emitted on
`chat.postMessage`, block validation covers the common blocks and elements only, text past 40,000
characters is refused with `msg_too_long` instead of being truncated, and the cursor is base64 of
`next_ts:<ts>` as Slack's but not interchangeable with it.
"""

from emulators.slack.emulator import SlackEmulator
from emulators.slack.records import (
    ApiCall,
    Ephemeral,
    Message,
    MessageVersion,
    ResponseUse,
    StoredView,
    UploadedFile,
)
from emulators.slack.signing import AppResponse, SignedRequest, sign
from emulators.slack.validation import validate_blocks, validate_view
from emulators.slack.view_state import (
    checkboxes_value,
    multi_static_select_value,
    plain_text_value,
    radio_buttons_value,
    static_select_value,
    users_select_value,
)
from emulators.slack.workspace import (
    ACK_DEADLINE,
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    MAX_TEXT,
    MAX_VIEW_STACK,
    RESPONSE_URL_MAX_USES,
    RESPONSE_URL_TTL,
    TEAM_DOMAIN,
    TEAM_ID,
    TEAM_NAME,
    TRIGGER_TTL,
)

__all__ = [
    "ACK_DEADLINE",
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "MAX_TEXT",
    "MAX_VIEW_STACK",
    "RESPONSE_URL_MAX_USES",
    "RESPONSE_URL_TTL",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "TEAM_NAME",
    "TRIGGER_TTL",
    "ApiCall",
    "AppResponse",
    "Ephemeral",
    "Message",
    "MessageVersion",
    "ResponseUse",
    "SignedRequest",
    "SlackEmulator",
    "StoredView",
    "UploadedFile",
    "checkboxes_value",
    "multi_static_select_value",
    "plain_text_value",
    "radio_buttons_value",
    "sign",
    "static_select_value",
    "users_select_value",
    "validate_blocks",
    "validate_view",
]
