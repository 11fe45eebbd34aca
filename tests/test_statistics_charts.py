"""The /statistik charts are read on a phone, where the 1080 px image shows about 320 px wide:
no two texts of a chart overlap (the response chart's "0" and its first date did), every text is
at least 26 pt (11 px there), and a chart of fifteen agencies with long names stays one readable
column, its title clear of its subtitle."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from services.statistics import charts
from services.statistics.charts import Chart, Series

AGENCIES = ["Dinas Kesehatan", "Dinas Pekerjaan Umum dan Penataan Ruang", "BKPSDM", "Dinas Pendidikan dan Kebudayaan",
            "Dinas Kependudukan dan Pencatatan Sipil", "Badan Pengelolaan Keuangan dan Aset Daerah Kota Banjarbaru",
            "Diskominfo", "Dinas Perhubungan", "Satpol PP", "Dinas Sosial", "Bappeda", "Inspektorat",
            "Dinas Lingkungan Hidup", "Kecamatan Landasan Ulin", "Kecamatan Banjarbaru Utara"]
SUBTITLE = "1 Nov 2026 – 31 Des 2026 · semua OPD"


def _response(values: tuple[float | None, ...]) -> Chart:
    dates = ("30 Nov", "7 Des", "14 Des", "21 Des", "28 Des", "4 Jan", "11 Jan", "18 Jan", "25 Jan")[:len(values)]
    return Chart("response", "line", "Respons pertama per minggu", SUBTITLE, "hari kerja", dates,
                 (Series("Median", values, "#1e88e5"), Series("P90", values, "#fb8c00")),
                 guides=((3.0, "Batas 3 hari kerja"),))


def _jp(n: int) -> Chart:
    return Chart("jp", "hbar", "ASN mencapai target JP 2026", SUBTITLE, "% ASN",
                 tuple(charts.short(a) for a in AGENCIES[:n]),
                 (Series("JP", tuple(float(i * 7 % 101) for i in range(n)), "#1e88e5",
                         texts=tuple(f"{i * 7 % 101}% ({i}/{i + 3})" for i in range(n))),), limits=(0.0, 100.0))


def _reports(n: int) -> Chart:
    return Chart("reports", "stacked", "Laporan per OPD", SUBTITLE, "laporan", tuple(charts.short(a) for a in AGENCIES[:n]),
                 tuple(Series(g, tuple(float(i % 3) for i in range(n)), c, texts=tuple(str(i) for i in range(n))
                              if g == "ditolak" else ())
                       for g, c in (("baru", "#999"), ("diproses", "#1e88e5"), ("ditolak", "#e53935"))))


CHARTS = {"response-zeros": _response((0.0, 0.0, 0.5, None, 0.0, 0.0)), "response-9": _response((0.0, 1.5, 4.0) * 3),
          "jp-4": _jp(4), "jp-15": _jp(15), "reports-15": _reports(15)}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_texts_are_large_and_never_overlap(name: str) -> None:
    fig = charts.figure(CHARTS[name])
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert min(t.get_fontsize() for t in texts) >= 26, name
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    width = fig.get_size_inches()[0] * fig.dpi
    for text, box in boxes:
        assert box.x0 >= -1 and box.x1 <= width + 1, (name, text)  # nothing cut off at the sides
    overlapping = [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2)
                   if ba.x0 < bb.x1 - 1 and bb.x0 < ba.x1 - 1 and ba.y0 < bb.y1 - 1 and bb.y0 < ba.y1 - 1]
    assert overlapping == [], name
    if name.startswith("response"):  # whole days on the axis, never "0.0"
        ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        assert all("." not in t and "," not in t for t in ticks), ticks
