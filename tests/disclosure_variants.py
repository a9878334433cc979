"""Texts that name supplier X ("Leverancier X B.V.", KvK 12345678, verkoop@leverancier-x.nl)
in a way a literal comparison misses, and a realistic neutral text that names nobody: shared
by the tests of every disclosure check (review, report, clarifications, nota van
inlichtingen)."""

from __future__ import annotations

# (id, text): each identifies supplier X.
DISGUISED = [
    ("zero-width space", "Lever\u200bancier X levert binnen vijf dagen."),
    ("soft hyphen and word joiner", "Leveran\u00adcier\u2060X levert binnen vijf dagen."),
    ("cyrillic homoglyph", "L\u0435verancier X levert binnen vijf dagen."),  # Cyrillic е
    ("greek homoglyph", "Leverancier \u03a7 levert binnen vijf dagen."),  # Greek Χ
    (
        "fullwidth",
        "\uff2c\uff45\uff56\uff45\uff52\uff41\uff4e\uff43\uff49\uff45\uff52 \uff38 levert.",
    ),
    ("(at) e-mail", "Mail jan.jansen (at) gmail.com voor een offerte."),
    ("[at] and [dot] e-mail", "Mail verkoop[at]leverancier-x[dot]nl voor een offerte."),
    (" at / dot e-mail", "Mail verkoop at leverancier-x dot nl voor een offerte."),
    ("[dot] domain", "Kijk op www.leverancier-x[dot]nl voor de specificaties."),
    ("(dot) domain", "Kijk op leverancier-x (dot) nl voor de specificaties."),
    ("spaced KvK", "Ons KvK-nummer is 1234 - 5678."),
    ("KvK with en dash", "Ons KvK-nummer is 1234\u20135678."),
    ("hyphen for a space", "Leverancier-X levert binnen vijf dagen."),
    ("dots between letters", "L.E.V.E.R.A.N.C.I.E.R X levert binnen vijf dagen."),
]

# A realistic answer: numbers, dashes, abbreviations, "at" and "dot" as ordinary words, the
# word "leverancier", a Greek letter, a web address of the government. Identifies nobody.
NEUTRAL = (
    "Als leverancier leveren wij circa 1.200 laptops per jaar aan gemeenten, met een "
    "levertijd van 5 à 10 werkdagen. De accu van de 14-inch modellen gaat 4 - 5 jaar mee "
    "(o.a. door slim laden); een e-mail of telefoontje naar de servicedesk volstaat. Wij "
    "testen nieuwe modellen eerst in een β-versie met 12 gebruikers, en de prijs per stuk "
    "ligt tussen 650 – 900 euro. Zie ook de Wet digitale overheid op www.overheid.nl, punt "
    "3.2 van de bijlage, en de Engelse handleiding: 'look at the dot on the screen'."
)
