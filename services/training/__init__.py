"""Trainings (pelatihan): catalogue and search, eligibility, sign-up with a waiting list,
attendance that credits JP, and the spreadsheet import. Every function takes a unit of work
and plain values and checks who may act; handlers/training turns results into words."""
