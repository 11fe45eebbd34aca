"""Match an update to a flow step: command, callback prefix, the chat's state, or a fuzzy intent."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from db.uow import UnitOfWork
from handlers.i18n import pick_locale, t
from handlers.kit import Attachment, Button, Incoming, KeyButton, Kind, Reply
from services.errors import DomainError
from services.notice import Notice
from services.settings import Settings
from services.users import Person

Handler = Callable[["Chat"], Awaitable[None]]
WelcomeLine = Callable[["Chat"], Awaitable[str | None]]  # a feature's line in the /start welcome
INTENT_THRESHOLD = 75
BIGINT_MAX = 2**63 - 1  # ids are BIGINT on PostgreSQL; a bigger one is an OverflowError, not "not found"
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")  # str.isdigit() also says yes to "²" and "①"


class StaleButton(Exception):  # noqa: N818 - a signal, not an error: the router answers it
    """Callback data that is malformed or no longer applies: answered with the stale-button reply.

    Raised by `Chat.arg_int` / `Chat.arg_str` (callback data are user-controlled: a client may
    send anything up to 64 bytes) and caught by `Router.dispatch` for callbacks only.
    """


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
    args: list[str] = field(default_factory=list)  # callback-data arguments after the prefix
    replies: list[Reply] = field(default_factory=list)
    toast: str | None = None
    router: Router | None = None  # the whole bot's, set by dispatch: menu, help, deep links
    backed: list[Backing] = field(default_factory=list)

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

    def arg_int(self, i: int, default: int | None = None) -> int:
        """Callback argument `i` as an id or a number: ASCII digits within the BIGINT range.

        Missing: `default` if one is given, else stale. Anything else is stale.
        """
        if i >= len(self.args):
            if default is None:
                raise StaleButton(f"argument {i} missing")
            return default
        raw = self.args[i]
        if not _ASCII_DIGITS.fullmatch(raw) or int(raw) > BIGINT_MAX:
            raise StaleButton(f"argument {i} is not a number")
        return int(raw)

    def arg_str(self, i: int, allowed: Collection[str] | None = None, default: str | None = None) -> str:
        """Callback argument `i` as a word, one of `allowed` when given; missing or other: stale."""
        if i >= len(self.args):
            if default is None:
                raise StaleButton(f"argument {i} missing")
            return default
        raw = self.args[i]
        if allowed is not None and raw not in allowed:
            raise StaleButton(f"argument {i} is not one of the choices")
        return raw

    def error(self, e: DomainError) -> None:
        self.reply(self.t(e.code, **e.params))

    def goto(self, state: str | None, **data: Any) -> None:
        """Enter a flow step; `data` is merged into what the flow has gathered so far."""
        self.state = state
        self.data.update(data)

    def clear(self) -> None:
        self.state, self.data = None, {}


@dataclass(frozen=True)
class MenuItem:
    """A main-menu button: a translated label, the callback it sends, who sees it."""

    label: str
    data: str
    roles: tuple[str, ...] | None = None  # None: everyone
    order: int = 50


@dataclass
class Intent:
    name: str
    phrases: list[str]
    handler: Handler


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.callbacks: dict[str, Handler] = {}
        self.states: dict[str, Handler] = {}
        self.kinds: dict[Kind, Handler] = {}
        self.intents: list[Intent] = []
        self.fallback: Handler | None = None
        self.on_stale_button: Handler | None = None
        self.menu: list[MenuItem] = []
        self.help_entries: list[tuple[tuple[str, ...] | None, str]] = []  # (roles or None, catalog key)
        self.deep_links: dict[str, Handler] = {}  # `/start WORD_rest` → handler for WORD
        self.welcome_lines: list[WelcomeLine] = []

    def menu_item(self, label: str, data: str, roles: tuple[str, ...] | None = None, order: int = 50) -> None:
        self.menu.append(MenuItem(label, data, roles, order))
        self.menu.sort(key=lambda m: m.order)

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self.commands[n.lower()] = fn
            return fn
        return deco

    def callback(self, prefix: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.callbacks[prefix] = fn
            return fn
        return deco

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self.states[n] = fn
            return fn
        return deco

    def kind(self, kind: Kind) -> Callable[[Handler], Handler]:
        """Outside any flow: what a contact, location, photo… means."""
        def deco(fn: Handler) -> Handler:
            self.kinds[kind] = fn
            return fn
        return deco

    def help(self, key: str, roles: tuple[str, ...] | None = None) -> None:
        self.help_entries.append((roles, key))

    def deep_link(self, word: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.deep_links[word] = fn
            return fn
        return deco

    def welcome_line(self, fn: WelcomeLine) -> WelcomeLine:
        """Something a feature says in the /start welcome (None: nothing to say to this person)."""
        self.welcome_lines.append(fn)
        return fn

    def intent(self, name: str, phrases: list[str]) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self.intents.append(Intent(name, [normalise(p) for p in phrases], fn))
            return fn
        return deco

    def include(self, other: Router) -> None:
        self.commands.update(other.commands)
        self.callbacks.update(other.callbacks)
        self.states.update(other.states)
        self.kinds.update(other.kinds)
        self.intents.extend(other.intents)
        self.help_entries.extend(other.help_entries)
        self.deep_links.update(other.deep_links)
        self.welcome_lines.extend(other.welcome_lines)
        for item in other.menu:
            self.menu_item(item.label, item.data, item.roles, item.order)
        self.fallback = other.fallback or self.fallback
        self.on_stale_button = other.on_stale_button or self.on_stale_button

    def match_intent(self, text: str) -> Intent | None:
        choices = [(p, i) for i in self.intents for p in i.phrases]
        if not choices or not text.strip():
            return None
        found = process.extractOne(normalise(text), [p for p, _ in choices], scorer=_score)
        if found is None or found[1] < INTENT_THRESHOLD:
            return None
        return choices[found[2]][1]

    def resolve(self, chat: Chat) -> Handler | None:
        inc = chat.incoming
        if inc.kind is Kind.CALLBACK:
            parts = inc.text.split(":")
            for cut in range(len(parts), 0, -1):
                fn = self.callbacks.get(":".join(parts[:cut]))
                if fn:
                    chat.args = parts[cut:]
                    return fn
            return self.on_stale_button
        if inc.kind is Kind.COMMAND:
            if not addressed_to_us(inc, chat.settings.bot_username):
                return None  # another bot's command: not answered, the conversation untouched
            return self.commands.get(inc.command or "") or self.fallback
        if chat.state and chat.state in self.states:
            return self.states[chat.state]
        if inc.kind in self.kinds:
            return self.kinds[inc.kind]
        if inc.kind is Kind.TEXT:
            intent = self.match_intent(inc.text)
            if intent:
                return intent.handler
        return self.fallback

    async def dispatch(self, chat: Chat) -> None:
        chat.router = self
        handler = self.resolve(chat)
        if handler is None:
            return
        try:
            await handler(chat)
        except DomainError as e:
            chat.error(e)
        except StaleButton:
            # Only a button's data can be stale; elsewhere the signal is a bug and must surface.
            if chat.incoming.kind is not Kind.CALLBACK or self.on_stale_button is None:
                raise
            # Handlers parse before they act; whatever a handler began is dropped all the same.
            chat.replies.clear()
            chat.toast, chat.state, chat.data = None, chat.person.state, dict(chat.person.state_data)
            await self.on_stale_button(chat)


def addressed_to_us(inc: Incoming, bot_username: str | None) -> bool:
    """`/lapor@OurBot` is ours (any case), `/lapor@OtherBot` is not; a plain `/lapor` always is.

    With our username unknown (it comes from getMe at start-up, so only in tests) every command counts.
    """
    if inc.addressee is None or not bot_username:
        return True
    return inc.addressee == bot_username.removeprefix("@").lower()


_WORD = re.compile(r"[^\w\s]+", re.U)


def normalise(text: str) -> str:
    return " ".join(_WORD.sub(" ", text.lower()).split())


def _score(query: str, choice: str, **kw: Any) -> float:
    # token_set_ratio lets "mau lapor jalan rusak" contain "lapor jalan rusak"; the
    # partial guard keeps one stray shared word in a long sentence from matching.
    return min(fuzz.token_set_ratio(query, choice), fuzz.partial_token_sort_ratio(query, choice) + 10)
