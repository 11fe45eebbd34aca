"""Administration: granting staff roles, the /stats overview."""
