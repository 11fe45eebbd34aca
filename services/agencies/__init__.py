"""Agencies (OPD): their fields, the spreadsheet import, HR managing them in the chat."""
