"""The citizen's IKM survey: `/survei [UNIT]`, a counter's QR code, nine questions and a comment (manifest)."""

from __future__ import annotations

from db.repositories.survey import SurveyRepo
from handlers.feature import Feature
from handlers.router import Router
from handlers.survey import answering, start
from handlers.survey.callbacks import SurveyMenu
from handlers.survey.steps import Survey
from services.staff.audit import AuditFamily
from services.survey import stats, units

router = Router("survey")
for part in (start, answering):
    router.include(part.router, owner=f"survey.{part.__name__.rsplit('.', 1)[-1]}")
router.menu_item("survey.menu", SurveyMenu(), order=30)
router.help("survey.help")

feature = Feature("survey", router, flows=(Survey,), commands=(("survei", 60),), repositories={"survey": SurveyRepo},
                  demo=(units.seed_demo,), stats=(stats.SECTION,),
                  audit=(AuditFamily("survey", targets={"unit": "svu.audit.target"}),))
