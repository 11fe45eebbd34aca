"""IKM for staff: `/ikm` (the index per unit and period, a unit's detail, the counter's QR code) (manifest)."""

from __future__ import annotations

from handlers.feature import Feature
from handlers.survey.ikm.callbacks import Report
from handlers.survey.ikm.report import router
from services.roles import STAFF

router.menu_item("ikm.menu", Report(), roles=STAFF, order=78)
router.help("ikm.help", STAFF)
router.restrict(Report, commands=("ikm",), roles=STAFF)  # Report is "ikm": every "ikm:…" too

feature = Feature("ikm", router)
