from django.core.management.base import BaseCommand

from search.vocabulary import vocabulary_rebuild


class Command(BaseCommand):
    help = "Recount the search vocabulary (the words of the listed documents, per language) from scratch."

    def handle(self, *args, **options):
        terms = vocabulary_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{terms} terms in the search vocabulary."))
