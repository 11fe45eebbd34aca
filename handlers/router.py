"""Match an update to a flow step: command, callback prefix, the chat's state, or a fuzzy intent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from handlers.callbacks import Callback, StaleButton
from handlers.chat import Chat as Chat  # re-exported: a feature imports Chat with its Router
from handlers.flow import ButtonHandler, C, During, Step, TypedHandler, state_names
from handlers.intents import Intent, best_intent, normalise
from handlers.kit import Incoming, Kind
from services.errors import DomainError, Forbidden
from services.roles import Role, require_role
from services.staff import audit

Handler = Callable[["Chat"], Awaitable[None]]
WelcomeLine = Callable[["Chat"], Awaitable[str | None]]  # a feature's line in the /start welcome


class DuplicateRegistration(Exception):
    """Two registrations claim one command, button prefix, step or deep link: start-up stops here."""


@dataclass(frozen=True)
class MenuItem:
    """A main-menu button: a translated label, the callback it sends, who sees it."""

    label: str
    data: str
    roles: tuple[str, ...] | None = None  # None: everyone
    order: int = 50


class Router:
    """Commands, button prefixes, flow steps, deep links and intents of one feature (or the bot).

    Registering a name twice raises `DuplicateRegistration`, here and in `include`, so a clash
    between features stops start-up instead of one handler silently shadowing another.
    """

    def __init__(self, name: str = "") -> None:
        self.name = name
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
        # Staff-only button prefixes ("cxo" covers "cxo:…") and "/commands" → the roles that may.
        self.gates: dict[str, tuple[str, ...]] = {}

    def _claim(self, table: dict[Any, Handler], key: Any, fn: Handler, what: str, owner: str = "") -> None:
        if key in table and table[key] is not fn:
            by = f" (from {owner})" if owner else ""
            raise DuplicateRegistration(f"{what} {key!r} is registered twice{by} in router {self.name or '(root)'}")
        table[key] = fn

    def restrict(self, *buttons: type[Callback], commands: tuple[str, ...] = (), roles: tuple[str, ...]) -> None:
        """Only `roles` (and superadmins) may press these buttons or send these commands (names
        as `command` takes them, without the slash).

        A button type gates its prefix and every prefix under it, so a feature's family type
        (the one whose prefix is the feature's bare prefix, e.g. `TaButtons` for every "tra:…")
        covers all its buttons, later ones too, and forged data no handler knows. Checked before
        the handler and before the button's data is read, so a forged or stale staff button from
        someone without the role is refused (and audited) as such, not answered as an old button.
        The services still check: this is the first line, not the only one.
        """
        for key in [b.prefix for b in buttons] + ["/" + c.lower() for c in commands]:
            if key in self.gates and self.gates[key] != roles:
                raise DuplicateRegistration(f"gate {key!r} is declared twice in router {self.name or '(root)'}")
            self.gates[key] = roles

    def gate(self, chat: Chat) -> tuple[str, ...] | None:
        """The roles the update's button or command is restricted to; None when it is not."""
        inc = chat.incoming
        if not self.gates:
            return None
        if inc.kind is Kind.CALLBACK:
            for key, roles in self.gates.items():
                if inc.text == key or inc.text.startswith(key + ":"):
                    return roles
        elif inc.kind is Kind.COMMAND and inc.command:
            return self.gates.get("/" + inc.command)
        return None

    def menu_item(self, label: str, data: str | Callback, roles: tuple[str, ...] | None = None,
                  order: int = 50) -> None:
        packed = data.pack() if isinstance(data, Callback) else data
        self.menu.append(MenuItem(label, packed, roles, order))
        self.menu.sort(key=lambda m: m.order)

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self._claim(self.commands, n.lower(), fn, "command")
            return fn
        return deco

    def callback(self, spec: str | type[C], *, during: During | Callable[[C], During] | None = None,
                 otherwise: TypedHandler[C] | None = None) -> Callable[[Any], Any]:
        """A button handler: for a `Callback` type, `fn(chat, data)` gets the unpacked data.

        Malformed or forged data never reaches the handler: `unpack` raises `StaleButton` and
        `dispatch` answers it with the stale-button reply. `during` names the steps in which the
        button counts (a step, a flow, a tuple of them, or a function of the data giving those);
        a press in any other state is stale in the same way, or goes to `otherwise` when the
        feature has its own answer for a button whose step is over.
        """
        if isinstance(spec, str):
            if during is not None or otherwise is not None:
                raise TypeError("during= and otherwise= need a Callback type")

            def plain(fn: Handler) -> Handler:
                self._claim(self.callbacks, spec, fn, "callback prefix")
                return fn
            return plain
        kind = spec

        # A step, a flow or a tuple is known now; a function of the data is asked on each press.
        if isinstance(during, Step | tuple | type):
            fixed, of_data = state_names(during), None
        else:
            fixed, of_data = None, during

        def typed(fn: TypedHandler[C]) -> TypedHandler[C]:
            self._claim(self.callbacks, kind.prefix, ButtonHandler(fn, kind, fixed, of_data, otherwise),
                        "callback prefix")
            return fn
        return typed

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self._claim(self.states, n, fn, "state")
            return fn
        return deco

    def step(self, *steps: Step) -> Callable[[Handler], Handler]:
        """What a declared flow step does with the person's next message."""
        return self.state(*(s.name for s in steps))

    def kind(self, kind: Kind) -> Callable[[Handler], Handler]:
        """Outside any flow: what a contact, location, photo… means."""
        def deco(fn: Handler) -> Handler:
            self._claim(self.kinds, kind, fn, "message kind")
            return fn
        return deco

    def help(self, key: str, roles: tuple[str, ...] | None = None) -> None:
        self.help_entries.append((roles, key))

    def deep_link(self, word: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            self._claim(self.deep_links, word, fn, "deep link")
            return fn
        return deco

    def welcome_line(self, fn: WelcomeLine) -> WelcomeLine:
        """Something a feature says in the /start welcome (None: nothing to say to this person)."""
        self.welcome_lines.append(fn)
        return fn

    def intent(self, name: str, phrases: list[str]) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            if any(i.name == name for i in self.intents):
                raise DuplicateRegistration(f"intent {name!r} is registered twice")
            self.intents.append(Intent(name, [normalise(p) for p in phrases], fn))
            return fn
        return deco

    def include(self, other: Router, owner: str = "") -> None:
        owner = owner or other.name
        for table, theirs, what in ((self.commands, other.commands, "command"),
                                    (self.callbacks, other.callbacks, "callback prefix"),
                                    (self.states, other.states, "state"), (self.kinds, other.kinds, "message kind"),
                                    (self.deep_links, other.deep_links, "deep link")):
            for key, fn in theirs.items():
                self._claim(table, key, fn, what, owner)
        for intent in other.intents:
            if any(i.name == intent.name for i in self.intents):
                raise DuplicateRegistration(f"intent {intent.name!r} is registered twice (from {owner})")
            self.intents.append(intent)
        self.help_entries.extend(other.help_entries)
        for key, roles in other.gates.items():
            if key in self.gates and self.gates[key] != roles:
                raise DuplicateRegistration(f"gate {key!r} is declared twice (from {owner})")
            self.gates[key] = roles
        self.welcome_lines.extend(other.welcome_lines)
        for item in other.menu:
            self.menu_item(item.label, item.data, item.roles, item.order)
        for attr in ("fallback", "on_stale_button"):
            mine, theirs_fn = getattr(self, attr), getattr(other, attr)
            if mine is not None and theirs_fn is not None and mine is not theirs_fn:
                raise DuplicateRegistration(f"{attr} is set twice (from {owner})")
            setattr(self, attr, theirs_fn or mine)

    def match_intent(self, text: str) -> Intent | None:
        return best_intent(self.intents, text)

    def resolve(self, chat: Chat) -> Handler | None:
        inc = chat.incoming
        if inc.kind is Kind.CALLBACK:
            parts = inc.text.split(":")
            for cut in range(len(parts), 0, -1):
                fn = self.callbacks.get(":".join(parts[:cut]))
                if fn:
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

    def route_key(self, chat: Chat) -> str:
        """What the update tried, as the audit log names it: `btn:cxo:a`, `cmd:/stats`, `step:sf.who`."""
        inc = chat.incoming
        if inc.kind is Kind.CALLBACK:
            parts = inc.text.split(":")
            found = next((":".join(parts[:cut]) for cut in range(len(parts), 0, -1)
                          if ":".join(parts[:cut]) in self.callbacks), "?")
            return f"btn:{found}"
        if inc.kind is Kind.COMMAND:
            return f"cmd:/{inc.command}"
        if chat.person.state and chat.person.state in self.states:
            return f"step:{chat.person.state}"
        return f"msg:{inc.kind.value}"

    async def dispatch(self, chat: Chat) -> None:
        chat.router = self
        handler = self.resolve(chat)
        if handler is None:
            return
        try:
            if (roles := self.gate(chat)) is not None:
                require_role(chat.person.role, *(Role(r) for r in roles))
            await handler(chat)
        except DomainError as e:
            # A refusal leaves the conversation where it was: a step the handler entered before
            # the service said no is not kept (the refusal's text is all that changes).
            chat.state, chat.data = chat.person.state, dict(chat.person.state_data)
            chat.later.clear()  # nor is work it meant to start after the commit
            if isinstance(e, Forbidden):
                # The one place refused attempts are audited. A refusal commits like any update
                # (a link attempt's counter relies on it), so the entry commits with it.
                await audit.record_denied(chat.uow, chat.person, self.route_key(chat), e.code, now=chat.now)
            chat.error(e)
        except StaleButton as e:
            # Only a button's data can be stale; elsewhere the signal is a bug and must surface.
            if chat.incoming.kind is not Kind.CALLBACK or self.on_stale_button is None:
                raise
            # Handlers parse before they act; whatever a handler began is dropped. The answer is the
            # pop-up alone, in a feature's own words or on_stale_button's: the chat stays as it is.
            chat.replies.clear()
            chat.later.clear()
            chat.state, chat.data = chat.person.state, dict(chat.person.state_data)
            await (e.answer(chat) if e.answer is not None else self.on_stale_button(chat))


def addressed_to_us(inc: Incoming, bot_username: str | None) -> bool:
    """`/lapor@OurBot` is ours (any case), `/lapor@OtherBot` is not; a plain `/lapor` always is.

    With our username unknown (it comes from getMe at start-up, so only in tests) every command counts.
    """
    if inc.addressee is None or not bot_username:
        return True
    return inc.addressee == bot_username.removeprefix("@").lower()
