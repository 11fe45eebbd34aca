"""Files: what the bot uploads or users send, getFile, downloads and the web chat's /control/file."""

from __future__ import annotations

import itertools
import mimetypes
import secrets
import struct
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web
from yarl import URL

from bot.sandbox.emulator.protocol import ApiError, Ctx, Handler, Json, Params, Upload
from bot.sandbox.transcript import image_mime

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files
UPLOAD_LIMIT = 50 * 1024 * 1024
WRONG_FILE = "Bad Request: wrong file identifier/HTTP URL specified"


@dataclass
class StoredFile:
    """A file known to the emulator: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document"
    content: bytes
    file_size: int
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    url: str | None = None

    def photo_size(self) -> Json:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "width": self.width, "height": self.height, "file_size": self.file_size}

    def document(self) -> Json:
        doc: Json = {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                     "file_size": self.file_size}
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def telegram_file(self) -> Json:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_size": self.file_size, "file_path": self.file_path}


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width/height of a PNG, GIF or JPEG; None when the bytes are not a known image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data.startswith((b"GIF87a", b"GIF89a")) and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data) or (1280, 720)
    if data.startswith(b"BM") or (data.startswith(b"RIFF") and data[8:12] == b"WEBP"):
        return 1280, 720
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            i += 2 if marker != 0xFF else 1
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        i += 2 + length
    return None


class Files:
    """Every file by file_id and by download path; the routes that serve them."""

    def __init__(self, authorized: Callable[[str], bool]) -> None:
        self._authorized = authorized  # the token check, shared with the Bot API
        self._files: dict[str, StoredFile] = {}
        self._paths: dict[str, StoredFile] = {}
        self._file_counter = itertools.count(1)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._handle_file)
        app.router.add_get("/control/file", self._handle_control_file)

    def methods(self) -> dict[str, Handler]:
        return {"getFile": self._api_get_file}

    def resolve_file(self, params: Params, kind: str) -> tuple[StoredFile, str]:
        """An upload, an ``attach://`` part, a known file_id or a URL → (file, source)."""
        value = params.get(kind)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
            if not isinstance(value, Upload):
                raise ApiError(400, WRONG_FILE)
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        if isinstance(value, Upload):
            return self.store_upload(value, kind), "upload"
        value = str(value)
        if value.startswith(("http://", "https://")):
            # Never fetched: the emulator must not reach beyond loopback.
            return self.store_file(kind, b"", file_name=URL(value).name or None, url=value), "url"
        stored = self._files.get(value)
        if stored is None:
            raise ApiError(400, WRONG_FILE)
        if stored.kind != kind:
            raise ApiError(400, f"Bad Request: can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored, "file_id"

    def store_upload(self, upload: Upload, kind: str) -> StoredFile:
        if not upload.content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if len(upload.content) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo" and image_size(upload.content) is None:
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        mime = upload.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream"
        return self.store_file(kind, upload.content, file_name=upload.filename or None, mime_type=mime)

    def store_file(self, kind: str, content: bytes, *, file_name: str | None = None,
                   mime_type: str | None = None, declared_size: int | None = None,
                   url: str | None = None) -> StoredFile:
        """Register a file so it can be referenced by file_id and downloaded via getFile."""
        number = next(self._file_counter)
        suffix = (("." + file_name.rsplit(".", 1)[1]) if file_name and "." in file_name
                  else ".jpg" if kind == "photo" else "")
        prefix = "AgAC" if kind == "photo" else "BQAC"
        width, height = (image_size(content) or (1280, 720)) if kind == "photo" else (0, 0)
        stored = StoredFile(
            file_id=f"{prefix}{secrets.token_urlsafe(24)}", file_unique_id=f"AQAD{secrets.token_urlsafe(8)}",
            kind=kind, content=content, file_size=declared_size if declared_size is not None else len(content),
            file_path=f"{'photos' if kind == 'photo' else 'documents'}/file_{number}{suffix}",
            file_name=file_name if kind == "document" else None,
            mime_type=mime_type if kind == "document" else "image/jpeg",
            width=width, height=height, url=url)
        self._files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    async def _api_get_file(self, ctx: Ctx, params: Params) -> Json:
        file_id = params.get("file_id")
        if not file_id:
            raise ApiError(400, "Bad Request: file_id is empty")
        stored = self._files.get(str(file_id))
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file_id or the file is temporarily unavailable")
        if stored.file_size > DOWNLOAD_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return stored.telegram_file()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if not self._authorized(request.match_info["token"]):
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        stored = self._paths.get(request.match_info["file_path"])
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")

    async def _handle_control_file(self, request: web.Request) -> web.Response:
        """A stored file's bytes for the web chat: photos inline, documents as a download.

        The bytes are whatever a user or the bot uploaded, served from the page's own origin:
        only real images get an image type, everything else is an opaque attachment, and
        nosniff + a sandbox CSP keep an uploaded HTML file from running as the page.
        """
        stored = self._files.get(request.query.get("file_id", ""))
        if stored is None or not stored.content:
            return web.json_response({"ok": False, "error": "no such file"}, status=404)
        headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox",
                   "Cache-Control": "private, max-age=3600"}
        if stored.kind == "document":
            name = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
            headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
        mime = image_mime(stored.content) or "application/octet-stream"
        return web.Response(body=stored.content, content_type=mime, headers=headers)
