"""What a file is, by its first bytes: the name and the MIME type a client reports are only claims.

A renamed `.exe` called `ijazah.pdf` says "PDF" in both; its content starts with `MZ`. Only the
formats SAPA accepts from people are known here (PDF, JPEG, PNG); anything else is None.
"""

from __future__ import annotations

PDF, JPEG, PNG = "pdf", "jpeg", "png"
# The magic numbers at offset 0: PDF's header line (readers tolerate junk before it; every scanner and
# word processor writes it first, so we do not), JPEG's SOI marker and the next marker's FF, the PNG
# signature (its CR LF / LF bytes also catch a file mangled by a text-mode transfer).
_SIGNATURES: tuple[tuple[bytes, str], ...] = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
MIME = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
FAMILY = {PDF: "pdf", JPEG: "image", PNG: "image"}  # what a checklist accepts: "pdf" or "image"
HEAD = max(len(sig) for sig, _ in _SIGNATURES)  # bytes `sniff` needs


def sniff(content: bytes) -> str | None:
    """PDF, JPEG or PNG from the file's first bytes; None for anything else (or nothing)."""
    head = content[:HEAD]
    return next((fmt for sig, fmt in _SIGNATURES if head.startswith(sig)), None)
