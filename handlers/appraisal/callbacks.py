"""The buttons of /skp."""

from __future__ import annotations

from handlers.callbacks import Callback


class SkpHome(Callback, prefix="skp"):
    """The overview (menu "Kinerja")."""


class SkpPeriod(Callback, prefix="skp:p"):
    appraisal_id: int  # a hint only: the service checks it is the presser's own
