"""Loads the reference data shipped in ``sellers/data/``: regions and the trade nomenclatures.

Used by a data migration (with the historical models) and by tests; idempotent.
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def regions_load(Region) -> int:
    rows = json.loads((DATA_DIR / "regions.json").read_text(encoding="utf-8"))["regions"]
    for country, code, name, name_fr, name_ar in rows:
        Region.objects.update_or_create(
            code=code, defaults={"country": country, "name": name, "name_fr": name_fr, "name_ar": name_ar}
        )
    return len(rows)


def trades_load(Trade) -> int:
    nomenclatures = json.loads((DATA_DIR / "trades.json").read_text(encoding="utf-8"))["trades"]
    count = 0
    for country, rows in nomenclatures.items():
        by_code = {}
        for code, parent_code, name, name_fr, name_ar in rows:  # parents come before their children
            by_code[code], _ = Trade.objects.update_or_create(
                country=country,
                code=code,
                defaults={
                    "parent": by_code[parent_code] if parent_code else None,
                    "level": code.count(".") + 1,
                    "name": name,
                    "name_fr": name_fr,
                    "name_ar": name_ar,
                },
            )
            count += 1
    return count
