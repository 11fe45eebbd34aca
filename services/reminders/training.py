"""Moved to services/training/reminders.py. This alias stays only until services/training/importer.py
and bench/reminders.py (edited on another branch at the same time) import from there; delete it then."""

from services.training.reminders import SHOWN, follow_training, training_reminders

__all__ = ["SHOWN", "follow_training", "training_reminders"]
