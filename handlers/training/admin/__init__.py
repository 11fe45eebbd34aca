"""HR's side of trainings: `/kelolapelatihan`, the form, attendance, the export (prefix "tra")."""

from __future__ import annotations

from handlers.router import Router
from handlers.training.admin import attendance, console, form
from handlers.training.admin.callbacks import TrainingForm, Unmarking
from handlers.training.admin.views import training_changed

router = Router("training.admin")
for _part in (console, attendance, form):
    router.include(_part.router, owner=f"training.admin.{_part.__name__.rsplit('.', 1)[-1]}")

FLOWS = (TrainingForm, Unmarking)
NOTICES = (training_changed,)
__all__ = ["FLOWS", "NOTICES", "router"]
