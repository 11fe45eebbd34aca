"""One update's view of the conversation: what handlers read and the replies they append."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from db.uow import UnitOfWork
from handlers.flow import dump_data, load_data
from handlers.i18n import pick_locale, t
from handlers.kit import Attachment, Button, Incoming, KeyButton, Kind, Reply
from handlers.render import escape
from services import users
from services.errors import DomainError
from services.notice import Notice
from services.settings import Settings
from services.users import Person

if TYPE_CHECKING:
    from _typeshed import DataclassInstance  # a type checker's name for "any dataclass"

    from db.engine import Database
    from handlers.router import Router

T = TypeVar("T", bound="DataclassInstance")


class Worker(Protocol):
    """What after-commit work (`Chat.after_commit`) gets from the bot: its own units of work, the
    channel's files and the chat, and no transaction of the update that started it."""

    db: Database
    settings: Settings
    chat_id: int

    def uow(self) -> AbstractAsyncContextManager[UnitOfWork]: ...

    def now(self) -> datetime: ...

    def turn(self) -> AbstractAsyncContextManager[None]:
        """The chat's turn: while held, no update of this chat is handled (they queue, in order)."""
        ...

    async def fetch(self, file_id: str) -> bytes:
        """A file's bytes from the channel (Bot API getFile; ≤ 20 MB), outside any transaction."""
        ...

    async def send(self, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        """A message to the chat (or an edit of one); its id, None when it could not go out."""
        ...


Work = Callable[[Worker], Awaitable[None]]


async def resume(w: Worker, inc: Incoming, person_id: int, step: Callable[[Chat], Awaitable[None]]) -> None:
    """Go on with a conversation from after-commit work, as an update would: in the chat's turn, in
    one unit of work, with the person's state as stored now; its changes commit with whatever
    `step` changed, and its replies go out after the commit. `inc` is the update that began it."""
    async with w.turn():
        async with w.uow() as uow:
            person = await users.by_id(uow, person_id)
            if person is None:  # the account was removed meanwhile: nobody to answer
                return
            chat = Chat(inc, person, uow, w.settings, w.now())
            await step(chat)
            if (chat.state, chat.data) != (person.state, person.state_data):
                await users.save_state(uow, person, chat.state, chat.data)
            await uow.commit()
        for reply in chat.replies:
            await w.send(reply)


@dataclass(frozen=True)
class Backing:
    """A held notice standing behind one reply: if that reply does not go out, the notice does."""

    reply: Reply
    notice: Notice
    key: str  # one per result (e.g. per report): a repeated confirmation shares the same notice


@dataclass
class Chat:
    """One update's view of the conversation. Handlers read it and append replies."""

    incoming: Incoming
    person: Person
    uow: UnitOfWork
    settings: Settings
    now: datetime
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None
    router: Router | None = None  # the whole bot's, set by dispatch: menu, help, deep links
    backed: list[Backing] = field(default_factory=list)
    later: list[Work] = field(default_factory=list)  # run by the bot after the commit (bot/background.py)
    before_next: list[Work] = field(default_factory=list)  # the same, but the chat's next update waits for it

    def __post_init__(self) -> None:
        self.state = self.person.state
        self.data = dict(self.person.state_data)

    @property
    def locale(self) -> str:
        return pick_locale(self.person.locale, self.incoming.language_code, self.settings.default_locale)

    def t(self, key: str, **params: object) -> str:
        return t(self.locale, key, **params)

    def reply(
        self, text: str, buttons: list[list[Button]] | None = None, *, keyboard: list[list[KeyButton]] | None = None,
        remove_keyboard: bool = False, attachment: Attachment | None = None, edit: bool = False,
    ) -> None:
        # An edit only makes sense for the message whose button was pressed.
        edit = edit and self.incoming.kind is Kind.CALLBACK and self.incoming.message_id is not None
        self.replies.append(Reply(text, buttons or [], keyboard, remove_keyboard, attachment, edit))

    def confirm(self, reply: Reply, notice: Notice, key: str) -> None:
        """A reply that confirms a done action, backed by a held `notice`.

        The notice commits with the action and waits `confirm_grace` seconds in the outbox; the
        App cancels it once this reply is delivered. If the process dies between commit and
        reply, the outbox sends the notice after the restart, so the person still learns the result.
        """
        self.replies.append(reply)
        self.backed.append(Backing(reply, notice, key))

    def after_commit(self, work: Work, *, before_next: bool = False) -> None:
        """Run `work(worker)` once this update has committed and its replies are out: for what
        must not hold the update's transaction (a file download, a long import). On SQLite the
        update's transaction holds the one connection everybody shares; a download or a
        20,000-row import inside it would stall every other chat.

        `before_next`: the chat's next update waits until the work is done (it decides what that
        update means: three files picked at once arrive as three quick messages, and the second
        is for the item after the first only once the first was checked). Other chats never wait."""
        (self.before_next if before_next else self.later).append(work)

    def error_text(self, e: DomainError) -> str:
        """A refusal in words. The one owner of escaping error params: a service puts what a person
        typed (a code, a title, a name from HR's data) in them and knows nothing of HTML."""
        return self.t(e.code, **{k: escape(v) if isinstance(v, str) else v for k, v in e.params.items()})

    def error(self, e: DomainError) -> None:
        self.reply(self.error_text(e))

    def goto(self, state: str | None, **data: Any) -> None:
        """Enter a flow step; `data` is merged into what the flow has gathered so far."""
        self.state = state
        self.data.update(data)

    def clear(self) -> None:
        self.state, self.data = None, {}

    def load(self, kind: type[T]) -> T:
        """What the flow has gathered, as its declared dataclass."""
        return load_data(kind, self.data)

    def save(self, value: DataclassInstance) -> None:
        """Replace what the flow has gathered (a dataclass); saved with the update's commit."""
        self.data = dump_data(value, self.data)
