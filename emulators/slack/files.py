"""The v2 file upload: `files.getUploadURLExternal`, a POST of the bytes, `files.completeUploadExternal`."""

from __future__ import annotations

import json

from emulators.http import RecordedRequest, Response, route
from emulators.slack.arguments import ApiError
from emulators.slack.records import UploadedFile
from emulators.slack.state import SlackState
from emulators.slack.workspace import JSONDict

__all__ = ["FilesApi"]


class FilesApi(SlackState):
    """Files shared through the v2 upload flow (recorded in `files`)."""

    def _files_get_upload_url(self, params: JSONDict) -> JSONDict:
        try:
            length = int(params.get("length") or 0)
        except (TypeError, ValueError):
            raise ApiError("invalid_arguments") from None
        if length <= 0 or not params.get("filename"):
            raise ApiError("invalid_arguments")
        file_id = f"F{len(self._pending_files) + len(self.files) + 1:08d}"
        self._pending_files[file_id] = UploadedFile(
            id=file_id, filename=str(params["filename"]), length=length
        )
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    @route("POST", r"/upload/(?P<file_id>F\d+)")
    def _upload(self, request: RecordedRequest) -> Response:
        with self._state:
            pending = self._pending_files.get(request.path_params["file_id"])
            if pending is None:
                return Response(404, "not found")
            pending.content = request.body
        return Response(200, f"OK - {len(request.body)}")

    def _files_complete_upload(self, params: JSONDict) -> JSONDict:
        raw = params.get("files")
        files = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(files, list) or not files:
            raise ApiError("invalid_arguments")
        channel = str(params.get("channel_id") or "") or None
        done: list[JSONDict] = []
        for item in files:
            pending = self._pending_files.pop(str(item.get("id")), None)
            if pending is None or pending.content is None:
                raise ApiError("file_not_found")
            pending.title = str(item.get("title") or pending.filename)
            pending.channel = channel
            pending.initial_comment = str(params.get("initial_comment") or "") or None
            pending.thread_ts = str(params.get("thread_ts") or "") or None
            self.files.append(pending)
            done.append({"id": pending.id, "name": pending.filename, "title": pending.title})
        return {"files": done}
