"""Materials and the site's languages, loaded by a data migration; idempotent."""

MATERIALS = [
    ("wool", "Wool", "Laine", "صوف"),
    ("cotton", "Cotton", "Coton", "قطن"),
    ("silk", "Silk", "Soie", "حرير"),
    ("cactus-silk", "Cactus silk (sabra)", "Soie de cactus (sabra)", "حرير الصبار"),
    ("leather", "Leather", "Cuir", "جلد"),
    ("clay", "Clay", "Argile", "طين"),
    ("copper", "Copper", "Cuivre", "نحاس"),
    ("brass", "Brass", "Laiton", "نحاس أصفر"),
    ("silver", "Silver", "Argent", "فضة"),
    ("bronze", "Bronze", "Bronze", "برونز"),
    ("iron", "Wrought iron", "Fer forgé", "حديد مطروق"),
    ("thuya", "Thuya wood", "Bois de thuya", "خشب العرعار"),
    ("cedar", "Cedar wood", "Bois de cèdre", "خشب الأرز"),
    ("palm-fibre", "Doum palm fibre", "Fibre de doum", "ألياف الدوم"),
    ("raffia", "Raffia", "Raphia", "رافيا"),
    ("glass", "Glass", "Verre", "زجاج"),
    ("beads", "Glass beads", "Perles de verre", "خرز"),
    ("plaster", "Plaster", "Plâtre", "جبس"),
    ("lime", "Lime plaster", "Chaux", "جير"),
    ("argan", "Argan", "Argan", "أركان"),
]


def materials_load(Material) -> int:
    for slug, name, name_fr, name_ar in MATERIALS:
        Material.objects.update_or_create(slug=slug, defaults={"name": name, "name_fr": name_fr, "name_ar": name_ar})
    return len(MATERIALS)


def locales_load(Locale, language_codes) -> None:
    for code in language_codes:
        Locale.objects.get_or_create(language_code=code)
