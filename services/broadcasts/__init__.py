"""HR's broadcasts (/umumkan): compose, choose an audience, see the count, confirm, follow, cancel.

- `compose`: the typed text in a safe subset (WhatsApp-style *bold*, _italic_, [label](https://…))
  becomes escaped Telegram HTML once; preview and recipients render the same stored HTML.
- `audience`: all civil servants, agencies, a golongan range, jabatan kinds, PNS/PPPK, a topic's
  subscribers, or citizens who opted in — resolved by one set-based query in the repository.
- `manage`: every action checks the role here (HR; a superadmin passes) and is audited.
  Confirming writes one outbox row per recipient (dedupe key per broadcast and recipient) in
  batches; quiet hours or a chosen time only move the rows' `not_before`.
- `followup`: a held broadcast sent now (urgent) or moved; a stopped or finished one as a new draft.
- `progress`: what the bot layer's progress task shows and when a broadcast is over;
  `delivery_summary` (rates for a period) for the statistics screen.
"""
