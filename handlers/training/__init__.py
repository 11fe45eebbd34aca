"""Training: `/pelatihan` and `/pelatihanku` (manifest)."""

from __future__ import annotations

from db.repositories.training import TrainingRepo
from handlers.feature import Feature
from handlers.training.callbacks import Search
from handlers.training.flows import router
from handlers.training.views import seat_offered

feature = Feature("training", router, flows=(Search,), notices=(seat_offered,),
                  repositories={"trainings": TrainingRepo}, commands=(("pelatihan", 40), ("pelatihanku", 41)))
