"""nginx in front of webhook workers, for the scale-out test and bench (and as the README's example).

`start_balancer` writes the config from deploy/nginx.conf.template and runs Debian's nginx in
the foreground; where nginx is not installed it returns None and the caller falls back to
SO_REUSEPORT (and says which ran).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.template"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.path.exists(p)), None)


def render_config(listen: str, upstreams: list[str], prefix: Path) -> str:
    servers = "\n".join(f"        server {u} max_fails=1 fail_timeout=2s;" for u in upstreams)
    conf = TEMPLATE.read_text().format(listen=listen, servers=servers, prefix=prefix)
    if os.geteuid() == 0:  # root's worker would switch to nobody, who cannot write our temp dirs
        conf = "user root;\n" + conf
    return conf


def _write_config(prefix: Path, text: str) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(text)
    return conf


@contextlib.asynccontextmanager
async def start_balancer(listen: str, upstreams: list[str], prefix: Path) -> AsyncIterator[bool]:
    """Yields True with nginx running, False where nginx is missing (nothing started)."""
    binary = nginx_binary()
    if binary is None:
        yield False
        return
    conf = await asyncio.to_thread(_write_config, prefix, render_config(listen, upstreams, prefix))
    proc = await asyncio.create_subprocess_exec(binary, "-p", str(prefix), "-c", str(conf), "-e",
                                                str(prefix / "error.log"), "-g", "daemon off;",
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        host, _, port = listen.rpartition(":")
        for _ in range(100):
            if proc.returncode is not None:
                err = (await proc.stderr.read()).decode() if proc.stderr else ""
                raise RuntimeError(f"nginx did not start: {err}")
            with contextlib.suppress(OSError):
                _, w = await asyncio.open_connection(host, int(port))
                w.close()
                break
            await asyncio.sleep(0.05)
        yield True
    finally:
        if proc.returncode is None:
            proc.terminate()
            await proc.wait()
