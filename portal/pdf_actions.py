"""The actions in an uploaded PDF, read as a PDF reader reads them (pikepdf, on qpdf: object
streams, cross-reference streams, escaped names and repaired files included).

A PDF may do things when it is opened or clicked: open a web address (and with it leak the
reader's address or a Windows login to another server), start a program, send form data, load
another file, play media, run JavaScript. The project team opens what suppliers upload, so only
navigation within the document itself passes: a ``GoTo`` action or a destination, and the
``Named`` page-turning commands. Every other action type is refused, wherever it sits (the
document's open action, additional actions of the document, pages, fields and annotations,
links, bookmarks, chained ``Next`` actions).

The work is bounded before and while reading: the file's size is checked by the caller, the
page and object counts here, and the walk over the objects visits a limited number of values.
"""

from __future__ import annotations

from io import BytesIO

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PAGES = 2000
MAX_OBJECTS = 250_000
MAX_VALUES = 2_000_000

# Every action type of ISO 32000-2 (12.6.4); a dictionary whose /S is one of these is an action.
ACTION_TYPES = frozenset(
    {
        "GoTo", "GoToR", "GoToE", "GoToDp", "Launch", "Thread", "URI", "Sound", "Movie", "Hide",
        "Named", "SubmitForm", "ResetForm", "ImportData", "SetOCGState", "Rendition", "Trans",
        "GoTo3DView", "JavaScript", "ECMAScript", "RichMediaExecute",
    }
)  # fmt: skip
PAGE_TURNING = frozenset({"NextPage", "PrevPage", "FirstPage", "LastPage"})
# Annotations that play media or carry a file, whatever their actions.
MEDIA_ANNOTATIONS = frozenset({"Movie", "Sound", "Screen", "RichMedia", "FileAttachment", "3D"})
SCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})


def _label(action: str) -> str:
    labels = {
        "URI": _("a link to a website"),
        "Launch": _("an action that starts a program or opens a file"),
        "SubmitForm": _("a form that sends data elsewhere"),
        "ImportData": _("an action that loads data from another file"),
        "GoToR": _("a link to another file"),
        "GoToE": _("a link to an embedded file"),
        "JavaScript": _("JavaScript"),
        "ECMAScript": _("JavaScript"),
        "ResetForm": _("an action that clears a form"),
        "Hide": _("an action that hides parts of the document"),
        "Named": _("a command for the PDF reader"),
        "attachment": _("an attached file"),
    }
    media = _("sound, video or other media")
    for kind in ("Sound", "Movie", "Rendition", "RichMediaExecute", "media"):
        labels[kind] = media
    return labels.get(action) or _("an action of the type %(type)s") % {"type": action}


def _refuse(action: str) -> ValidationError:
    return ValidationError(
        _(
            "The PDF contains %(action)s. Only links within the document itself are allowed. "
            "Remove it, or save the file as a plain PDF (for example with “Print to PDF”), "
            "and upload it again."
        )
        % {"action": _label(action)},
        code="pdf_action",
    )


def _name(value) -> str | None:
    return str(value)[1:] if isinstance(value, pikepdf.Name) else None


def _check_dictionary(dictionary) -> None:
    keys = set(dictionary.keys())
    if keys & SCRIPT_KEYS:
        raise _refuse("JavaScript")
    action = _name(dictionary.get("/S")) if "/S" in keys else None
    if action in ACTION_TYPES or (
        action is not None and _name(dictionary.get("/Type")) == "Action"
    ):
        if action == "Named" and _name(dictionary.get("/N")) in PAGE_TURNING:
            return
        if action != "GoTo":
            raise _refuse(action)
    subtype = _name(dictionary.get("/Subtype"))
    if subtype in MEDIA_ANNOTATIONS and "/Rect" in keys:
        raise _refuse("attachment" if subtype == "FileAttachment" else "media")


def _walk(root, budget: list[int]) -> None:
    """Check ``root`` and the direct values inside it (indirect ones are objects of their
    own, checked in their turn)."""
    stack = [root]
    while stack:
        value = stack.pop()
        budget[0] -= 1
        if budget[0] < 0:
            raise _too_large()
        if isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
            _check_dictionary(value)
            children = value.values()
        elif isinstance(value, pikepdf.Array):
            children = list(value)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream)
            and not child.is_indirect
        )


def _too_large() -> ValidationError:
    return ValidationError(
        _(
            "The PDF is too large to check: at most %(pages)s pages. Split it into smaller "
            "files, or save it as a plain PDF, and upload it again."
        )
        % {"pages": MAX_PAGES},
        code="pdf_too_large",
    )


def check_pdf_actions(content: bytes) -> None:
    """Refuse a PDF with any action other than navigation within the document, or one that
    cannot be read as a PDF."""
    try:
        with pikepdf.open(BytesIO(content)) as pdf:
            if len(pdf.pages) > MAX_PAGES or int(pdf.trailer.get("/Size", 0)) > MAX_OBJECTS:
                raise _too_large()
            objects = pdf.objects
            if len(objects) > MAX_OBJECTS:
                raise _too_large()
            budget = [MAX_VALUES]
            _walk(pdf.trailer, budget)
            for item in objects:
                _walk(item, budget)
    except pikepdf.PasswordError as exc:
        raise ValidationError(
            _("The PDF is protected with a password or encrypted. Upload a PDF without protection.")
        ) from exc
    except (pikepdf.PdfError, ValueError, RecursionError) as exc:
        raise ValidationError(_("The file must be a PDF file."), code="pdf_unreadable") from exc
