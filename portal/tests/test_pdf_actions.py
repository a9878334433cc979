"""PDF uploads refuse every action except navigation within the document: the test builds
real PDFs (with pikepdf, plain and with compressed object streams, and by hand with escaped
names) with each action in each place a reader runs it, and checks the Dutch refusal names the
problem. A PDF with internal links and bookmarks only passes."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pikepdf import Array, Dictionary, Name, String

from portal import pdf_actions
from portal.uploads import validate_pdf_upload

LIMIT = 10 * 1024 * 1024
WEBSITE = "een koppeling naar een website"
PROGRAM = "een actie die een programma start of een bestand opent"
MEDIA = "geluid, video of andere media"
ALLOWED = "Alleen verwijzingen binnen het document zelf zijn toegestaan."

ACTIONS = {
    "uri": (Dictionary(S=Name.URI, URI=String("https://example.com/track")), WEBSITE),
    "launch": (Dictionary(S=Name.Launch, F=String("cmd.exe")), PROGRAM),
    "submit-form": (
        Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("https://x.test"))),
        "een formulier dat gegevens verstuurt",
    ),
    "import-data": (
        Dictionary(S=Name.ImportData, F=String("data.fdf")),
        "een actie die gegevens uit een ander bestand laadt",
    ),
    "goto-remote": (
        Dictionary(S=Name.GoToR, F=String("\\\\server\\share\\x.pdf"), D=Array([0, Name.Fit])),
        "een koppeling naar een ander bestand",
    ),
    "goto-embedded": (
        Dictionary(S=Name.GoToE, T=Dictionary(R=Name.C, N=String("x"))),
        "een koppeling naar een ingesloten bestand",
    ),
    "rich-media": (Dictionary(S=Name.RichMediaExecute, TA=Dictionary()), MEDIA),
    "rendition": (Dictionary(S=Name.Rendition, OP=1), MEDIA),
    "sound": (Dictionary(S=Name.Sound), MEDIA),
    "movie": (Dictionary(S=Name.Movie), MEDIA),
    "reset-form": (Dictionary(S=Name.ResetForm), "een actie die een formulier leegmaakt"),
    "hide": (
        Dictionary(S=Name.Hide, T=String("veld")),
        "een actie die delen van het document verbergt",
    ),
    "named-print": (Dictionary(S=Name.Named, N=Name.Print), "een opdracht voor het pdf-programma"),
    "set-ocg-state": (Dictionary(S=Name.SetOCGState, State=Array()), "van het type SetOCGState"),
    "typed-unknown": (
        Dictionary(Type=Name.Action, S=Name("/Whatever")),
        "van het type Whatever",
    ),
}


def _pdf(place: str | None = None, action=None, *, object_streams: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    page = pdf.pages[0]
    if action is not None:
        action = pdf.make_indirect(Dictionary(action)) if place == "indirect" else action
        if place in {"open-action", "indirect"}:
            pdf.Root.OpenAction = action
        elif place == "document-aa":
            pdf.Root.AA = Dictionary(WC=action)
        elif place == "page-aa":
            page.obj.AA = Dictionary(O=action)
        elif place == "link":
            page.obj.Annots = pdf.make_indirect(
                Array([Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 9, 9], A=action)])
            )
        elif place == "chained":
            goto = Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit]), Next=action)
            pdf.Root.OpenAction = goto
        elif place == "bookmark":
            with pdf.open_outline() as outline:
                outline.root.append(pikepdf.OutlineItem("Hoofdstuk", 1))
            pdf.Root.Outlines.First.A = action
    out = io.BytesIO()
    mode = (
        pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.preserve
    )
    pdf.save(out, object_stream_mode=mode)
    return out.getvalue()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("antwoord.pdf", content, "application/pdf")


def refusal(content: bytes) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_pdf_upload(upload(content), max_bytes=LIMIT)
    return " ".join(excinfo.value.messages)


@pytest.mark.parametrize("object_streams", [False, True], ids=["plain", "object-streams"])
@pytest.mark.parametrize("kind", ACTIONS)
def test_every_action_type_is_refused_and_named(kind, object_streams):
    action, label = ACTIONS[kind]
    message = refusal(_pdf("open-action", action, object_streams=object_streams))
    assert label in message and ALLOWED in message


@pytest.mark.parametrize("object_streams", [False, True], ids=["plain", "object-streams"])
@pytest.mark.parametrize(
    "place", ["document-aa", "page-aa", "link", "chained", "bookmark", "indirect"]
)
def test_an_action_is_found_wherever_a_reader_runs_it(place, object_streams):
    action, label = ACTIONS["uri"]
    assert label in refusal(_pdf(place, action, object_streams=object_streams))


def test_escaped_names_do_not_hide_an_action():
    content = _pdf().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /U#52I /URI (https://x.test) >>"
    )
    assert WEBSITE in refusal(content)


def test_a_media_annotation_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Annots = Array(
        [Dictionary(Type=Name.Annot, Subtype=Name.Screen, Rect=[0, 0, 9, 9])]
    )
    out = io.BytesIO()
    pdf.save(out)
    assert MEDIA in refusal(out.getvalue())


def test_internal_navigation_passes():
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    target = pdf.pages[2].obj
    pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(Names=Array([String("bijlage"), Array([target, Name.Fit])]))
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(
        Array(
            [
                Dictionary(
                    Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 9, 9], Dest=String("bijlage")
                ),
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=[0, 10, 9, 19],
                    A=Dictionary(S=Name.GoTo, D=Array([target, Name.XYZ, 0, 0, 0])),
                ),
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.Link,
                    Rect=[0, 20, 9, 29],
                    A=Dictionary(S=Name.Named, N=Name.NextPage),
                ),
            ]
        )
    )
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("Bijlage", 2))
    for object_streams in (False, True):
        out = io.BytesIO()
        mode = (
            pikepdf.ObjectStreamMode.generate
            if object_streams
            else pikepdf.ObjectStreamMode.preserve
        )
        pdf.save(out, object_stream_mode=mode)
        content = out.getvalue()
        assert validate_pdf_upload(upload(content), max_bytes=LIMIT) == content


def test_the_work_is_bounded_before_reading_further():
    pdf = pikepdf.new()
    for _ in range(pdf_actions.MAX_PAGES + 1):
        pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    assert "te groot om te controleren" in refusal(out.getvalue())


def test_a_file_that_cannot_be_read_as_a_pdf_is_refused():
    assert "Het bestand moet een pdf-bestand zijn." in refusal(b"%PDF-1.7\nkapot\n%%EOF\n")
