"""Civil servants: linking a Telegram account to an employee record (NIP + phone), the employee import."""
