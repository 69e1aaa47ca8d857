from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog.models import ProductPage
from search.backends import get_listing_backend
from search.services import listing_documents_rebuild
from search.vocabulary import vocabulary_rebuild


class Command(BaseCommand):
    help = "Rebuild every listing document, the search engine's index and the vocabulary, with a progress bar."

    def handle(self, *args, **options):
        total = ProductPage.objects.count()
        with tqdm(total=total, unit="page", desc="documents", file=self.stderr, disable=options["verbosity"] < 1) as bar:
            listed = listing_documents_rebuild(progress=bar.update)
        backend = get_listing_backend()
        rebuilt = getattr(backend, "index_rebuild", None)
        if rebuilt is not None:
            with tqdm(total=listed, unit="doc", desc=backend.name, file=self.stderr, disable=options["verbosity"] < 1) as bar:
                rebuilt(progress=bar.update)
        terms = vocabulary_rebuild()
        self.stdout.write(self.style.SUCCESS(f"{listed} listed pages of {total} indexed ({backend.name}); "
                                             f"{terms} terms in the vocabulary."))
