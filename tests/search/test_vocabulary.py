"""The vocabulary of the listings (kept in step with the documents, rebuilt by a command) and the
correction of query words to it: accents, case and Arabic letter forms folded, fast at 100k+ words."""

import time
from io import StringIO

import pytest
from django.core.management import call_command

from search.models import ListingDocument, SynonymSet, VocabularyTerm
from search.selectors import query_corrected, query_suggestions
from search.services import listing_index_update
from search.synonyms import expanded
from search.vocabulary import _loaded, vocabulary_correct, vocabulary_update
from search.words import fold, query_words
from tests.factories.catalog import product_create, seller_pages

pytestmark = pytest.mark.django_db


def terms(language):
    return dict(VocabularyTerm.objects.filter(language=language).values_list("term", "documents"))


class TestFolding:
    @pytest.mark.parametrize("typed, folded", [
        ("Berbère", "berbere"), ("ZELLIGE", "zellige"), ("Tâznakht", "taznakht"),
        ("زربيّة", "زربيه"), ("أركان", "اركان"), ("إبريق", "ابريق"), ("آنية", "انيه"), ("مصطفى", "مصطفي"),
        ("ٱلزليج", "الزليج"), ("زلـــيج", "زليج"),
    ])
    def test_accents_case_and_arabic_letter_forms_fold(self, typed, folded):
        assert fold(typed) == folded

    def test_french_elisions_are_not_words(self):
        assert query_words("Huile d'argan de l’Atlas") == ["huile", "argan", "de", "atlas"]


class TestKeptInStep:
    def test_indexing_counts_the_words_of_each_language_and_removal_uncounts_them(self, tree):
        pages = seller_pages(tree)
        tile = product_create(pages, title="Zellige tile")
        product_create(pages, title="Zellige fountain")
        assert terms("fr")["zellige"] == 2 and terms("fr")["fountain"] == 1
        assert VocabularyTerm.objects.get(language="ar", term="tile").form == "tile"
        tile.pages.update(live=False)
        listing_index_update(tile.pages.values_list("pk", flat=True))
        assert terms("fr")["zellige"] == 1 and "tile" not in terms("fr")

    def test_the_first_spelling_seen_is_kept_for_corrections(self, tree):
        product_create(seller_pages(tree), title="Tapis berbère")
        assert VocabularyTerm.objects.get(language="fr", term="berbere").form == "berbère"

    def test_the_command_recounts_what_drifted(self, tree):
        product_create(seller_pages(tree), title="Zellige tile")
        VocabularyTerm.objects.filter(term="zellige").update(documents=40)
        VocabularyTerm.objects.create(language="en", term="ghost", form="ghost", documents=3)
        call_command("search_vocabulary", stdout=StringIO())
        assert terms("en")["zellige"] == 1 and terms("en")["tile"] == 1 and "ghost" not in terms("en")


class TestCorrection:
    @pytest.fixture
    def listed(self, tree):
        pages = seller_pages(tree)
        product_create(pages, title="Zellige tile panel")
        product_create(pages, title="Taznakht rug")

    def test_a_word_one_or_two_edits_away_is_corrected_to_the_listings_spelling(self, listed):
        assert vocabulary_correct("zelige", "en") == "zellige"
        assert vocabulary_correct("taznakth", "en") == "taznakht"  # two letters swapped: one edit
        assert vocabulary_correct("zzelliige", "en") == "zellige"

    def test_known_short_and_far_words_are_left_alone(self, listed):
        assert vocabulary_correct("zellige", "en") == "zellige"
        assert vocabulary_correct("ru", "en") == "ru"
        assert vocabulary_correct("qwxzv", "en") == "qwxzv"
        assert vocabulary_correct("2026", "en") == "2026"

    def test_the_whole_query_keeps_its_other_words_and_synonyms(self, listed):
        SynonymSet.objects.create(terms="berber, berbère, amazigh")
        assert query_corrected("Zelige panel", "en") == "zellige panel"
        assert query_corrected("berber zelige", "en") == "berber zellige"  # a synonym is no misspelling
        assert query_corrected("zellige panel", "en") == "zellige panel"

    def test_arabic_letter_forms_are_rewritten_to_the_listings_spelling(self, tree):
        pages = seller_pages(tree)
        product_create(pages, title="زربية تازناخت")
        assert vocabulary_correct("زربيه", "ar") == "زربية"
        assert query_corrected("زربيه", "ar") == "زربية"

    def test_did_you_mean_offers_look_alike_words(self, listed):
        assert query_suggestions("tazznakkhtt", "en") == ["taznakht"]
        assert query_suggestions("qwxzv", "en") == []

    def test_correction_is_fast_with_a_large_vocabulary(self, listed):
        words = [f"{a}{b}{c}{d}ique" for a in "bcdfghjklm" for b in "aeiouy" for c in "bcdfghjklmnprstvz"
                 for d in "aeiouy" for _repeat in range(10)]
        rows = {f"{word}{index % 10}" for index, word in enumerate(words)}
        VocabularyTerm.objects.bulk_create(VocabularyTerm(language="en", term=term, form=term) for term in rows)
        vocabulary_update(removed=[], added=[ListingDocument(language="en", title="Newword", body="")])  # a new version
        _loaded.clear()
        assert len(rows) > 60_000
        vocabulary_correct("zelige", "en")  # loads the vocabulary once per process
        started = time.perf_counter()
        for _repeat in range(20):
            assert vocabulary_correct("zelige", "en") == "zellige"
            vocabulary_correct("bacaiqeu1", "en")
        assert (time.perf_counter() - started) / 40 < 0.02  # about 1 ms a word on a quiet machine


class TestSynonymExpansion:
    def test_phrases_are_matched_whole_and_longest_first(self, db):
        SynonymSet.objects.all().delete()
        SynonymSet.objects.create(terms="argan oil, huile d'argan, زيت أركان")
        SynonymSet.objects.create(terms="argan, argane")
        assert expanded(["huile", "argan", "pure"]) == [
            [("huile", "argan"), ("argan", "oil"), ("زيت", "أركان")], [("pure",)]]
        assert expanded(["argane"]) == [[("argane",), ("argan",)]]

    def test_a_set_needs_two_terms(self, db):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            SynonymSet(terms="lonely").full_clean()
        assert SynonymSet(terms="rug، زربية ,  tapis ").term_list == ["rug", "زربية", "tapis"]
