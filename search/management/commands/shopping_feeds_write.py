from django.core.management.base import BaseCommand

from search.feeds import shopping_feeds_write


class Command(BaseCommand):
    help = "Write the shopping feeds now (the beat task does it every hour): one per language and display currency."

    def handle(self, *args, **options):
        for written in shopping_feeds_write():
            state = "written" if written.changed else "unchanged"
            self.stdout.write(f"/feeds/{written.name}.xml: {written.items} items, {state}")
