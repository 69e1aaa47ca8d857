"""The demo catalogue: real regions, towns and crafts of Moroccan handicraft; invented cooperatives.

Names, register numbers and contacts are fictitious. Each product family has its title and
description in English, French and Arabic, and the craft, materials and customs data it ships with.
"""

# (legal name, kind, register number, region code, town, trade codes, founded, story)
SELLERS = [
    ("Coopérative Tifaouine des Tisseuses", "cooperative", "2317/2009", "MA-08", "Taznakht", ["1.01.01"], 2009, "rugs"),
    ("Coopérative Aït Bouguemez", "cooperative", "1184/2012", "MA-05", "Azilal", ["1.01.01", "1.01.02"], 2012, "rugs"),
    ("Coopérative Akhnif des Femmes d'Azilal", "cooperative", "4402/2016", "MA-05", "Azilal", ["1.01.01"], 2016, "rugs"),
    ("Coopérative Tamount Zenaga", "cooperative", "3390/2014", "MA-08", "Taznakht", ["1.01.02"], 2014, "rugs"),
    ("Coopérative Boujad Hanbel", "cooperative", "5210/2018", "MA-05", "Boujad", ["1.01.02"], 2018, "rugs"),
    ("Dinanderie Al Attarine", "master_artisan", "RNA-00412345", "MA-03", "Fès", ["1.05.01"], 1988, "copper"),
    ("Atelier Seffarine", "artisan", "RNA-00388121", "MA-03", "Fès", ["1.05.01"], 1995, "copper"),
    ("Zellige Fassi", "cooperative", "2984/2011", "MA-03", "Fès", ["1.06.01"], 2011, "zellige"),
    ("Coopérative Zellige Ain Nokbi", "cooperative", "6120/2019", "MA-03", "Fès", ["1.06.01"], 2019, "zellige"),
    ("Poterie de la Colline des Potiers", "cooperative", "1765/2010", "MA-07", "Safi", ["1.03.01", "1.03.02"], 2010, "pottery"),
    ("Atelier Serghini Faïence", "master_artisan", "RNA-00291877", "MA-07", "Safi", ["1.03.02"], 1979, "pottery"),
    ("Coopérative Tamegroute Céramique", "cooperative", "3012/2013", "MA-08", "Tamegroute", ["1.03.01"], 2013, "pottery"),
    ("Poterie Oulja de Salé", "enterprise", "001525987000065", "MA-04", "Salé", ["1.03.01"], 2001, "pottery"),
    ("Tadelakt Marrakech Bahia", "artisan", "RNA-00517702", "MA-07", "Marrakech", ["2.01.01"], 2005, "tadelakt"),
    ("Coopérative Tighanimine", "cooperative", "1420/2011", "MA-09", "Agadir", ["1.08.01"], 2011, "argan"),
    ("Coopérative Marjana d'Essaouira", "cooperative", "0987/2006", "MA-07", "Essaouira", ["1.08.01"], 2006, "argan"),
    ("Coopérative Ajddigue", "cooperative", "2205/2010", "MA-07", "Essaouira", ["1.08.01"], 2010, "argan"),
    ("Tannerie Chouara Artisans", "cooperative", "3877/2015", "MA-03", "Fès", ["1.02.01", "1.02.03"], 2015, "leather"),
    ("Babouches Mouassine", "artisan", "RNA-00450033", "MA-07", "Marrakech", ["1.02.02"], 1999, "babouche"),
    ("Coopérative Cuir du Sahara", "cooperative", "7340/2020", "MA-11", "Laâyoune", ["1.02.03"], 2020, "leather"),
    ("Thuya Mogador", "master_artisan", "RNA-00209954", "MA-07", "Essaouira", ["1.04.01"], 1984, "thuya"),
    ("Coopérative Cèdre d'Azrou", "cooperative", "2650/2012", "MA-03", "Azrou", ["1.04.02"], 2012, "cedar"),
    ("Sabra Fès Brocart", "cooperative", "4117/2016", "MA-03", "Fès", ["1.01.03"], 2016, "brocade"),
    ("Coopérative Doum Chefchaouen", "cooperative", "1932/2011", "MA-01", "Chefchaouen", ["1.07.01"], 2011, "basketry"),
    ("Vannerie Salé Bouregreg", "cooperative", "5581/2018", "MA-04", "Salé", ["1.07.01"], 2018, "basketry"),
    ("Bijouterie Amazigh de Tiznit", "master_artisan", "RNA-00330418", "MA-09", "Tiznit", ["1.05.02"], 1976, "silver"),
    ("Coopérative Argent de Guelmim", "cooperative", "6603/2019", "MA-10", "Guelmim", ["1.05.02"], 2019, "silver"),
    ("Ferronnerie Meknassia", "enterprise", "002114563000021", "MA-03", "Meknès", ["1.05.03"], 1997, "lantern"),
    ("Broderie de Tétouan Al Mandri", "cooperative", "2843/2012", "MA-01", "Tétouan", ["1.01.04"], 2012, "embroidery"),
    ("Coopérative Broderie Zemmour", "cooperative", "5012/2017", "MA-04", "Khémisset", ["1.01.04"], 2017, "embroidery"),
    ("Coopérative Figuig Tissage", "cooperative", "3556/2014", "MA-02", "Figuig", ["1.01.02"], 2014, "rugs"),
    ("Caftan Atelier Casablanca", "enterprise", "001833672000044", "MA-06", "Casablanca", ["1.01.05"], 2008, "caftan"),
    ("Coopérative Nisae Dakhla", "cooperative", "8012/2021", "MA-12", "Dakhla", ["1.07.01"], 2021, "basketry"),
]

# Seller stories: (English, French, Arabic), keyed by the family in SELLERS.
STORIES = {
    "rugs": (
        "Our weavers knot every rug by hand on upright looms, with wool spun and dyed in the village.",
        "Nos tisserandes nouent chaque tapis à la main sur des métiers verticaux, avec une laine filée et teinte au village.",
        "تعقد نساجاتنا كل زربية يدويا على أنوال عمودية بصوف مغزول ومصبوغ في القرية.",
    ),
    "copper": (
        "In the Seffarine square, our family has hammered copper and brass for three generations.",
        "Sur la place Seffarine, notre famille martèle le cuivre et le laiton depuis trois générations.",
        "في ساحة الصفارين، تطرق عائلتنا النحاس منذ ثلاثة أجيال.",
    ),
    "zellige": (
        "Each tile is cut by hand from glazed Fez clay and set piece by piece into geometric stars.",
        "Chaque tesselle est taillée à la main dans l'argile émaillée de Fès et posée pièce par pièce en étoiles géométriques.",
        "تقطع كل قطعة زليج يدويا من طين فاس المزجج وتركب قطعة قطعة في نجوم هندسية.",
    ),
    "pottery": (
        "We throw, paint and fire our pottery in wood kilns on the hill of the potters.",
        "Nous tournons, peignons et cuisons nos poteries dans des fours à bois sur la colline des potiers.",
        "نشكل فخارنا ونزخرفه ونطهوه في أفران الحطب على تلة الخزافين.",
    ),
    "tadelakt": (
        "Lime plaster from Marrakech, polished with a river stone and black soap until it shines.",
        "Un enduit de chaux de Marrakech, poli à la pierre de rivière et au savon noir jusqu'à briller.",
        "جير مراكش يصقل بحجر الوادي والصابون البلدي حتى يلمع.",
    ),
    "argan": (
        "A women's cooperative that cracks and presses argan kernels by hand, from trees of the Souss.",
        "Une coopérative de femmes qui concasse et presse à la main les amandes d'argan des arbres du Souss.",
        "تعاونية نسائية تكسر لوز الأركان وتعصره يدويا من أشجار سوس.",
    ),
    "leather": (
        "Hides tanned with plants in the old pits, then cut and stitched in our workshop.",
        "Des peaux tannées aux plantes dans les anciennes cuves, puis coupées et cousues dans notre atelier.",
        "جلود مدبوغة بالنباتات في الأحواض القديمة ثم تقص وتخاط في ورشتنا.",
    ),
    "babouche": (
        "Babouches sewn by hand in the Mouassine quarter, with soles of tanned cow leather.",
        "Des babouches cousues main dans le quartier Mouassine, avec des semelles en cuir de vache tanné.",
        "بلغات مخيطة يدويا في حي المواسين بنعال من جلد البقر المدبوغ.",
    ),
    "thuya": (
        "We turn and inlay thuya burl from the Essaouira hills with lemon wood and mother of pearl.",
        "Nous tournons et marquetons la loupe de thuya des collines d'Essaouira avec du citronnier et de la nacre.",
        "نخرط جذور العرعار من تلال الصويرة ونرصعها بخشب الليمون والصدف.",
    ),
    "cedar": (
        "Middle Atlas cedar, carved and painted in the patterns of Fez and Meknes houses.",
        "Le cèdre du Moyen Atlas, sculpté et peint aux motifs des maisons de Fès et de Meknès.",
        "أرز الأطلس المتوسط منقوش ومصبوغ بزخارف دور فاس ومكناس.",
    ),
    "brocade": (
        "Sabra and silk brocade woven on hand looms in the medina of Fez.",
        "Sabra et brocart de soie tissés sur des métiers à main dans la médina de Fès.",
        "صبرة وديباج حرير منسوج على أنوال يدوية في مدينة فاس العتيقة.",
    ),
    "basketry": (
        "Baskets and mats woven from doum palm and reed gathered around the village.",
        "Paniers et nattes tressés en doum et en roseau cueillis autour du village.",
        "سلال وحصائر منسوجة من الدوم والقصب المجموع حول القرية.",
    ),
    "silver": (
        "Amazigh jewellery in solid silver, engraved and enamelled as in Tiznit since the 19th century.",
        "Des bijoux amazighs en argent massif, gravés et émaillés comme à Tiznit depuis le XIXe siècle.",
        "حلي أمازيغية من الفضة الخالصة منقوشة ومطلية بالمينا كما في تيزنيت منذ القرن التاسع عشر.",
    ),
    "lantern": (
        "Lanterns and furniture in wrought iron and brass, forged and pierced by hand in Meknes.",
        "Lanternes et meubles en fer forgé et laiton, forgés et ajourés à la main à Meknès.",
        "فوانيس وأثاث من الحديد المطروق والنحاس تصنع يدويا في مكناس.",
    ),
    "embroidery": (
        "Embroidery in silk thread, stitched by hand after the patterns of our grandmothers.",
        "Broderies au fil de soie, cousues main d'après les motifs de nos grands-mères.",
        "تطريز بخيط الحرير يدويا على نقوش جداتنا.",
    ),
    "caftan": (
        "Caftans and djellabas cut and finished by hand, with sfifa braid and handmade buttons.",
        "Caftans et djellabas coupés et finis à la main, avec passementerie sfifa et boutons faits main.",
        "قفاطين وجلابيب مفصلة ومخيطة يدويا بالسفيفة والعقاد.",
    ),
}

# Product families: (title en, fr, ar), (description en, fr, ar), craft code, materials, HS code,
# price range in MAD, weight range in grams, dimensions (cm) or None, made-to-order lead time or None,
# image motif.
PRODUCTS = {
    "rugs": [
        (("Hand-knotted Taznakht rug", "Tapis noué main de Taznakht", "زربية تازناخت معقودة يدويا"),
         ("Dense pile of natural-dyed wool with the saffron and madder reds of the Siroua.", "Velours dense de laine teinte aux colorants naturels, dans les rouges safran et garance du Siroua.", "وبر كثيف من صوف مصبوغ بألوان طبيعية بأحمر الزعفران والفوة لجبل سيروا."),
         "1.01.01", ["wool"], "5701.10", (4500, 18000), (6000, 22000), (200, 150, 1), 45, "lattice"),
        (("Azilal wool rug", "Tapis d'Azilal en laine", "زربية أزيلال من الصوف"),
         ("Ivory wool with bright freehand motifs, knotted by the women of the High Atlas.", "Laine ivoire aux motifs libres et vifs, nouée par les femmes du Haut Atlas.", "صوف عاجي بزخارف حرة زاهية تعقده نساء الأطلس الكبير."),
         "1.01.01", ["wool"], "5701.10", (3800, 14000), (5000, 18000), (180, 120, 1), 40, "lattice"),
        (("Flat-weave kilim", "Kilim tissé à plat", "حنبل منسوج"),
         ("A reversible hanbel in striped wool, light enough to hang on a wall.", "Un hanbel réversible en laine rayée, assez léger pour être accroché au mur.", "حنبل من الصوف المخطط يستعمل على الوجهين وخفيف يعلق على الحائط."),
         "1.01.02", ["wool", "cotton"], "5702.10", (1200, 5200), (2000, 7000), (150, 90, 1), None, "stripes"),
    ],
    "copper": [
        (("Hammered copper tray", "Plateau en cuivre martelé", "صينية نحاس مطروق"),
         ("Chased by hand with a twelve-point star, tinned inside for serving tea.", "Ciselé à la main d'une étoile à douze branches, étamé pour servir le thé.", "منقوشة يدويا بنجمة اثني عشرية ومقصدرة لتقديم الشاي."),
         "1.05.01", ["copper"], "7418.10", (450, 1800), (900, 3000), (50, 50, 3), None, "radial"),
        (("Brass teapot", "Théière en laiton", "براد من النحاس الأصفر"),
         ("A Fez teapot in polished brass with a chased lid.", "Une théière de Fès en laiton poli au couvercle ciselé.", "براد فاسي من النحاس الأصفر المصقول بغطاء منقوش."),
         "1.05.01", ["brass"], "7418.10", (380, 950), (500, 900), (20, 12, 22), None, "radial"),
    ],
    "zellige": [
        (("Zellige tile panel", "Panneau de zellige", "لوحة زليج"),
         ("A star panel of hand-cut glazed tiles, ready to set on a wall.", "Un panneau étoilé de tesselles émaillées taillées main, prêt à poser au mur.", "لوحة نجمية من قطع زليج مزجج مقطعة يدويا جاهزة للتركيب."),
         "1.06.01", ["clay"], "6907.21", (900, 4800), (4000, 15000), (60, 60, 2), 30, "tiles"),
        (("Zellige mosaic table", "Table en mosaïque de zellige", "طاولة فسيفساء زليج"),
         ("A round table top of zellige set in a wrought-iron frame.", "Un plateau rond de zellige serti dans un piètement en fer forgé.", "سطح طاولة دائري من الزليج في إطار من الحديد المطروق."),
         "1.06.01", ["clay", "iron"], "9403.20", (2800, 9000), (15000, 30000), (80, 80, 60), 40, "tiles"),
    ],
    "pottery": [
        (("Painted Safi plate", "Assiette peinte de Safi", "صحن آسفي مزخرف"),
         ("Glazed earthenware painted by hand in cobalt and copper green.", "Faïence émaillée peinte à la main en bleu cobalt et vert cuivre.", "خزف مزجج مرسوم يدويا بالأزرق الكوبالتي والأخضر النحاسي."),
         "1.03.02", ["clay"], "6912.00", (180, 650), (600, 1500), (30, 30, 4), None, "rings"),
        (("Cooking tagine", "Tajine de cuisson", "طاجين للطبخ"),
         ("Unglazed clay tagine for the stove, fired in a wood kiln.", "Tajine en terre non émaillée pour le feu, cuit au four à bois.", "طاجين من الطين غير المزجج للطبخ على النار، مطهو في فرن الحطب."),
         "1.03.01", ["clay"], "6912.00", (120, 420), (1500, 3500), (30, 30, 25), None, "rings"),
        (("Green Tamegroute bowl", "Bol vert de Tamegroute", "زلافة تمكروت الخضراء"),
         ("The famous green glaze of the Draa valley, each drip different.", "Le célèbre émail vert de la vallée du Drâa, chaque coulure est unique.", "المينا الخضراء الشهيرة لوادي درعة، كل قطرة مختلفة."),
         "1.03.01", ["clay"], "6912.00", (150, 480), (400, 1200), (18, 18, 9), None, "rings"),
    ],
    "tadelakt": [
        (("Tadelakt washbasin", "Vasque en tadelakt", "مغسلة تادلاكت"),
         ("A waterproof lime-plaster basin, polished with black soap.", "Une vasque étanche en enduit de chaux, polie au savon noir.", "مغسلة من الجير المقاوم للماء مصقولة بالصابون البلدي."),
         "2.01.01", ["lime"], "6810.99", (1600, 4200), (8000, 16000), (45, 35, 15), 21, "radial"),
    ],
    "argan": [
        (("Pure argan oil", "Huile d'argan pure", "زيت أركان خالص"),
         ("Cold-pressed cosmetic argan oil from kernels cracked by hand.", "Huile d'argan cosmétique pressée à froid, d'amandes concassées à la main.", "زيت أركان تجميلي معصور على البارد من لوز مكسر يدويا."),
         "1.08.01", ["argan", "glass"], "1515.90", (120, 380), (150, 600), None, None, "bottle"),
        (("Amlou with argan and almonds", "Amlou à l'argan et aux amandes", "أملو بالأركان واللوز"),
         ("Roasted almonds, argan oil and honey, ground on a stone mill.", "Amandes grillées, huile d'argan et miel, moulus à la meule de pierre.", "لوز محمص وزيت أركان وعسل مطحون على رحى حجرية."),
         "1.08.01", ["argan", "glass"], "2008.19", (90, 220), (300, 700), None, None, "bottle"),
    ],
    "leather": [
        (("Leather pouf", "Pouf en cuir", "بوف جلدي"),
         ("Goat leather, tanned with plants and embroidered, sold unstuffed for shipping.", "Cuir de chèvre tanné aux plantes et brodé, vendu vide pour l'expédition.", "جلد ماعز مدبوغ بالنباتات ومطرز يباع فارغا للشحن."),
         "1.02.03", ["leather"], "4202.92", (450, 1300), (900, 1600), (50, 50, 30), None, "weave"),
        (("Leather travel bag", "Sac de voyage en cuir", "حقيبة سفر جلدية"),
         ("A weekender bag of vegetable-tanned cow leather with brass buckles.", "Un sac week-end en cuir de vache tanné végétal, à boucles de laiton.", "حقيبة نهاية الأسبوع من جلد البقر المدبوغ نباتيا بمشابك نحاسية."),
         "1.02.03", ["leather", "brass"], "4202.21", (900, 2600), (1200, 2200), (50, 25, 30), None, "weave"),
    ],
    "babouche": [
        (("Leather babouches", "Babouches en cuir", "بلغة جلدية"),
         ("Slippers of soft goat leather with a stitched cow-leather sole.", "Babouches en cuir de chèvre souple, semelle cousue en cuir de vache.", "بلغة من جلد الماعز الناعم بنعل من جلد البقر مخيط."),
         "1.02.02", ["leather"], "6405.10", (160, 480), (300, 600), (28, 10, 8), None, "weave"),
    ],
    "thuya": [
        (("Thuya wood box", "Boîte en bois de thuya", "علبة من خشب العرعار"),
         ("Burl thuya inlaid with lemon wood, waxed, with a fitted lid.", "Loupe de thuya marquetée de citronnier, cirée, au couvercle ajusté.", "جذر العرعار مرصع بخشب الليمون ومشمع بغطاء محكم."),
         "1.04.01", ["thuya"], "4420.90", (220, 900), (300, 1200), (20, 12, 8), None, "rings"),
    ],
    "cedar": [
        (("Carved cedar mirror", "Miroir en cèdre sculpté", "مرآة من خشب الأرز المنقوش"),
         ("A mirror framed in carved and painted Atlas cedar.", "Un miroir encadré de cèdre de l'Atlas sculpté et peint.", "مرآة بإطار من أرز الأطلس المنقوش والمصبوغ."),
         "1.04.02", ["cedar", "glass"], "4414.10", (700, 2400), (2500, 6000), (60, 45, 4), 20, "tiles"),
    ],
    "brocade": [
        (("Sabra cushion cover", "Housse de coussin en sabra", "غطاء وسادة من الصبرة"),
         ("Cactus-silk cushion cover woven on a hand loom in Fez.", "Housse de coussin en soie de cactus tissée sur métier à main à Fès.", "غطاء وسادة من حرير الصبار منسوج على نول يدوي بفاس."),
         "1.01.03", ["cactus-silk", "cotton"], "6304.92", (180, 520), (200, 400), (45, 45, 1), None, "stripes"),
    ],
    "basketry": [
        (("Doum palm basket", "Panier en doum", "سلة من الدوم"),
         ("A market basket braided from doum palm with leather handles.", "Un panier de marché tressé en doum, aux anses en cuir.", "سلة تسوق مضفورة من الدوم بمقابض جلدية."),
         "1.07.01", ["palm-fibre", "leather"], "4602.19", (90, 320), (300, 800), (40, 20, 35), None, "weave"),
    ],
    "silver": [
        (("Tiznit silver bracelet", "Bracelet en argent de Tiznit", "دملج فضي من تيزنيت"),
         ("A wide Amazigh cuff in solid silver, engraved by hand.", "Un large bracelet amazigh en argent massif, gravé à la main.", "دملج أمازيغي عريض من الفضة الخالصة منقوش يدويا."),
         "1.05.02", ["silver"], "7113.11", (650, 2800), (60, 180), None, None, "radial"),
        (("Enamelled silver fibula", "Fibule en argent émaillé", "تيزرزيت فضية مطلية بالمينا"),
         ("A tizerzai brooch in silver with green and yellow enamel.", "Une fibule tizerzai en argent émaillé de vert et de jaune.", "تيزرزيت من الفضة بمينا خضراء وصفراء."),
         "1.05.02", ["silver"], "7113.11", (900, 3200), (80, 220), None, 25, "radial"),
    ],
    "lantern": [
        (("Pierced brass lantern", "Lanterne en laiton ajouré", "فانوس نحاسي مخرم"),
         ("A hanging lantern of pierced brass and coloured glass.", "Une lanterne suspendue en laiton ajouré et verre coloré.", "فانوس معلق من النحاس المخرم والزجاج الملون."),
         "1.05.03", ["brass", "glass"], "9405.11", (600, 2200), (1500, 4000), (25, 25, 60), None, "lattice"),
    ],
    "embroidery": [
        (("Tetouan embroidered tablecloth", "Nappe brodée de Tétouan", "مفرش مطرز تطواني"),
         ("Linen tablecloth embroidered in silk with the Tetouan stitch.", "Nappe en lin brodée de soie au point de Tétouan.", "مفرش من الكتان مطرز بالحرير بالغرزة التطوانية."),
         "1.01.04", ["cotton", "silk"], "6302.51", (550, 1900), (500, 1200), (180, 140, 1), 30, "stripes"),
    ],
    "caftan": [
        (("Hand-finished caftan", "Caftan fini main", "قفطان مخيط يدويا"),
         ("A silk caftan with sfifa braid and hand-made buttons, made to your size.", "Un caftan en soie avec sfifa et boutons faits main, réalisé à votre taille.", "قفطان من الحرير بالسفيفة والعقاد يخاط على مقاسك."),
         "1.01.05", ["silk"], "6204.49", (2400, 9500), (800, 1600), None, 35, "stripes"),
    ],
}

# Colour names that tell products of one family apart: (English, French, Arabic, RGB palette)
COLOURWAYS = [
    ("Saffron", "Safran", "زعفراني", [(214, 140, 30), (120, 40, 20), (245, 225, 190)]),
    ("Indigo", "Indigo", "نيلي", [(30, 50, 110), (200, 210, 230), (120, 30, 40)]),
    ("Madder red", "Rouge garance", "أحمر فوي", [(160, 35, 30), (240, 215, 180), (40, 30, 30)]),
    ("Atlas ivory", "Ivoire de l'Atlas", "عاجي أطلسي", [(238, 230, 212), (40, 35, 35), (190, 170, 140)]),
    ("Henna", "Henné", "حنائي", [(170, 80, 40), (90, 50, 30), (240, 200, 150)]),
    ("Majorelle blue", "Bleu Majorelle", "أزرق ماجوريل", [(40, 70, 190), (240, 200, 40), (250, 250, 245)]),
    ("Mint green", "Vert menthe", "أخضر نعناعي", [(40, 140, 100), (230, 240, 225), (20, 60, 50)]),
    ("Desert rose", "Rose des sables", "وردي صحراوي", [(210, 150, 130), (120, 70, 60), (245, 230, 215)]),
    ("Charcoal", "Charbon", "فحمي", [(50, 50, 55), (200, 190, 170), (160, 40, 35)]),
    ("Ochre", "Ocre", "مغرّي", [(200, 140, 50), (90, 60, 30), (240, 230, 200)]),
]

CATEGORY_INTROS = {
    "1.01": ("Rugs, kilims, brocades and embroidery woven and stitched by hand.",
             "Tapis, kilims, brocarts et broderies tissés et cousus à la main.",
             "زرابي وحنابل وديباج وتطريز منسوج ومخيط يدويا."),
    "1.02": ("Plant-tanned leather: poufs, bags and babouches.",
             "Cuir tanné aux plantes : poufs, sacs et babouches.",
             "جلد مدبوغ بالنباتات: بوفات وحقائب وبلغات."),
    "1.03": ("Tagines, plates and bowls thrown and painted by hand.",
             "Tajines, assiettes et bols tournés et peints à la main.",
             "طواجين وصحون وزلافات مشكلة ومزخرفة يدويا."),
    "1.04": ("Thuya marquetry and carved cedar.", "Marqueterie de thuya et cèdre sculpté.", "ترصيع العرعار والأرز المنقوش."),
    "1.05": ("Copper, brass, silver and wrought iron.", "Cuivre, laiton, argent et fer forgé.", "النحاس والفضة والحديد المطروق."),
    "1.06": ("Zellige, carved plaster and stone.", "Zellige, plâtre sculpté et pierre.", "الزليج والجبس المنقوش والحجر."),
    "1.07": ("Baskets and mats of doum palm and reed.", "Paniers et nattes en doum et en roseau.", "سلال وحصائر من الدوم والقصب."),
    "1.08": ("Argan oil and natural products of the cooperatives.", "Huile d'argan et produits naturels des coopératives.", "زيت الأركان والمنتجات الطبيعية للتعاونيات."),
    "2.01": ("Tadelakt and finishes for the home.", "Tadelakt et finitions pour la maison.", "تادلاكت وتشطيبات للبيت."),
}

# Quality label schemes: (code, kind, (name en, fr, ar), issuing body, validity months, criteria,
# levels: (name en, fr, ar))
LABEL_SCHEMES = [
    ("LNA", "national_label", ("National handicraft label", "Label national de l'artisanat", "العلامة الوطنية للصناعة التقليدية"),
     "Ministry of Tourism, Handicraft and Social Economy", 36,
     ["Made by hand by a registered artisan or cooperative", "Natural or traditional materials, declared",
      "Finish and solidity checked on a sample", "Traceable to the workshop"],
     [("Bronze", "Bronze", "برونزي"), ("Silver", "Argent", "فضي"), ("Gold", "Or", "ذهبي")]),
    ("TZN", "collective_mark", ("Taznakht rug collective mark", "Marque collective Tapis de Taznakht", "العلامة الجماعية لزربية تازناخت"),
     "Taznakht weavers' association", 24,
     ["Hand-knotted in the Taznakht area", "Wool spun and dyed locally", "At least 60,000 knots per square metre"], []),
    ("ARG", "geographical_indication", ("Argane protected geographical indication", "Indication géographique protégée Argane",
                                        "البيان الجغرافي المحمي أركان"),
     "Argane PGI association (AMIGHA)", 12,
     ["Kernels from the argan forests of the designated area", "Cold-pressed, no solvent", "Batch analysis on file"], []),
]

# Demo quality labels: (seller, scheme code, level, what became of it, how many of its products).
DEMO_LABELS = [
    ("Coopérative Tifaouine des Tisseuses", "TZN", "", "active", 2),
    ("Coopérative Tifaouine des Tisseuses", "LNA", "Gold", "active", 1),
    ("Coopérative Tamount Zenaga", "TZN", "", "active", 1),
    ("Coopérative Tighanimine", "ARG", "", "active", 2),
    ("Dinanderie Al Attarine", "LNA", "Silver", "active", 1),
    ("Coopérative Marjana d'Essaouira", "ARG", "", "suspended", 1),
    ("Zellige Fassi", "LNA", "Bronze", "revoked", 1),
    ("Coopérative Ajddigue", "ARG", "", "assigned", 1),
    ("Poterie de la Colline des Potiers", "LNA", "", "submitted", 1),
    ("Atelier Seffarine", "LNA", "", "rejected", 1),
]

# Shipping zones of the demo (prices per parcel in MAD, by weight band in grams); other countries are
# not served, so a buyer there is told before checkout.
SHIPPING_ZONES = [
    ("Morocco", "MA", 3, [(2000, "45"), (10000, "90"), (30000, "180")]),
    ("European Union and United Kingdom",
     "AT BE BG CY CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK", 7,
     [(2000, "190"), (5000, "320"), (10000, "520"), (30000, "1150")]),
    ("North America", "CA US", 9, [(2000, "290"), (5000, "480"), (10000, "790"), (30000, "1690")]),
    ("Gulf states", "AE BH KW OM QA SA", 8, [(2000, "260"), (5000, "420"), (10000, "690"), (30000, "1450")]),
]

# Members by gender, as the cooperatives declared them (women, men). Cooperatives missing here gave
# no numbers; artisans and enterprises have no members to declare.
# Sample: sellers' names in the other script, as sellers give them at registration (shown on Arabic pages).
NAME_ALTERNATES = {
    "Coopérative Tifaouine des Tisseuses": "تعاونية تيفاوين للنساجات",
    "Dinanderie Al Attarine": "نحاسة العطارين",
    "Zellige Fassi": "الزليج الفاسي",
}

MEMBERS = {
    "Coopérative Tifaouine des Tisseuses": (42, 0),
    "Coopérative Aït Bouguemez": (27, 6),
    "Coopérative Akhnif des Femmes d'Azilal": (35, 0),
    "Coopérative Tamount Zenaga": (24, 3),
    "Coopérative Boujad Hanbel": (18, 2),
    "Zellige Fassi": (2, 21),
    "Coopérative Zellige Ain Nokbi": (0, 14),
    "Poterie de la Colline des Potiers": (4, 17),
    "Coopérative Tamegroute Céramique": (3, 12),
    "Coopérative Tighanimine": (60, 0),
    "Coopérative Marjana d'Essaouira": (48, 0),
    "Coopérative Ajddigue": (55, 0),
    "Tannerie Chouara Artisans": (1, 26),
    "Coopérative Cèdre d'Azrou": (0, 11),
    "Sabra Fès Brocart": (9, 7),
    "Coopérative Doum Chefchaouen": (22, 3),
    "Coopérative Argent de Guelmim": (5, 9),
    "Broderie de Tétouan Al Mandri": (31, 0),
    "Coopérative Broderie Zemmour": (26, 1),
    "Coopérative Nisae Dakhla": (19, 0),
}


# Bank accounts for transfers: SAMPLE data, not real accounts (bank, holder, IBAN or RIB, SWIFT, currencies).
BANK_ACCOUNTS = [
    ("Demo Bank Maroc (SAMPLE, do not pay)", "Chamber of Handicraft (SAMPLE ACCOUNT)",
     "MA64 0000 0000 0000 0000 0000 0000", "DEMOMAMC", "MAD"),
    ("Demo Bank Europe (SAMPLE, do not pay)", "Chamber of Handicraft (SAMPLE ACCOUNT)",
     "FR76 0000 0000 0000 0000 0000 000", "DEMOFRPP", "EUR"),
]
