"""HR's side of trainings: `/kelolapelatihan`, the form, attendance, calling off, the export (prefix "tra")."""

from __future__ import annotations

from handlers.router import Router
from handlers.training.admin import attendance, calling_off, console, form
from handlers.training.admin.callbacks import CallingOff, TrainingForm, Unmarking
from handlers.training.admin.views import training_changed

router = Router("training.admin")
for _part in (console, attendance, calling_off, form):
    router.include(_part.router, owner=f"training.admin.{_part.__name__.rsplit('.', 1)[-1]}")

FLOWS = (TrainingForm, Unmarking, CallingOff)
NOTICES = (training_changed,)
__all__ = ["FLOWS", "NOTICES", "router"]
