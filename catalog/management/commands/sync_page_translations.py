from django.core.management.base import BaseCommand

from catalog.services import page_translations_ensure_all


class Command(BaseCommand):
    help = (
        "Give every product, seller and section page its missing languages (aliases showing the source "
        "text until translated). Idempotent: run it once on a database filled before this was automatic."
    )

    def handle(self, *args, **options):
        created = page_translations_ensure_all()
        self.stdout.write(f"{created} page(s) created in missing languages.")
