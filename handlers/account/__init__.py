"""Account: `/tautkan` links a Telegram account to an ASN record, shows it, lets go of it;
HR's `/kelolaakun` issues and revokes activation codes and releases records (manifest)."""

from __future__ import annotations

from db.repositories.account import LinkingRepo
from handlers.account import admin
from handlers.account.callbacks import Linking
from handlers.account.linking import router
from handlers.feature import Feature
from services.account import employees
from services.staff.audit import AuditFamily

router.include(admin.router, owner="account.admin")

# A refused code records why as the message's stem (link.code_expired): what the person was told.
AUDIT = AuditFamily("employee", "akn.audit.family", order=50,
                    messages={("employee.code_refused", "reason"): ("link.code_{}", "akn.audit.code_refused")})
feature = Feature("account", router, flows=(Linking, admin.AccountAdmin), repositories={"linking": LinkingRepo},
                  commands=(("tautkan", 70),), imports=(employees.KIND,), audit=(AUDIT,))
