"""The agencies' desk: the queue, a report's card, and what staff do with a report (claim, ask the
reporter, change its status with a note, answer after a preview, forward, route, merge)."""

from __future__ import annotations

from handlers.complaints.callbacks import DeskButtons, Queue
from handlers.complaints.desk import actions, answer, claim, merge, queue, route
from handlers.complaints.desk.common import STAFF_DESK, Acting, Merging
from handlers.router import Router

router = Router()
for part in (queue, actions, answer, merge, route, claim):
    router.include(part.router, owner=part.__name__)

FLOWS = (Acting, Merging)

router.menu_item("cx.menu.desk", Queue(1), roles=STAFF_DESK, order=12)
router.help("cx.help.desk", STAFF_DESK)
router.restrict(DeskButtons, commands=("laporanmasuk", "inbox", "desk"), roles=STAFF_DESK)  # forged desk buttons: refused, audited
