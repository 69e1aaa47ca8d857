"""The order history's invented guest buyers: where they live, what they are called, when they buy,
which carriers bring their parcels and why sellers sometimes turn an order down."""

# Names are combined at random; the addresses are example.org ones.

# How busy each calendar month is, January first: gifts before Christmas, a quiet summer.
SEASON = (0.85, 0.8, 0.9, 0.95, 0.95, 0.8, 0.7, 0.65, 0.9, 1.05, 1.35, 1.5)

BUYER_NAMES = {
    "fr": (("Camille", "Léa", "Manon", "Chloé", "Inès", "Julie", "Claire", "Mathilde", "Lucas", "Hugo", "Louis",
            "Thomas", "Antoine", "Julien"),
           ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Girard", "Bonnet", "Mercier",
            "Fontaine", "Rousseau", "Garnier", "Peeters", "Lambert")),
    "en": (("Emma", "Olivia", "Grace", "Hannah", "Sarah", "Emily", "Rachel", "James", "Daniel", "Michael",
            "Oliver", "Jack", "Henry", "Samuel"),
           ("Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clarke", "Walker", "Hughes", "Parker", "Reed",
            "Turner", "Bennett", "Collins", "Foster")),
    "de": (("Anna", "Lena", "Marie", "Julia", "Katharina", "Felix", "Jonas", "Lukas", "Paul", "Tobias"),
           ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Wagner", "Krüger")),
    "nl": (("Sanne", "Lotte", "Eva", "Fleur", "Daan", "Sem", "Bram", "Thijs"),
           ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Mulder", "de Boer", "Willems")),
    "es": (("Lucía", "María", "Carmen", "Elena", "Pablo", "Javier", "Diego", "Álvaro"),
           ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro")),
    "it": (("Giulia", "Chiara", "Francesca", "Sara", "Marco", "Luca", "Matteo", "Andrea"),
           ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo")),
    "nordic": (("Ebba", "Maja", "Freja", "Ida", "Erik", "Oskar", "Mads", "Emil"),
               ("Andersson", "Johansson", "Lindqvist", "Nielsen", "Jensen", "Hansen")),
    "pt": (("Beatriz", "Inês", "Mariana", "João", "Tiago", "Rui"), ("Silva", "Santos", "Ferreira", "Costa", "Oliveira")),
    "gulf": (("Fatima", "Mariam", "Noura", "Aisha", "Omar", "Khalid", "Yousef", "Hamad"),
             ("Al Mansoori", "Al Hashimi", "Al Marri", "Al Suwaidi", "Al Harbi", "Al Otaibi")),
}

# Where the history's buyers live: country -> (weight, currency, language, names, streets, (town, region,
# postal code)...). Only countries the demo's shipping zones serve; Morocco is left out, the platform
# being for exports. The Gulf pays in US dollars, to which its currencies are pegged.
DESTINATIONS = {
    "FR": (22, "EUR", "fr", "fr", ("{n} rue des Lilas", "{n} avenue de la République", "{n} boulevard Voltaire"),
           (("Paris", "", "75011"), ("Lyon", "", "69003"), ("Bordeaux", "", "33000"), ("Nantes", "", "44000"),
            ("Marseille", "", "13006"), ("Lille", "", "59000"), ("Toulouse", "", "31000"))),
    "US": (16, "USD", "en", "en", ("{n} Maple Street", "{n} Oak Avenue", "{n} Cedar Lane"),
           (("New York", "NY", "10013"), ("Brooklyn", "NY", "11201"), ("San Francisco", "CA", "94110"),
            ("Chicago", "IL", "60614"), ("Austin", "TX", "78704"), ("Seattle", "WA", "98103"),
            ("Boston", "MA", "02116"))),
    "DE": (10, "EUR", "en", "de", ("Lindenstraße {n}", "Gartenweg {n}", "Schillerstraße {n}"),
           (("Berlin", "", "10115"), ("Hamburg", "", "20095"), ("München", "", "80331"), ("Köln", "", "50667"))),
    "GB": (9, "GBP", "en", "en", ("{n} Church Road", "{n} Station Road", "{n} Victoria Street"),
           (("London", "", "N1 9GU"), ("Manchester", "", "M4 1HN"), ("Edinburgh", "", "EH1 1YZ"),
            ("Bristol", "", "BS1 4DJ"), ("Leeds", "", "LS1 4AP"))),
    "CA": (6, "CAD", "en", "en", ("{n} Maple Avenue", "{n} rue Saint-Denis"),
           (("Toronto", "ON", "M5V 2T6"), ("Montréal", "QC", "H2X 1Y4"), ("Vancouver", "BC", "V6B 1A1"),
            ("Ottawa", "ON", "K1P 5G4"))),
    "BE": (6, "EUR", "fr", "fr", ("Rue des Éperonniers {n}", "Avenue Louise {n}"),
           (("Bruxelles", "", "1000"), ("Liège", "", "4000"), ("Namur", "", "5000"))),
    "NL": (6, "EUR", "en", "nl", ("Kerkstraat {n}", "Prinsengracht {n}"),
           (("Amsterdam", "", "1015 BK"), ("Rotterdam", "", "3011 AD"), ("Utrecht", "", "3511 LN"))),
    "ES": (5, "EUR", "en", "es", ("Calle Mayor {n}", "Calle de Alcalá {n}"),
           (("Madrid", "M", "28013"), ("Barcelona", "B", "08002"), ("Valencia", "V", "46001"), ("Sevilla", "SE", "41004"))),
    "IT": (5, "EUR", "en", "it", ("Via Roma {n}", "Via Garibaldi {n}"),
           (("Roma", "RM", "00184"), ("Milano", "MI", "20121"), ("Torino", "TO", "10121"), ("Firenze", "FI", "50122"))),
    "SE": (2, "EUR", "en", "nordic", ("Storgatan {n}",), (("Stockholm", "", "11129"), ("Göteborg", "", "41138"))),
    "DK": (1, "EUR", "en", "nordic", ("Nørregade {n}",), (("København", "", "1165"),)),
    "AT": (2, "EUR", "en", "de", ("Lindengasse {n}",), (("Wien", "", "1070"), ("Graz", "", "8010"))),
    "PT": (2, "EUR", "en", "pt", ("Rua Augusta {n}",), (("Lisboa", "", "1100-048"), ("Porto", "", "4000-322"))),
    "IE": (1, "EUR", "en", "en", ("{n} Main Street",), (("Dublin", "", "D02 X285"),)),
    "AE": (3, "USD", "ar", "gulf", ("Villa {n}, Al Wasl Road",), (("Dubai", "Dubai", ""), ("Abu Dhabi", "Abu Dhabi", ""))),
    "SA": (2, "USD", "ar", "gulf", ("{n} King Fahd Road",), (("Riyadh", "", "12211"), ("Jeddah", "", "23431"))),
    "QA": (1, "USD", "ar", "gulf", ("Villa {n}, Street 820",), (("Doha", "", ""),)),
}

# Why a seller turned down its part of an order, as sellers write it.
DECLINE_REASONS = (
    "The last piece broke in the workshop and cannot be remade before the dispatch date.",
    "This piece was sold at our cooperative's shop the same morning; we are sorry.",
    "The glaze of this batch came out uneven; we will not send a second-quality piece.",
    "The weaver who makes this model is ill and the order cannot be finished in time.",
    "Our stock count was wrong: the colour ordered is no longer available.",
    "The workshop is closed for the harvest; we cannot pack the order this week.",
)

# The carriers sellers ship with: (name, tracking page, share of the parcels).
CARRIERS = (
    ("Amana", "https://www.poste.ma/", 5),
    ("DHL Express", "https://www.dhl.com/", 3),
    ("Aramex", "https://www.aramex.com/", 2),
)
