"""Sample synonym sets (marked as sample: staff review, edit or delete them) and the vocabulary counted
from the listing documents already there."""

from collections import Counter

from django.db import migrations

from search.words import WORD, fold

SAMPLE_SYNONYMS = [
    ("zellige, zellij, zelij, zellig, زليج", "Tilework"),
    ("babouche, babouches, slipper, slippers, belgha, balgha, بلغة", "Slippers"),
    ("tagine, tajine, tajin, طاجين", "Cooking pot"),
    ("kilim, hanbel, hanbal, حنبل", "Flat-woven rug"),
    ("rug, rugs, carpet, carpets, tapis, zarbiya, زربية, زرابي", "Rugs"),
    ("pouf, pouffe, ottoman", "Pouffe"),
    ("caftan, kaftan, qaftan, قفطان", "Caftan"),
    ("djellaba, jellaba, djellabah, جلابة", "Djellaba"),
    ("argan, argane, أركان, الأركان", "Argan"),
    ("argan oil, huile d'argan, زيت أركان, زيت الأركان", "Argan oil"),
    ("berber, berbère, amazigh, amazighe, tamazight, أمازيغي, أمازيغية, بربري", "Berber (Amazigh)"),
    ("tadelakt, tadellakt", "Plaster"),
    ("thuya, thuja, عرعار", "Thuya wood"),
    ("henna, henne, hanna, حناء", "Henna"),
    ("copper, cuivre, nhas, نحاس", "Copper"),
    ("brass, laiton", "Brass"),
    ("lantern, lanterne, fanous, فانوس", "Lantern"),
    ("pottery, poterie, ceramic, céramique, فخار", "Pottery"),
    ("leather, cuir, جلد", "Leather"),
]


def sample_synonyms_load(apps, schema_editor):
    SynonymSet = apps.get_model("listing_search", "SynonymSet")
    if not SynonymSet.objects.exists():
        SynonymSet.objects.bulk_create(SynonymSet(terms=terms, note=note, is_sample=True) for terms, note in SAMPLE_SYNONYMS)


def vocabulary_count(apps, schema_editor):
    # As search.vocabulary.vocabulary_rebuild does, on the historical models.
    ListingDocument = apps.get_model("listing_search", "ListingDocument")
    VocabularyTerm = apps.get_model("listing_search", "VocabularyTerm")
    counts, forms = Counter(), {}
    for language, title, body in ListingDocument.objects.values_list("language", "title", "body").iterator(chunk_size=2000):
        terms = {}
        for word in WORD.findall(f"{title} {body}"):
            if 2 <= len(word) <= 40 and not word.isdigit():
                terms.setdefault(fold(word), word.lower())
        for term, form in terms.items():
            counts[(language, term)] += 1
            forms.setdefault((language, term), form)
    VocabularyTerm.objects.bulk_create(
        (VocabularyTerm(language=language, term=term, form=forms[(language, term)], documents=documents)
         for (language, term), documents in counts.items()),
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("listing_search", "0004_search_fallbacks")]

    operations = [
        migrations.RunPython(sample_synonyms_load, migrations.RunPython.noop),
        migrations.RunPython(vocabulary_count, migrations.RunPython.noop),
    ]
