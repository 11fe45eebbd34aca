"""Spreadsheet imports: one pipeline (read → check every row → plan → apply) for every kind."""
