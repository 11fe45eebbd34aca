"""Account: `/tautkan` links a Telegram account to an ASN record, shows it, lets go of it (manifest)."""

from __future__ import annotations

from db.repositories.account import LinkingRepo
from handlers.account.callbacks import Linking
from handlers.account.linking import router
from handlers.feature import Feature

feature = Feature("account", router, flows=(Linking,), repositories={"linking": LinkingRepo},
                  commands=(("tautkan", 70),))
