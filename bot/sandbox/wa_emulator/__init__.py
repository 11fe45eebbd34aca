"""A loopback WhatsApp Cloud API emulator (app.py), the checks it makes (checks.py) and simulated
citizens who write to the bot through it (people.py)."""

from bot.sandbox.wa_emulator.app import Sent, WaEmulator
from bot.sandbox.wa_emulator.checks import WaError
from bot.sandbox.wa_emulator.people import ChoiceNotFound, Citizens

__all__ = ["ChoiceNotFound", "Citizens", "Sent", "WaEmulator", "WaError"]
