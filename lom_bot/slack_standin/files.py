"""files.getUploadURLExternal, the upload URL, files.completeUploadExternal, files.info and
downloads at url_private."""

from __future__ import annotations

import mimetypes

from lom_bot.slack_standin.ids import BOT_ID, BOT_USER_ID, DEMO_TEAM_DOMAIN
from lom_bot.slack_standin.records import Message, Params, SlackError, UploadedFile
from lom_bot.slack_standin.state import StandInState
from lom_bot.slack_standin.wire import Reply


class FileMethods(StandInState):
    """The stand-in's files.* methods and the URLs files are uploaded to and read from."""

    def _files_get_upload_url(self, params: Params) -> Params:
        name = str(params.get("filename") or "")
        if not name or not params.get("length"):
            raise SlackError("invalid_arguments")
        file = UploadedFile(self._next_id("F"), name, name)
        self.files[file.id] = file
        return {"upload_url": f"{self.root}/upload/{file.id}", "file_id": file.id}

    def _upload(self, file_id: str, content: bytes) -> Reply:
        file = self.files.get(file_id)
        if file is None:
            return Reply(404, b"file_not_found", "text/plain")
        file.content = content
        return Reply(200, f"OK - {len(content)}".encode(), "text/plain")

    def _files_complete_upload(self, params: Params) -> Params:
        entries = params.get("files")
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments")
        uploaded = [self._complete_file(entry) for entry in entries]
        targets = str(params.get("channels") or params.get("channel_id") or "").split(",")
        for channel in filter(None, targets):
            message = Message(
                channel=channel,
                ts=self._next_ts(),
                text=str(params.get("initial_comment") or ""),
                user=BOT_USER_ID,
                bot_id=BOT_ID,
                thread_ts=params.get("thread_ts") or None,
                files=uploaded,
            )
            self._store(message)
            for file in uploaded:
                file.channels.append(channel)
        return {"files": [self._file_json(file) for file in uploaded]}

    def _complete_file(self, entry: Params) -> UploadedFile:
        """The uploaded file an entry of files.completeUploadExternal names."""
        file = self.files.get(str(entry.get("id")))
        if file is None:
            raise SlackError("file_not_found")
        file.title = str(entry.get("title") or file.title)
        return file

    def _files_info(self, params: Params) -> Params:
        file = self.files.get(str(params.get("file") or ""))
        if file is None:
            raise SlackError("file_not_found")
        return {"file": self._file_json(file)}

    def _file_json(self, file: UploadedFile) -> Params:
        """A file object with the fields clients read."""
        mimetype = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return {
            "id": file.id,
            "name": file.name,
            "title": file.title,
            "mimetype": mimetype,
            "filetype": file.name.rpartition(".")[2] if "." in file.name else "binary",
            "size": len(file.content),
            "user": BOT_USER_ID,
            "channels": list(file.channels),
            "url_private": f"{self.root}/files/{file.id}",
            "url_private_download": f"{self.root}/files/{file.id}",
            "permalink": f"https://{DEMO_TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{file.id}",
        }

    def _download(self, file_id: str) -> Reply:
        """Serve an uploaded file's bytes at its url_private."""
        with self._cond:
            file = self.files.get(file_id)
        if file is None:
            return Reply(404, b"file_not_found", "text/plain")
        return Reply(200, file.content, "application/octet-stream")
