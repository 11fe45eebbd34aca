"""Citizens on WhatsApp, through the Cloud API: an own small aiohttp client (docs/decisions/
whatsapp-client.md), a renderer that packs a Reply's choices by WhatsApp's rules, the webhook
intake (`/wa/hook`), and the templates that reach a citizen outside the 24-hour window."""

CHANNEL = "whatsapp"
