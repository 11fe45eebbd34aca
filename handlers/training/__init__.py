"""Training: `/pelatihan` and `/pelatihanku`; HR's `/kelolapelatihan` (manifest)."""

from __future__ import annotations

from db.repositories.training import TrainingRepo
from db.repositories.training_admin import TrainingAdminRepo
from handlers.feature import Feature
from handlers.training import admin
from handlers.training.callbacks import Search
from handlers.training.flows import router
from handlers.training.views import attendance_withdrawn, seat_offered, training_called_off
from services.admin.audit import AuditFamily
from services.training import stats

router.include(admin.router, owner="training.admin")

# HR's reason for undoing an attendance is the button pressed: its words are the button's.
AUDIT = AuditFamily("training", "sf.fam.training", order=70, targets={"training": "sf.tg.training"},
                    messages={("training.unattended", "reason_code"): ("tra.reason.{}", "sf.why.other")})
feature = Feature("training", router, flows=(Search, *admin.FLOWS), notices=(seat_offered, attendance_withdrawn, training_called_off,
                                                                          *admin.NOTICES),
                  repositories={"trainings": TrainingRepo, "training_admin": TrainingAdminRepo},
                  commands=(("pelatihan", 40), ("pelatihanku", 41)), stats=(stats.SECTION,), audit=(AUDIT,))  # staff commands are not published
