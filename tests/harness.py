"""Drive flows through the real router and unit of work with an in-memory channel."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.core import App
from bot.updates import split_command
from handlers.channel import DeliveryError
from handlers.kit import Attachment, FileRef, Incoming, Kind, Reply


@dataclass
class Sent:
    chat_id: int
    reply: Reply
    message_id: int
    edited: bool = False

    @property
    def text(self) -> str:
        return self.reply.text

    def labels(self) -> list[str]:
        return [b.text for row in self.reply.buttons for b in row]


@dataclass
class FakeChannel:
    """Records what would go to Telegram; raises a chosen DeliveryError for chosen chats."""

    name: str = "telegram"
    sent: list[Sent] = field(default_factory=list)
    failures: dict[int, DeliveryError] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    callback_answers: list[tuple[str, str | None]] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)  # file ids the bot fetched, in order
    history: list[Sent] = field(default_factory=list)  # every send and edit, in order (`sent` keeps the last text)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        if chat_id in self.failures:
            raise self.failures[chat_id]
        if edit_message_id is not None:
            for s in self.sent:
                if s.message_id == edit_message_id and s.chat_id == chat_id:
                    s.reply, s.edited = reply, True
                    self.history.append(Sent(chat_id, reply, edit_message_id, True))
                    return edit_message_id
        mid = next(self._ids)
        self.sent.append(Sent(chat_id, reply, mid))
        self.history.append(Sent(chat_id, reply, mid))
        return mid

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        self.callback_answers.append((callback_id, text))

    async def download(self, file_id: str) -> bytes:
        self.downloads.append(file_id)
        return self.files[file_id]

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]


class Clock:
    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


_update_ids = itertools.count(1)


@dataclass
class Person:
    """A person typing into the bot."""

    app: App
    channel: FakeChannel
    user_id: int
    name: str = "Warga"
    language_code: str | None = "id"
    username: str | None = None

    def _inc(self, kind: Kind, **kw: object) -> Incoming:
        return Incoming(channel="telegram", update_id=next(_update_ids), chat_id=self.user_id,
                        user_id=self.user_id, kind=kind, display_name=self.name, username=self.username,
                        language_code=self.language_code, **kw)  # type: ignore[arg-type]

    async def say(self, text: str) -> list[Reply]:
        if (cmd := split_command(text)) is not None:  # as bot/updates reads a message's text
            command, addressee, args = cmd
            inc = self._inc(Kind.COMMAND, text=text, command=command, addressee=addressee, args=args)
        else:
            inc = self._inc(Kind.TEXT, text=text)
        return await self.send(inc)

    async def send(self, inc: Incoming) -> list[Reply]:
        replies = (await self.app.handle(inc)) or []
        await self.app.settle()  # what the handler left for after the commit (downloads, imports)
        return replies

    async def press(self, label: str | None = None, *, data: str | None = None) -> list[Reply]:
        """Press a button, by its label or data, on the newest message that has it."""
        for s in reversed(self.channel.to(self.user_id)):
            for row in s.reply.buttons:
                for b in row:
                    if (label is not None and label in b.text) or (data is not None and b.data == data):
                        return await self.send(self._inc(
                            Kind.CALLBACK, text=b.data or "", callback_id=f"cb{s.message_id}",
                            message_id=s.message_id))
        raise LookupError(f"no button {label or data!r}; last: {self.last_text()!r} {self.last_labels()}")

    async def press_data(self, data: str, message_id: int = 999999) -> list[Reply]:
        """A callback the person's client sends, whatever the message shows (old or forged)."""
        return await self.send(self._inc(Kind.CALLBACK, text=data, callback_id="cbx", message_id=message_id))

    async def press_stale(self, data: str, message_id: int = 999999) -> str | None:
        """A button the bot must answer as stale: only the pop-up (returned), the chat as it was."""
        before = [(s.message_id, s.reply) for s in self.messages()]
        answered = len(self.channel.callback_answers)
        assert await self.press_data(data, message_id) == [], data
        assert [(s.message_id, s.reply) for s in self.messages()] == before, data
        assert len(self.channel.callback_answers) == answered + 1, data
        return self.channel.callback_answers[-1][1]

    async def share_contact(self, phone: str, *, own: bool = True) -> list[Reply]:
        return await self.send(self._inc(Kind.CONTACT, phone=phone,
                                         contact_user_id=self.user_id if own else self.user_id + 1))

    async def send_location(self, lat: float, lon: float) -> list[Reply]:
        return await self.send(self._inc(Kind.LOCATION, location=(lat, lon)))

    async def send_photo(self, content: bytes = b"\xff\xd8\xff\xe0jpeg", caption: str = "") -> list[Reply]:
        fid = f"photo{next(_update_ids)}"
        self.channel.files[fid] = content
        return await self.send(self._inc(Kind.PHOTO, text=caption, file=FileRef(fid, None, len(content),
                                                                              "image/jpeg")))

    async def send_document(self, name: str, content: bytes, *, size: int | None = None,
                            mime: str = "application/octet-stream", caption: str = "") -> list[Reply]:
        fid = f"doc{next(_update_ids)}"
        self.channel.files[fid] = content
        return await self.send(self._inc(Kind.DOCUMENT, text=caption,
                                         file=FileRef(fid, name, size or len(content), mime)))

    def messages(self) -> list[Sent]:
        return self.channel.to(self.user_id)

    def last_text(self) -> str:
        msgs = self.messages()
        return msgs[-1].text if msgs else ""

    def last_labels(self) -> list[str]:
        msgs = self.messages()
        return msgs[-1].labels() if msgs else []

    def all_text(self) -> str:
        return "\n".join(s.text for s in self.messages())


async def conversation_state(app: App, user_id: int) -> tuple[str | None, dict]:
    """The person's saved flow step and what it has gathered, as the database holds it."""
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", user_id)
        return u.state, u.state_data


__all__ = ["Attachment", "Clock", "FakeChannel", "Person", "Sent", "conversation_state"]
