"""Appraisal (SKP): `/skp`, menu "Kinerja"."""

from db.repositories.appraisal import AppraisalRepo
from handlers.appraisal.flows import router
from handlers.feature import Feature
from services.appraisal import demo, importer

feature = Feature("appraisal", router, repositories={"appraisals": AppraisalRepo}, commands=(("skp", 30),),
                  imports=(importer.KIND,), demo=(demo.seed,))
