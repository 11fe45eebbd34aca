"""Appraisal (SKP): `/skp`, menu "Kinerja"."""

from db.repositories.appraisal import AppraisalRepo
from db.repositories.appraisal_reminders import AppraisalReminderRepo
from handlers.appraisal import reminder_views
from handlers.appraisal.flows import router
from handlers.feature import Feature
from services.appraisal import demo, importer, reminders

feature = Feature("appraisal", router, repositories={"appraisals": AppraisalRepo,
                                                     "appraisal_reminders": AppraisalReminderRepo},
                  commands=(("skp", 30),), notices=reminder_views.RENDERERS, jobs=(reminders.JOB,),
                  reminders=(reminders.KIND,), imports=(importer.KIND,), demo=(demo.seed,))
