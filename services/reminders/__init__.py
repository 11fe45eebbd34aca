"""Scheduled reminders: jobs that find what is due and queue it once, and `/pengingat` preferences."""
