"""Training: `/pelatihan` and `/pelatihanku`; HR's `/kelolapelatihan` (manifest)."""

from __future__ import annotations

from db.repositories.training import TrainingRepo
from db.repositories.training_admin import TrainingAdminRepo
from db.repositories.training_reminders import TrainingReminderRepo
from handlers.feature import Feature
from handlers.training import admin, reminder_views
from handlers.training.callbacks import Search
from handlers.training.flows import router
from handlers.training.views import attendance_withdrawn, seat_offered, training_called_off
from services.staff.audit import AuditFamily
from services.training import demo, importer, jp, stats
from services.training import reminders as training_reminders

router.include(admin.router, owner="training.admin")

# HR's reason for undoing an attendance is the button pressed: its words are the button's.
AUDIT = AuditFamily("training", "tra.audit.family", order=70, targets={"training": "tra.audit.target"},
                    messages={("training.unattended", "reason_code"): ("tra.reason.{}", "tra.audit.other_reason")})
feature = Feature("training", router, flows=(Search, *admin.FLOWS), notices=(seat_offered, attendance_withdrawn, training_called_off,
                                                                          *admin.NOTICES, *reminder_views.RENDERERS),
                  jobs=(training_reminders.JOB, jp.JOB),
                  reminders=(training_reminders.KIND, jp.KIND), topics=(training_reminders.TOPIC,),
                  repositories={"trainings": TrainingRepo, "training_admin": TrainingAdminRepo,
                                "training_reminders": TrainingReminderRepo},
                  commands=(("pelatihan", 40), ("pelatihanku", 41)),  # staff commands are not published
                  imports=(importer.KIND,), demo=(demo.seed,), stats=(stats.SECTION,), audit=(AUDIT,))
