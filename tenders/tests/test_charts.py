import re
from xml.etree import ElementTree

from portal.charts import PALETTE, Bar, contrast_ratio, horizontal_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def chart(**kwargs):
    return horizontal_bar_chart(
        chart_id="c1",
        title="Gemeenten per status",
        description="Aantal gemeenten.",
        bars=[Bar("Ingediend", 1234, PALETTE["blue"]), Bar("<Concept>", 0, PALETTE["grey"])],
        **kwargs,
    )


def test_the_chart_is_well_formed_accessible_svg():
    svg = str(chart())
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Gemeenten per status"
    assert root.find(f"{SVG}desc").text == "Aantal gemeenten. Ingediend: 1.234; <Concept>: 0"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Ingediend", "1.234", "<Concept>", "0"]


def test_no_style_attributes_no_script_and_text_is_escaped():
    svg = str(chart())
    assert "style" not in svg
    assert "<script" not in svg
    assert "&lt;Concept&gt;" in svg


def test_bars_scale_to_the_largest_value():
    root = ElementTree.fromstring(str(chart(width=640, label_width=180)))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")][1:]
    # track and bar per row: the largest bar fills its track, a zero bar has no width
    assert widths[0] == widths[1]
    assert widths[3] == 0


def test_empty_chart_does_not_divide_by_zero():
    svg = horizontal_bar_chart(chart_id="e", title="t", description="", bars=[])
    assert ElementTree.fromstring(str(svg)).get("role") == "img"


def test_palette_colours_have_enough_contrast_on_white():
    for colour in PALETTE.values():
        assert contrast_ratio(colour, "#ffffff") >= 4.5, colour
    assert re.fullmatch(r"#[0-9a-f]{6}", PALETTE["green"])
