"""``python -m bot.sandbox.emulator``: serve the emulator standalone."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bot.sandbox.emulator.app import run_emulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Loopback Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--rate-limit", type=float, default=30.0, help="sends per second; 0 = unlimited")
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--token-check", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run_emulator(args.host, args.port, rate_limit=args.rate_limit,
                                 retry_after=args.retry_after, token_check=args.token_check))
    except KeyboardInterrupt:
        pass


main()
