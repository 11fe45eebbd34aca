"""Account: `/tautkan` links a Telegram account to an ASN record (manifest)."""

from __future__ import annotations

from handlers.account.callbacks import Linking
from handlers.account.linking import router
from handlers.feature import Feature

feature = Feature("account", router, flows=(Linking,), commands=(("tautkan", 70),))
