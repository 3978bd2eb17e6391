"""`SlackEmulator`: the Web API mixins and the driver, put together."""

from __future__ import annotations

from emulators.slack.chat import ChatApi
from emulators.slack.conversations import ConversationsApi
from emulators.slack.events import EventsDriver
from emulators.slack.files import FilesApi
from emulators.slack.inspection import Inspection
from emulators.slack.interactions import InteractionsDriver
from emulators.slack.response_urls import ResponseUrls
from emulators.slack.state import ApiHandler
from emulators.slack.users import UsersApi
from emulators.slack.views import ViewsApi
from emulators.slack.web_api import WebApi

__all__ = ["SlackEmulator"]


class SlackEmulator(
    InteractionsDriver,
    EventsDriver,
    ResponseUrls,
    WebApi,
    ChatApi,
    ConversationsApi,
    FilesApi,
    UsersApi,
    ViewsApi,
    Inspection,
):
    """The Slack Web API and a Slack user, for tests and demos. Thread-safe."""

    def _api_methods(self) -> dict[str, ApiHandler]:
        return {
            "apps.connections.open": self._apps_connections_open,
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroups_users_list,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
        }
