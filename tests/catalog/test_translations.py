"""Every listing in every language: a page created in one language gets aliases in the others, which show
its text marked "not yet translated", follow it (publish, unpublish, delete, move), are found by search
in each language, and become ordinary pages when translated."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowState

from catalog.machine_translation import MachineTranslationBackend, MachineTranslationError
from catalog.models import ProductPage, SellerPage, readable_slug
from catalog.services import (
    CHAMBER_REVIEW_WORKFLOW,
    page_translations_ensure,
    seller_workspace_open,
)
from search.backends import ListingQuery
from search.backends.database import DatabaseListingBackend
from search.services import listing_index_update
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import image_create, product_create_in_one_language
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


class BracketTranslationBackend(MachineTranslationBackend):
    """A provider for tests: marks each text with the target language."""

    def translate(self, texts, *, source, target):
        return [f"[{target}] {text}" if text else text for text in texts]


class FailingTranslationBackend(MachineTranslationBackend):
    def translate(self, texts, *, source, target):
        raise MachineTranslationError("provider down")


def _seller(tree, letter="A", *, trusted=True):
    seller = SellerFactory(legal_name=f"Cooperative {letter}", slug=f"cooperative-{letter.lower()}",
                           status=Seller.Status.VERIFIED, trusted=trusted)
    manager = SellerMemberFactory(seller=seller, role=SellerMember.Role.MANAGER, user__username=f"manager-{letter}")
    pages = seller_workspace_open(seller=seller)
    return seller, pages, manager.user


def _translations(page):
    return {p.locale.language_code: p for p in ProductPage.objects.filter(translation_key=page.translation_key).select_related("locale")}


@pytest.fixture
def seller_a(tree):
    return _seller(tree, "A")


@pytest.fixture
def listed(seller_a, django_capture_on_commit_callbacks):
    """An English-only product, its aliases created on commit as a seller's listing gets them."""
    _seller_obj, pages, _user = seller_a
    with django_capture_on_commit_callbacks(execute=True):
        page = product_create_in_one_language(pages, title="Azilal rug", alt_text="An ivory rug on a tiled floor")
    return page


class TestAliasesOnCreation:
    def test_a_page_created_in_english_exists_at_once_in_french_and_arabic(self, listed, seller_a):
        translations = _translations(listed)

        assert set(translations) == {"en", "fr", "ar"}
        for language in ("fr", "ar"):
            alias = translations[language]
            assert alias.alias_of_id == listed.pk
            assert alias.live
            assert alias.title == "Azilal rug"
            assert alias.product_id == listed.product_id  # commercial data, once for all languages
            assert alias.get_parent().pk == seller_a[1][language].pk

    def test_the_sync_is_idempotent_and_never_duplicates_a_translation(self, listed):
        assert page_translations_ensure(page=listed) == []
        call_command("sync_page_translations", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert ProductPage.objects.filter(translation_key=listed.translation_key).count() == 3

    def test_a_page_given_real_translations_before_commit_gets_no_alias(self, seller_a, django_capture_on_commit_callbacks):
        _seller_obj, pages, _user = seller_a
        with django_capture_on_commit_callbacks(execute=True):
            page = product_create_in_one_language(pages, title="Boucherouite rug")
            french = product_create_in_one_language(pages, language="fr", title="Tapis boucherouite")
            Page.objects.filter(pk=french.pk).update(translation_key=page.translation_key)

        translations = _translations(page)
        assert translations["fr"].pk == french.pk and translations["fr"].alias_of_id is None
        assert translations["ar"].alias_of_id == page.pk

    def test_the_command_gives_an_existing_database_its_missing_languages(self, seller_a):
        _seller_obj, pages, _user = seller_a
        page = product_create_in_one_language(pages, title="Kilim")  # no commit: the sync never ran
        assert set(_translations(page)) == {"en"}

        call_command("sync_page_translations", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert set(_translations(page)) == {"en", "fr", "ar"}
        call_command("sync_page_translations", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert ProductPage.objects.filter(translation_key=page.translation_key).count() == 3

    def test_no_alias_goes_to_a_language_the_site_does_not_have(self, tree):
        seller, pages, _user = _seller(tree)
        Page.objects.filter(pk=tree.homes["ar"].pk).update(translation_key="00000000-0000-0000-0000-000000000000")
        page = product_create_in_one_language(pages, title="Hanbel")

        created = page_translations_ensure(page=page)

        assert [alias.locale.language_code for alias in created] == ["fr"]


class TestAliasesFollowTheirSource:
    def test_a_draft_submitted_for_review_is_published_in_every_language_once_approved(
        self, tree, django_capture_on_commit_callbacks
    ):
        seller, pages, user = _seller(tree, "B", trusted=False)
        with django_capture_on_commit_callbacks(execute=True):
            page = product_create_in_one_language(pages, title="Zanafi rug", live=False)
        translations = _translations(page)
        assert not translations["fr"].live and not translations["ar"].live  # nothing public before review

        workflow = Workflow.objects.get(name=CHAMBER_REVIEW_WORKFLOW)
        staff = UserFactory(username="staff")
        staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
        GroupPagePermission.objects.get_or_create(
            group=Group.objects.get(name=CHAMBER_STAFF_GROUP), page=Page.get_first_root_node(), permission_id=_perm("publish_page"))
        workflow.start(page, user)
        task_state = page.current_workflow_task_state
        task_state.task.on_action(task_state, staff, "approve")

        translations = _translations(page)
        assert translations["en"].live
        assert translations["fr"].live and translations["ar"].live  # one review, for every language
        assert not WorkflowState.objects.filter(base_content_type__isnull=False, object_id__in=[
            str(translations["fr"].pk), str(translations["ar"].pk)]).exists()

    def test_a_new_text_published_in_english_reaches_the_untranslated_pages(self, listed):
        listed.title = "Azilal rug, ivory"
        listed.save_revision().publish()
        assert {p.title for p in _translations(listed).values()} == {"Azilal rug, ivory"}

    def test_unpublishing_the_source_unpublishes_its_aliases(self, listed):
        listed.unpublish()
        assert not any(p.live for p in _translations(listed).values())

    def test_deleting_the_source_deletes_its_aliases(self, listed):
        key = listed.translation_key
        listed.delete()
        assert not ProductPage.objects.filter(translation_key=key).exists()

    def test_a_suspended_sellers_untranslated_pages_leave_and_come_back_with_their_source(self, listed, seller_a):
        from sellers.services import seller_reinstate, seller_suspend

        staff = UserFactory(username="staff", is_superuser=True)
        seller_suspend(seller=seller_a[0], by=staff, reason="Documents expired.")
        assert not any(p.live for p in _translations(listed).values())

        seller_reinstate(seller=Seller.objects.get(pk=seller_a[0].pk), by=staff)
        translations = _translations(listed)
        assert {k: p.live for k, p in translations.items()} == {"en": True, "fr": True, "ar": True}
        assert translations["fr"].alias_of_id == listed.pk

    def test_moving_the_source_moves_its_aliases_to_the_new_parents_translations(self, listed, tree):
        _seller_c, pages_c, _user = _seller(tree, "C")
        listed.move(pages_c["en"], pos="last-child")

        for language, page in _translations(listed).items():
            assert page.get_parent().pk == pages_c[language].pk


class TestUntranslatedPage:
    def test_french_and_arabic_pages_answer_with_the_english_text_marked_not_yet_translated(self, client, listed):
        translations = _translations(listed)
        for language in ("fr", "ar"):
            response = client.get(translations[language].url)
            html = response.content.decode()
            assert response.status_code == 200, language
            assert 'lang="en" dir="ltr">Azilal rug</h1>' in html
            assert "untranslated-note" in html
            assert 'alt="An ivory rug on a tiled floor"' in html

        english = client.get(listed.url).content.decode()
        assert "untranslated-note" not in english and "<h1>Azilal rug</h1>" in english

    def test_a_translated_page_is_no_longer_marked(self, client, listed):
        french = _translations(listed)["fr"]
        french.alias_of = None
        french.title = "Tapis Azilal"
        french.save()
        html = client.get(french.url).content.decode()
        assert "untranslated-note" not in html and "<h1>Tapis Azilal</h1>" in html


class TestSearchInEveryLanguage:
    def test_the_english_only_product_is_found_in_french_and_arabic(self, listed):
        listing_index_update(ProductPage.objects.filter(translation_key=listed.translation_key).values_list("pk", flat=True))
        backend = DatabaseListingBackend()
        for language in ("en", "fr", "ar"):
            results = backend.search(ListingQuery(text="azilal", language=language))
            assert results.total == 1, language
            assert results.page_ids == [_translations(listed)[language].pk]


class TestReadableSlugs:
    @pytest.mark.parametrize(
        ("title", "slug"),
        [("زربية أمازيغية", "zrbyh-mzyghyh"), ("Tapis berbère à Taznakht", "tapis-berbere-a-taznakht"), ("Huile d'argan", "huile-dargan")],
    )
    def test_titles_in_any_script_give_readable_ascii(self, title, slug):
        assert readable_slug(title) == slug

    def test_an_arabic_title_gives_an_ascii_slug_unique_under_its_parent(self, seller_a):
        _seller_obj, pages, _user = seller_a
        first = product_create_in_one_language(pages, language="ar", title="زربية أمازيغية")
        second = product_create_in_one_language(pages, language="ar", title="زربية أمازيغية")
        assert first.slug == "zrbyh-mzyghyh"
        assert second.slug == "zrbyh-mzyghyh-1"


class TestAltTextPerLanguage:
    def test_each_language_has_its_own_alt_text_and_an_untranslated_one_falls_back(self, listed):
        translations = _translations(listed)
        assert translations["fr"].gallery_images.get().alt == "An ivory rug on a tiled floor"
        french = translations["fr"]
        french.alias_of = None
        french.save()
        image = french.gallery_images.get()
        image.alt_text = "Un tapis ivoire sur un sol carrelé"
        image.save()
        assert listed.gallery_images.get().alt == "An ivory rug on a tiled floor"
        assert french.gallery_images.get().alt == "Un tapis ivoire sur un sol carrelé"

    def test_without_alt_text_the_page_title_describes_the_photo(self, seller_a):
        page = product_create_in_one_language(seller_a[1], title="Tea glasses", image=image_create("IMG_0042"))
        assert page.gallery_images.get().alt == "Tea glasses"


def _perm(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename).pk


class TestTranslating:
    def test_translating_converts_the_alias_into_an_ordinary_page_the_seller_edits(self, client, listed, seller_a):
        french = _translations(listed)["fr"]
        client.force_login(seller_a[2])
        assert client.get(reverse("wagtailadmin_pages:edit", args=(french.pk,))).status_code == 200  # "an alias of…"
        assert client.get(reverse("wagtailadmin_pages:convert_alias", args=(french.pk,))).status_code == 200

        response = client.post(reverse("wagtailadmin_pages:convert_alias", args=(french.pk,)))

        assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=(french.pk,))
        french.refresh_from_db()
        assert french.alias_of_id is None
        assert client.get(response.url).status_code == 200
        listed.title = "Azilal rug, ivory"
        listed.save_revision().publish()
        french.refresh_from_db()
        assert french.title == "Azilal rug"  # independent now: the English text no longer overwrites it

    def test_no_provider_by_default_leaves_the_source_text(self, client, listed, seller_a):
        french = _translations(listed)["fr"]
        client.force_login(seller_a[2])
        client.post(reverse("wagtailadmin_pages:convert_alias", args=(french.pk,)))
        assert ProductPage.objects.get(pk=french.pk).get_latest_revision_as_object().title == "Azilal rug"

    def test_a_configured_provider_prefills_a_draft_to_check(self, client, listed, seller_a, settings):
        settings.MACHINE_TRANSLATION = {"BACKEND": f"{__name__}.BracketTranslationBackend", "OPTIONS": {}}
        arabic = _translations(listed)["ar"]
        client.force_login(seller_a[2])

        client.post(reverse("wagtailadmin_pages:convert_alias", args=(arabic.pk,)))

        arabic = ProductPage.objects.get(pk=arabic.pk)
        draft = arabic.get_latest_revision_as_object()
        assert draft.title == "[ar] Azilal rug"
        assert draft.description.startswith("[ar] <p>")
        assert list(draft.gallery_images.all())[0].alt_text == "[ar] An ivory rug on a tiled floor"
        assert arabic.title == "Azilal rug" and arabic.has_unpublished_changes  # live text unchanged until published

    def test_a_failing_provider_leaves_the_source_text(self, client, listed, seller_a, settings):
        settings.MACHINE_TRANSLATION = {"BACKEND": f"{__name__}.FailingTranslationBackend"}
        arabic = _translations(listed)["ar"]
        client.force_login(seller_a[2])
        response = client.post(reverse("wagtailadmin_pages:convert_alias", args=(arabic.pk,)))
        assert response.status_code == 302
        assert ProductPage.objects.get(pk=arabic.pk).get_latest_revision_as_object().title == "Azilal rug"


class TestTranslationQueue:
    @pytest.fixture
    def two_sellers(self, tree, django_capture_on_commit_callbacks):
        seller_a, pages_a, user_a = _seller(tree, "A")
        seller_b, pages_b, user_b = _seller(tree, "B")
        with django_capture_on_commit_callbacks(execute=True):
            rug_a = product_create_in_one_language(pages_a, title="Rug of A")
            rug_b = product_create_in_one_language(pages_b, language="fr", title="Tapis de B")
        return rug_a, rug_b, user_a, user_b

    def test_a_seller_sees_only_its_own_pages_to_translate(self, client, two_sellers):
        rug_a, rug_b, user_a, _user_b = two_sellers
        client.force_login(user_a)

        response = client.get(reverse("translation_queue"))

        assert response.status_code == 200
        html = response.content.decode()
        assert "Rug of A" in html and "Tapis de B" not in html
        ids = {page.pk for page in response.context["pages"]}
        assert ids == {page.pk for page in _translations(rug_a).values() if page.alias_of_id}

    def test_chamber_staff_see_every_seller_and_can_filter_by_language(self, client, two_sellers):
        rug_a, rug_b, _user_a, _user_b = two_sellers
        staff = UserFactory(username="staff")
        chamber = Group.objects.get(name=CHAMBER_STAFF_GROUP)
        chamber.permissions.add(_permission_object("wagtailadmin", "access_admin"))
        GroupPagePermission.objects.create(group=chamber, page=Page.get_first_root_node(), permission_id=_perm("change_page"))
        staff.groups.add(chamber)
        client.force_login(staff)

        everything = client.get(reverse("translation_queue")).context["pages"]
        english = client.get(reverse("translation_queue"), {"locale": "en"}).context["pages"]

        assert {page.title for page in everything} == {"Rug of A", "Tapis de B"}
        assert len(everything) == 4
        assert [page.pk for page in english] == [_translations(rug_b)["en"].pk]

    def test_a_seller_cannot_translate_another_sellers_page(self, client, two_sellers):
        _rug_a, rug_b, user_a, _user_b = two_sellers
        client.force_login(user_a)
        alias_b = _translations(rug_b)["en"]
        response = client.post(reverse("wagtailadmin_pages:convert_alias", args=(alias_b.pk,)))
        assert response.status_code in (302, 403) and ProductPage.objects.get(pk=alias_b.pk).alias_of_id == rug_b.pk

    def test_a_translated_page_leaves_the_queue(self, client, two_sellers):
        rug_a, _rug_b, user_a, _user_b = two_sellers
        client.force_login(user_a)
        client.post(reverse("wagtailadmin_pages:convert_alias", args=(_translations(rug_a)["fr"].pk,)))
        pages = client.get(reverse("translation_queue")).context["pages"]
        assert [page.locale.language_code for page in pages] == ["ar"]

    @pytest.mark.parametrize("role", ["anonymous", "buyer"])
    def test_people_without_page_permissions_are_refused(self, client, two_sellers, role):
        if role == "buyer":
            client.force_login(UserFactory(username="buyer"))
        response = client.get(reverse("translation_queue"))
        assert response.status_code in (302, 403)
        assert "Rug of A" not in response.content.decode()


def _permission_object(app_label, codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def test_seller_pages_opened_by_verification_are_real_pages_in_every_language(tree):
    seller, pages, _user = _seller(tree, "D")
    assert {page.alias_of_id for page in SellerPage.objects.filter(seller=seller)} == {None}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_product_created_in_the_wagtail_editor_gets_its_languages_with_its_photos(client, tree):
    """As in production: no test transaction around the request, so the sync runs when Wagtail commits."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

    from tests.factories.sellers import region, trade

    _seller_obj, pages, user = _seller(tree, "E")
    client.force_login(user)
    image = image_create()
    from wagtail.models import Collection

    image.collection = Collection.objects.get(name__startswith="Cooperative E (")
    image.save()
    data = nested_form_data({
        "title": "Tapis de Taznakht",
        "slug": "tapis-de-taznakht",
        "description": rich_text("<p>Laine nouée main.</p>"),
        "gallery_images": inline_formset([{"image": image.pk, "alt_text": "Un tapis rouge"}]),
        "product_price": "2500.00", "product_stock": "4", "product_min_order_quantity": "1",
        "product_craft": trade("1.01.01").pk, "product_origin_region": region("MA-05").pk,
        "product_hs_code": "570110", "product_weight_grams": "5000",
        "action-publish": "action-publish",
    })

    response = client.post(reverse("wagtailadmin_pages:add", args=("catalog", "productpage", pages["fr"].pk)), data)

    assert response.status_code == 302, (response.context["form"].errors, [f.errors for f in response.context["form"].formsets.values()])
    source = ProductPage.objects.get(locale__language_code="fr", title="Tapis de Taznakht")
    assert source.slug == "tapis-de-taznakht"
    translations = _translations(source)
    assert set(translations) == {"en", "fr", "ar"}
    for language in ("en", "ar"):
        alias = translations[language]
        assert alias.live and alias.alias_of_id == source.pk and alias.product_id == source.product_id
        assert [item.alt_text for item in alias.gallery_images.all()] == ["Un tapis rouge"]
        assert client.get(alias.url).status_code == 200


class TestWrittenTranslationsReplaceAliases:
    def test_a_translation_written_where_an_alias_stands_takes_its_place(self, listed, seller_a):
        from wagtail.models import Locale

        alias = _translations(listed)["fr"]
        french = ProductPage(
            title="Tapis Azilal", slug=alias.slug, product=listed.product, description="<p>Laine.</p>",
            locale=Locale.objects.get(language_code="fr"), translation_key=listed.translation_key,
        )
        seller_a[1]["fr"].add_child(instance=french)

        translations = _translations(listed)
        assert translations["fr"].pk == french.pk and translations["fr"].alias_of_id is None
        assert not ProductPage.objects.filter(pk=alias.pk).exists()
        assert french.slug == alias.slug


def test_the_demo_seed_with_the_sync_running_creates_no_alias_and_no_duplicate(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--products", "6", "--history-months", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--products", "6", "--history-months", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert not Page.objects.filter(alias_of__isnull=False).exists()
    assert ProductPage.objects.count() == 18
    assert set(ProductPage.objects.values_list("locale__language_code", flat=True)) == {"en", "fr", "ar"}
