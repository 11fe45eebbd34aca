"""SKP (performance appraisal): the import from BKPSDM's spreadsheet and each person's own view."""

from services.appraisal.rules import STAGES, Stage
from services.appraisal.status import NotLinked, Overview, PeriodView, overview, period

__all__ = ["STAGES", "NotLinked", "Overview", "PeriodView", "Stage", "overview", "period"]
