"""Complaints, aspirations and information requests: filing, tracking, the staff desk, erasure."""
