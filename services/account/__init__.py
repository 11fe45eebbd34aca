"""Civil servants' accounts: linking a Telegram account to an employee record (NIP + phone or HR's
activation code, with a lockout), the profile, unlinking and HR's release, the employee import."""
