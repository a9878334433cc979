"""The official Dutch CPV 2008 texts of six codes, checked against the published texts
(see catalog/data/cpv-ict-hardware.csv). Updates an existing install; a new one gets them from
``load_reference_data``, which reads the same file. Codes not loaded yet are left alone."""

from django.db import migrations

LABELS = {
    "30213200-7": ("Tabletcomputer", "Tablet-pc's"),
    "30213300-8": ("Desktopcomputer", "Desktop computers"),
    "30231320-6": ("Aanraakschermen", "Touchscreenmonitors"),
    "32551300-3": ("Telefoonhoofdtelefoons", "Telefoonhoofdsets"),
    "72253200-5": ("Systeemondersteuning", "Systeemondersteuningsdiensten"),
    "72600000-6": (
        "Diensten in verband met computerondersteuning en -advies",
        "Diensten voor computerondersteuning en -advies",
    ),
}


def forwards(apps, schema_editor):
    CpvCode = apps.get_model("catalog", "CpvCode")
    for code, (_old, new) in LABELS.items():
        CpvCode.objects.filter(code=code).update(label_nl=new)


def backwards(apps, schema_editor):
    CpvCode = apps.get_model("catalog", "CpvCode")
    for code, (old, _new) in LABELS.items():
        CpvCode.objects.filter(code=code).update(label_nl=old)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_referenceprice")]

    operations = [migrations.RunPython(forwards, backwards)]
