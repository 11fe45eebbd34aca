"""The shared store: users, chats, messages, sequence numbers and pending updates.

Every part of the emulator reads and writes this one store; it knows nothing of HTTP.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.sandbox.emulator.protocol import Json, now
from bot.sandbox.transcript import Transcript


class Signal:
    """Broadcast "state changed"; firing from sync code is fine (no lock needed)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float | None) -> None:
        """Wait for the next fire, or until ``seconds`` pass (no exception)."""
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except TimeoutError:
            pass


@dataclass(eq=False)
class Store:
    """What Telegram would know: users, both directions of every chat, the update queue."""

    users: dict[int, Json] = field(default_factory=dict)
    last_message_id: dict[int, int] = field(default_factory=dict)
    messages: dict[tuple[int, int], Json] = field(default_factory=dict)  # Message objects, both directions
    records: dict[tuple[int, int], Json] = field(default_factory=dict)  # bot messages as seen by tests
    sent: list[Json] = field(default_factory=list)
    seq: int = 0  # the global change counter: bumped by every send, edit and delete
    last_action_seq: dict[int, int] = field(default_factory=dict)
    updates: deque[Json] = field(default_factory=deque)
    next_update_id: int = 1
    handed_out: int = 0  # highest update_id handed to the bot at least once
    pushing: int = 0  # updates being POSTed to the webhook right now
    updates_delivered: int = 0
    polls: int = 0  # getUpdates calls so far: the first one says the bot is up and polling
    callbacks: dict[str, Json] = field(default_factory=dict)  # callback queries not yet answered
    query_counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    signal: Signal = field(default_factory=Signal)
    # Called with each sent/edited record as it happens (benchmarks time replies with it).
    listeners: list[Callable[[Json], None]] = field(default_factory=list)
    # What each simulated user's own screen shows, for the web chat (bot/sandbox/transcript.py).
    transcript: Transcript = field(default_factory=Transcript)
    closing: bool = False

    # What happened, for tests to assert on.
    callback_answers: list[Json] = field(default_factory=list)
    bad_requests: list[Json] = field(default_factory=list)
    rate_limited: list[Json] = field(default_factory=list)
    forbidden: list[Json] = field(default_factory=list)
    chat_actions: list[Json] = field(default_factory=list)
    webhook_log: list[Json] = field(default_factory=list)

    def chat(self, user_id: int) -> Json:
        user = self.users[user_id]
        chat: Json = {"id": user_id, "type": "private", "first_name": user["first_name"]}
        if user.get("username"):
            chat["username"] = user["username"]
        return chat

    def next_message_id(self, chat_id: int) -> int:
        self.last_message_id[chat_id] = self.last_message_id.get(chat_id, 0) + 1
        return self.last_message_id[chat_id]

    def bump(self, record: Json) -> None:
        """A bot message was sent, edited or deleted: give it the next seq and tell everyone."""
        self.seq += 1
        record["seq"] = self.seq
        self.transcript.bot_change(record)
        for listener in self.listeners:
            listener(record)
        self.signal.fire()

    def visible(self, chat_id: int) -> list[Json]:
        return [r for r in self.sent if r["chat_id"] == chat_id and not r["deleted"]]

    def touch_user(self, user_id: int, first_name: str = "User", username: str | None = None,
                   language_code: str = "id") -> Json:
        """Create the user, or update fields passed with non-default values."""
        user = self.users.get(user_id)
        if user is None:
            user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
            self.users[user_id] = user
        else:
            if first_name != "User":
                user["first_name"] = first_name
            if language_code != "id":
                user["language_code"] = language_code
        if username:
            user["username"] = username
        return user

    def user_message(self, user_id: int, content: Json) -> Json:
        """Store a message the user sent; the bot's next reply counts from here."""
        user = self.touch_user(user_id)
        message_id = self.next_message_id(user_id)
        message: Json = {"message_id": message_id, "from": copy.deepcopy(user),
                         "chat": self.chat(user_id), "date": now(), **content}
        self.messages[(user_id, message_id)] = message
        self.last_action_seq[user_id] = self.seq
        return message

    def push_update(self, payload: Json) -> Json:
        update = {"update_id": self.next_update_id, **payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.transcript.user_update(update, self.seq)
        self.signal.fire()
        return copy.deepcopy(update)

    def drained(self) -> bool:
        return self.pushing == 0 and (not self.updates or self.updates[-1]["update_id"] <= self.handed_out)

    def reset(self) -> None:
        """Forget messages, errors and pending updates; users stay known.

        update_id, message_id and seq keep counting up so a running bot's offset and
        a poller's ``after`` stay valid.
        """
        self.sent.clear()
        self.records.clear()
        self.messages.clear()
        self.updates.clear()
        self.callbacks.clear()
        self.transcript.clear()
        self.last_action_seq = {chat: self.seq for chat in self.last_action_seq}
        for log_list in (self.callback_answers, self.bad_requests, self.rate_limited, self.forbidden,
                         self.chat_actions, self.webhook_log):
            log_list.clear()
        self.signal.fire()
