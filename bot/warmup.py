"""Work a first request would otherwise pay for, done once in the background after start-up.

matplotlib builds its font cache (a scan of every font on the system, seconds of CPU; several
on a loaded host) the first time it is imported on a machine, and even with the cache on disk
its import and first text layout take a noticeable part of a second. The first `/statistik`
chart paid all of that while HR waited. A daemon thread does it instead, started once polling
(or the webhook) is up, so neither the event loop nor the first answer waits for it.
"""

from __future__ import annotations

import io
import logging
import threading
import time

log = logging.getLogger(__name__)


def _warm_charts() -> None:
    started = time.perf_counter()
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        # The font manager loads (or builds) the cache on import; drawing one text loads the font itself.
        fig = Figure(figsize=(1, 1), dpi=10)
        fig.text(0.5, 0.5, "SAPA")
        fig.savefig(io.BytesIO(), format="png")
    except Exception:  # a missing font or library shows up in the chart's own error, where it belongs
        log.warning("chart warm-up failed", exc_info=True)
        return
    log.info("charts ready (matplotlib and its font cache loaded in %.1f s)", time.perf_counter() - started)


def start_warmup() -> threading.Thread:
    """Warm matplotlib in a daemon thread (it dies with the process; nothing waits for it)."""
    thread = threading.Thread(target=_warm_charts, name="warmup-charts", daemon=True)
    thread.start()
    return thread
