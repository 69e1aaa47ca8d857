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


# SAMPLE HS code suggestions per craft of the sample trade nomenclature (sellers/data/trades.json):
# (country, craft code, HS subheading, what the heading covers). Six-digit subheadings of the
# Harmonized System 2022 (WCO), as the validator asks for six digits at least; staff check them
# against their customs tariff and edit the table (Snippets > HS code suggestions). Headings checked:
# 5701 carpets, knotted; 5702.10 "Kelem, Schumacks, Karamanie and similar hand-woven rugs";
# 4202 handbags and similar, of leather; 6912 ceramic tableware other than porcelain; 1515.90 other
# fixed vegetable oils (argan); 7418.10 table, kitchen or household articles of copper
# (https://custom-tariffs-seo.pages.dev/en/codes/7418-10-table-kitchen-or-other-household-articles-and-parts-thereof-pot-scourers-and-sco),
# 7419.80 other articles of copper (https://tradeclassifier.com/hs-code/heading/7419); 8306.29 statuettes
# and ornaments of base metal (lost-wax bronze); 4420 wood marquetry, caskets and statuettes; 4602.19
# basketwork of other vegetable materials; 7113.11 jewellery of silver; 7117.90 imitation jewellery
# (beadwork).
HS_SUGGESTIONS = [
    ("MA", "1.01.01", "5701.10", "Carpets, hand-knotted, of wool or fine animal hair"),
    ("MA", "1.01.02", "5702.10", "Kelem (kilim), hanbel and similar hand-woven rugs"),
    ("MA", "1.02.03", "4202.21", "Handbags with outer surface of leather"),
    ("MA", "1.03.01", "6912.00", "Ceramic tableware and household articles (tagines, pottery)"),
    ("MA", "1.03.02", "6912.00", "Ceramic tableware and household articles (painted faience)"),
    ("MA", "1.04.01", "4420.90", "Wood marquetry, caskets and boxes (thuya)"),
    ("MA", "1.04.02", "4420.19", "Statuettes and other ornaments of wood (carved cedar)"),
    ("MA", "1.05.01", "7418.10", "Table, kitchen or household articles of copper or brass"),
    ("MA", "1.05.02", "7113.11", "Articles of jewellery of silver"),
    ("MA", "1.07.01", "4602.19", "Basketwork of other vegetable materials (doum palm, reed)"),
    ("MA", "1.08.01", "1515.90", "Other fixed vegetable oils (argan oil)"),
    ("CM", "1.01.01", "8306.29", "Statuettes and other ornaments of base metal (bronze)"),
    ("CM", "1.02.01", "4420.19", "Statuettes and other ornaments of wood (masks, stools)"),
    ("CM", "1.03.01", "7117.90", "Imitation jewellery, other than of base metal (beadwork)"),
    ("CM", "2.01.01", "6912.00", "Ceramic tableware and household articles"),
    ("CM", "2.01.02", "4602.19", "Basketwork of other vegetable materials (raffia)"),
]


def hs_suggestions_load(CraftHsSuggestion, Trade) -> int:
    """Load the sample suggestions for the crafts that exist; a row staff edited is left alone."""
    loaded = 0
    for country, code, hs_code, note in HS_SUGGESTIONS:
        craft = Trade.objects.filter(country=country, code=code).first()
        if craft is None:
            continue
        CraftHsSuggestion.objects.get_or_create(craft=craft, defaults={"hs_code": hs_code, "note": note, "is_sample": True})
        loaded += 1
    return loaded
