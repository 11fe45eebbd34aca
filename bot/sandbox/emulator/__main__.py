"""``python -m bot.sandbox.emulator``: serve the emulator standalone."""

from bot.sandbox.emulator.core import main

main()
