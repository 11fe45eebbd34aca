"""Notices that could not reach a person get one more chance when that person next writes.

Telegram refuses a bot's message (403) to someone who blocked it or never opened it — a staff
member granted a role before their first message is the usual case. The outbox marks the
row 'unreachable' and the person unreachable. When they write again, what is still worth
saying is queued again, once:

- the notice is at most REQUEUE_DAYS old (older news has been overtaken: the desk and
  /aduanku show the current state);
- a notice about a report is relevant while that report is still open (not closed, rejected
  or merged); the rating request while the report is unrated;
- never twice: a re-queued row is marked, and a second 403 ends it for good;
- at most REQUEUE_MAX rows, newest first, so a long absence does not become a flood.

Only people flagged unreachable pay for this (users.identify calls it when the flag clears).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.uow import UnitOfWork
from services.notice import MissedCheck, Notice, UnfitParams, notice_types

REQUEUE_DAYS = 7
REQUEUE_MAX = 20


async def requeue_missed(uow: UnitOfWork, user_id: int, *, now: datetime) -> int:
    """Put the person's still-relevant missed notices back in the queue; returns how many.

    Each notice type says whether a missed one is worth sending again (`Notice.missed`); a type's
    check is asked once for all of its rows."""
    missed = await uow.outbox.missed(user_id, since=now - timedelta(days=REQUEUE_DAYS), limit=REQUEUE_MAX)
    if not missed:
        return 0
    types = notice_types()
    again: list[int] = []
    checked: dict[MissedCheck, list[tuple[int, Notice]]] = {}
    for row_id, template, params in missed:
        kind = types.get(template)
        if kind is None:  # a template no code declares any more: the age alone decides
            again.append(row_id)
            continue
        policy = kind.missed
        if callable(policy):
            try:
                checked.setdefault(policy, []).append((row_id, kind.from_params(params)))
            except UnfitParams:
                continue  # a row its own type cannot read is not worth a second try
        elif policy:
            again.append(row_id)
    for check, rows in checked.items():
        verdicts = await check(uow, [n for _, n in rows])
        again += [row_id for (row_id, _), keep in zip(rows, verdicts, strict=True) if keep]
    return await uow.outbox.requeue(again, now)
