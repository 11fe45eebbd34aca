"""Polling mode: getUpdates, its offset confirming updates, one long poll at a time."""

from __future__ import annotations

import asyncio
import copy
import itertools
import time

from bot.sandbox.emulator.protocol import ApiError, Ctx, Handler, Json, Params, client_gone, int_param
from bot.sandbox.emulator.state import Store
from bot.sandbox.emulator.webhook import WebhookPush


class Polling:
    """getUpdates against the store's queue; refused while a webhook is set."""

    def __init__(self, store: Store, webhook: WebhookPush) -> None:
        self.store = store
        self._webhook = webhook
        self._generation = 0
        self.offsets: list[int | None] = []  # the offset of every getUpdates call, in order

    def methods(self) -> dict[str, Handler]:
        return {"getUpdates": self._api_get_updates}

    def confirm(self, offset: int | None) -> None:
        """getUpdates' offset forgets every earlier update (negative: keep the last -offset)."""
        if not offset:
            return
        if offset < 0:
            while len(self.store.updates) > -offset:
                self.store.updates.popleft()
            return
        while self.store.updates and self.store.updates[0]["update_id"] < offset:
            self.store.updates.popleft()

    async def _api_get_updates(self, ctx: Ctx, params: Params) -> list[Json]:
        if self._webhook.hook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        self.offsets.append(int_param(params, "offset"))
        self.store.polls += 1
        self.confirm(self.offsets[-1])
        limit = min(100, max(1, int_param(params, "limit") or 100))
        try:
            timeout = max(0.0, float(params.get("timeout") or 0))
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: invalid timeout specified") from None
        # A newer getUpdates terminates an older one still waiting, as on Telegram.
        self._generation += 1
        generation = self._generation
        self.store.signal.fire()
        deadline = time.monotonic() + timeout
        while not self.store.updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.store.closing or self._webhook.hook is not None:
                return []
            await self.store.signal.wait(remaining)
            if generation != self._generation:
                # A client that cancelled its poll may still be closing; let that land first.
                await asyncio.sleep(0.05)
                if client_gone(ctx.request):
                    return []  # nobody is listening: the bot simply restarted polling
                raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                    "make sure that only one bot instance is running")
        if client_gone(ctx.request):
            return []
        batch = list(itertools.islice(self.store.updates, limit))
        for update in batch:
            if update["update_id"] > self.store.handed_out:
                self.store.handed_out = update["update_id"]
                self.store.updates_delivered += 1
        return copy.deepcopy(batch)
