"""Channel adapters beside the Telegram engines: each turns its network's messages into `Incoming`
and renders `Reply`s by its own rules (bot/engines holds the Telegram ones)."""
