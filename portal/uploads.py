"""Checks on uploaded files before anything is stored: size, and content (not the name)."""

from __future__ import annotations

import re
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.pdf_actions import check_pdf_actions


def validate_pdf_upload(file, *, max_bytes: int) -> bytes:
    """Return the bytes of ``file`` if it is a real PDF no larger than ``max_bytes``, without
    encryption or active content (see ``check_pdf_content``)."""
    if file is None:
        raise ValidationError(_("Choose a PDF file."))
    if file.size > max_bytes:
        raise ValidationError(
            _("The file must be smaller than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    content = file.read(max_bytes + 1)
    if not content:
        raise ValidationError(_("The file is empty."))
    if len(content) > max_bytes:
        raise ValidationError(
            _("The file must be smaller than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("The file must be a PDF file."))
    check_pdf_content(content)
    return content


# PDF names that make a reader run code, open other programs or carry other files along. The
# long ones are searched in the whole file; the short ones only outside stream data, where
# compressed bytes would match them by chance.
ACTIVE_PDF_NAMES = frozenset(
    {b"JavaScript", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
)
ACTIVE_PDF_SHORT_NAMES = frozenset({b"JS", b"XFA"})
PDF_FILTERS = frozenset(
    {
        b"FlateDecode", b"Fl", b"LZWDecode", b"LZW", b"ASCIIHexDecode", b"AHx",
        b"ASCII85Decode", b"A85", b"RunLengthDecode", b"RL", b"Crypt",
    }
)  # fmt: skip
PDF_NAME_RE = re.compile(rb"/([^\x00\t\n\x0c\r /\[\]<>(){}%]+)")
PDF_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM_RE = re.compile(rb"(?<!end)stream\r?\n")


def _pdf_names(data: bytes) -> set[bytes]:
    """Every name token in ``data``, with ``#xx`` escapes decoded (``/J#61vaScript`` is
    ``/JavaScript`` to a reader)."""
    return {
        PDF_NAME_ESCAPE_RE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        for match in PDF_NAME_RE.finditer(data)
    }


def _pdf_inflate(content: bytes, start: int, end: int, budget: int) -> bytes | None:
    """Inflate the stream data from ``start``: up to ``end`` (its ``endstream``), on to later
    ones when that word occurs in the compressed bytes. None for a broken stream or one that
    inflates beyond ``budget`` bytes."""
    view = memoryview(content)
    inflater = zlib.decompressobj()
    data = b""
    while True:
        try:
            data += inflater.decompress(view[start:end], budget + 1 - len(data))
        except zlib.error:
            return None
        if len(data) > budget:
            return None
        if inflater.eof or end >= len(content):
            return data
        start, end = end, content.find(b"endstream", end + 1)
        end = len(content) if end < 0 else end


def _pdf_scan(content: bytes, *, budget: int) -> tuple[bytes, list[bytes]] | None:
    """The PDF without its stream data, and its decompressed object streams (where a PDF 1.5+
    writer may put its dictionaries, out of sight of a plain byte search). None when an
    object stream cannot be read with FlateDecode alone or they inflate beyond ``budget``
    bytes."""
    outside: list[bytes] = []
    streams: list[bytes] = []
    position = 0
    for match in PDF_STREAM_RE.finditer(content):
        start = match.start()
        if start < position:
            continue  # inside the previous stream's data
        header_start = content.rfind(b"obj", max(position, start - 4096), start)
        header = content[max(header_start, position) : start]
        end = content.find(b"endstream", match.end())
        end = len(content) if end < 0 else end
        outside.append(content[position : match.end()])
        position = end
        names = _pdf_names(header)
        if b"ObjStm" not in names:
            continue
        filters = names & PDF_FILTERS
        if filters - {b"FlateDecode", b"Fl"} or names & {b"DecodeParms", b"DP"}:
            return None
        data = (
            _pdf_inflate(content, match.end(), end, budget)
            if filters
            else content[match.end() : end]
        )
        if data is None:
            return None
        budget -= len(data)
        if budget < 0:
            return None
        streams.append(data)
    outside.append(content[position:])
    return b"".join(outside), streams


def check_pdf_content(content: bytes) -> None:
    """Refuse a PDF that is encrypted (its content cannot be checked) or that holds active
    content: JavaScript, launch actions, embedded files, rich media or XFA forms, also when
    hidden in a compressed object stream or behind escaped names; then any action other than
    navigation within the document (portal.pdf_actions)."""
    names = _pdf_names(content)
    if b"Encrypt" in names:
        raise ValidationError(
            _("The PDF is protected with a password or encrypted. Upload a PDF without protection.")
        )
    scan = _pdf_scan(content, budget=10 * len(content) + 1024 * 1024)
    active = scan is None or bool(names & ACTIVE_PDF_NAMES)
    if scan is not None:
        outside, streams = scan
        active = active or bool(_pdf_names(outside) & ACTIVE_PDF_SHORT_NAMES)
        for data in streams:
            active = active or bool(_pdf_names(data) & (ACTIVE_PDF_NAMES | ACTIVE_PDF_SHORT_NAMES))
        # The object streams inflate within the budget: read the file as a reader does and
        # name any action that is not navigation within the document.
        check_pdf_actions(content)
    if active:
        raise ValidationError(
            _(
                "The PDF contains JavaScript, attached files or other active content. Save it "
                "as a plain PDF (for example with “Print to PDF”) and upload it again."
            )
        )
