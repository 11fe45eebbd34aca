"""The floors SAPA is compared with: aiogram echo bots polling a Bot API URL, no database.

    python bench/echo_bot.py API_URL [CONCURRENCY] [text|keyboard]

`text` echoes the message; `keyboard` answers the way SAPA's menu does (≈400 characters of
HTML and six inline buttons), so the difference to SAPA is what SAPA itself costs.
"""

from __future__ import annotations

import asyncio
import sys

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

MENU_TEXT = (
    "<b>Selamat datang di SAPA</b> — Sistem Aspirasi dan Pelayanan ASN Pemerintah Kota Banjarbaru.\n\n"
    "Sampaikan pengaduan, aspirasi atau permintaan informasi, lalu pantau tindak lanjutnya dengan "
    "nomor laporan. ASN dapat menautkan akun untuk melihat status SKP, pelatihan dan seleksi terbuka.\n\n"
    "<i>Pilih salah satu menu di bawah ini, atau ketik /bantuan untuk melihat semua perintah.</i>"
)
MENU = InlineKeyboardMarkup(inline_keyboard=[
    [InlineKeyboardButton(text="📝 Lapor", callback_data="cx:new"),
     InlineKeyboardButton(text="🔎 Lacak laporan", callback_data="cx:track")],
    [InlineKeyboardButton(text="👤 Akun ASN", callback_data="acc:link"),
     InlineKeyboardButton(text="📚 Pelatihan", callback_data="tr:list")],
    [InlineKeyboardButton(text="⭐ Survei IKM", callback_data="ikm:start"),
     InlineKeyboardButton(text="🌐 Bahasa", callback_data="lang")],
])


async def main(api_url: str, concurrency: int, mode: str) -> None:
    bot = Bot("123456:ECHO", session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)),
              default=DefaultBotProperties(parse_mode="HTML"))
    dp = Dispatcher()

    if mode == "keyboard":
        @dp.message()
        async def menu(message: Message) -> None:
            await message.answer(MENU_TEXT, reply_markup=MENU)
    else:
        @dp.message()
        async def echo(message: Message) -> None:
            await message.answer(message.text or "?", parse_mode=None)

    await dp.start_polling(bot, handle_signals=True, tasks_concurrency_limit=concurrency)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 16,
                     sys.argv[3] if len(sys.argv) > 3 else "text"))
