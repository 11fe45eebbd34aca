"""`sapa sandbox` serves a WhatsApp citizen too: the Cloud API emulator beside the Bot API one, the
page's `/sandbox/wa/*` controls, the 24-hour window's clock control."""

from __future__ import annotations

import base64
from pathlib import Path

import aiohttp
import pytest

from bot.sandbox.run import WA_PERSONA, free_local_port
from tests.e2e import sapa_process
from tests.test_sandbox_browser import wait_for_first_poll

pytestmark = [pytest.mark.e2e]
WA_ID = WA_PERSONA["wa_id"]
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200 + b"\xff\xd9"


async def test_the_sandbox_has_a_whatsapp_citizen(tmp_path: Path) -> None:
    port = free_local_port()
    env = {"SAPA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}",
           "SAPA_SANDBOX_LISTEN": f"127.0.0.1:{port}"}
    base = f"http://127.0.0.1:{port}"
    async with sapa_process(["sandbox"], env, tmp_path / "sandbox.log") as proc:
        assert await wait_for_first_poll(port, proc), (tmp_path / "sandbox.log").read_text()
        async with aiohttp.ClientSession() as http:
            async def act(path: str, **body: object) -> dict:
                async with http.post(base + path, json={"wa_id": WA_ID, **body}) as res:
                    assert res.status == 200, await res.text()
                    return await res.json()

            async def transcript() -> list[dict]:
                async with http.get(f"{base}/sandbox/wa/transcript", params={"wa_id": WA_ID, "after": 0}) as res:
                    return (await res.json())["items"]

            async with http.get(base + "/sandbox/personas") as res:
                assert any(p.get("channel") == "whatsapp" for p in await res.json())
            for _ in range(200):  # SAPA's /wa/hook starts listening right after its first poll
                if (await act("/sandbox/wa/say", text="bantuan", name="Wati"))["status"] == 200:
                    break
            assert (await act("/sandbox/wa/say", text="lapor"))["status"] == 200
            items = await transcript()
            kinds = next(i for i in reversed(items) if i["from"] == "bot" and i["kind"] == "interactive")
            action = kinds["message"]["interactive"]["action"]  # four choices: a list
            [pengaduan] = [r for s in action["sections"] for r in s["rows"] if "Pengaduan" in r["title"]]
            await act("/sandbox/wa/reply", id=pengaduan["id"], title=pengaduan["title"], list=True)
            await act("/sandbox/wa/say", text="Lampu jalan mati di Jalan Mawar sejak seminggu, gelap sekali")
            await act("/sandbox/wa/upload", content_base64=base64.b64encode(JPEG).decode(), mime_type="image/jpeg")
            await act("/sandbox/wa/location", latitude=-3.44, longitude=114.83)
            await act("/sandbox/wa/close-window")
            items = await transcript()
            assert [i["kind"] for i in items if i["from"] == "me"][-2:] == ["image", "location"]
            photo = next(i for i in items if i["from"] == "me" and i["kind"] == "image")
            async with http.get(f"{base}/sandbox/wa/media", params={"id": photo["part"]["id"]}) as res:
                assert await res.read() == JPEG
            async with http.get(base + "/") as res:
                page = await res.text()
            assert "waSheet" in page and "/sandbox/wa/transcript" in page
    log = (tmp_path / "sandbox.log").read_text()
    assert "Traceback" not in log, log
