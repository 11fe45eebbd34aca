"""What tests read back: the bot's messages, waiting for one, a report when none came."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

from bot.sandbox.emulator.protocol import Json
from bot.sandbox.emulator.state import Store


def sent(store: Store, chat_id: int | None = None) -> list[Json]:
    """Every bot message in send order, in its current state (deleted ones flagged)."""
    return [copy.deepcopy(r) for r in store.sent if chat_id is None or r["chat_id"] == chat_id]


def last(store: Store, chat_id: int) -> Json | None:
    """The newest not-deleted bot message in the chat."""
    visible = store.visible(chat_id)
    return copy.deepcopy(visible[-1]) if visible else None


def texts(store: Store, chat_id: int) -> list[str]:
    """Texts/captions (as sent, with markup) of the not-deleted messages; "" for bare media."""
    return [r["text"] or "" for r in store.visible(chat_id)]


def changes(store: Store, chat_id: int | None = None, after: int = 0) -> list[Json]:
    """Messages sent, edited or deleted after global ``seq`` ``after``, oldest change first."""
    found = [r for r in store.sent if r["seq"] > after and (chat_id is None or r["chat_id"] == chat_id)]
    return [copy.deepcopy(r) for r in sorted(found, key=lambda r: r["seq"])]


def _match(store: Store, chat_id: int, predicate: Callable[[Json], bool] | None, count: int | None,
           since: int) -> Json | None:
    if count is not None:
        hits = [r for r in store.visible(chat_id) if predicate is None or predicate(copy.deepcopy(r))]
        return hits[count - 1] if len(hits) >= count else None
    fresh = sorted((r for r in store.visible(chat_id) if r["seq"] > since), key=lambda r: r["seq"])
    return next((r for r in fresh if predicate is None or predicate(copy.deepcopy(r))), None)


async def wait_for(store: Store, chat_id: int, predicate: Callable[[Json], bool] | None, *,
                   count: int | None, timeout: float, since: int | None) -> Json:  # noqa: ASYNC109
    """See :meth:`Emulator.wait_for`."""
    start = store.last_action_seq.get(chat_id, 0) if since is None else since
    deadline = time.monotonic() + timeout
    while (found := _match(store, chat_id, predicate, count, start)) is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(_timeout_report(store, chat_id, count, start, timeout))
        await store.signal.wait(remaining)
    return copy.deepcopy(found)


async def wait_drained(store: Store, timeout: float) -> None:  # noqa: ASYNC109
    """See :meth:`Emulator.wait_drained`."""
    deadline = time.monotonic() + timeout
    while not store.drained():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{len(store.updates)} updates still pending after {timeout}s; "
                               f"webhook log tail: {store.webhook_log[-3:]}")
        await store.signal.wait(remaining)


def _timeout_report(store: Store, chat_id: int, count: int | None, since: int, timeout: float) -> str:
    wanted = f"{count} matching messages" if count is not None else f"a matching message after seq {since}"
    lines = [f"no {wanted} in chat {chat_id} within {timeout}s; sent to this chat:"]
    for r in store.sent:
        if r["chat_id"] == chat_id:
            flags = " (deleted)" if r["deleted"] else " (edited)" if r["edited"] else ""
            lines.append(f"  seq={r['seq']} id={r['message_id']} {r['method']}{flags}: {r['text']!r}")
    if len(lines) == 1:
        lines.append("  (nothing)")
    failures = store.bad_requests[-5:] + store.forbidden[-5:] + store.rate_limited[-5:]
    if failures:
        lines.append("recent failed requests:")
        lines += [f"  {e['method']}: {e['error_code']} {e['description']}" for e in failures]
    return "\n".join(lines)


def stats(store: Store) -> Json:
    return {"sent": len(store.sent), "bad_requests": len(store.bad_requests),
            "rate_limited": len(store.rate_limited), "forbidden": len(store.forbidden),
            "updates_pending": len(store.updates), "updates_delivered": store.updates_delivered,
            "seq": store.seq, "polls": store.polls}
