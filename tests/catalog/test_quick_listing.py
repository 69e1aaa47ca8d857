"""The quick "Add a product" form: one service call lists a product, in the seller's language, with
its photos (HEIC from a phone too), sent for the chamber's checking."""

import io
from datetime import timedelta
from decimal import Decimal

import pillow_heif
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection, WorkflowState

from catalog.models import CraftHsSuggestion, PendingListingPhoto, Product, ProductPage
from catalog.selectors import seller_workspace_summaries
from catalog.services import (
    pending_listing_photos_expire,
    product_listing_create,
    seller_workspace_open,
)
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.catalog import jpeg_bytes, product_create, seller_pages
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, trade
from tests.test_fuzz_public import HOSTILE_TEXT

pytestmark = pytest.mark.django_db


def heic_bytes(width=64, height=48) -> bytes:
    """A real HEIC photo, as an iPhone takes them."""
    buffer = io.BytesIO()
    pillow_heif.from_pillow(PILImage.new("RGB", (width, height), (120, 80, 40))).save(buffer, quality=60)
    return buffer.getvalue()


def jpeg_upload(name="rug.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


@pytest.fixture
def seller(tree):
    seller = SellerFactory(legal_name="Coopérative Amal", slug="cooperative-amal", language="fr")
    seller.trades.set([trade("1.03.01"), trade("1.01.01")])
    seller_workspace_open(seller=seller)
    return seller


@pytest.fixture
def member(seller):
    user = SellerMemberFactory(seller=seller, role=SellerMember.Role.MEMBER, user__username="amal-member").user
    seller_workspace_open(seller=seller)  # adds the member to the workspace group
    return user


def listing(seller, member, **overrides):
    values = {
        "seller": seller, "user": member, "title": "Tajine peint", "price": Decimal("350"), "stock": 4,
        "craft": trade("1.03.01"), "weight_kg": Decimal("1.2"), "hs_code": "6912.00", "photos": [jpeg_upload()],
    }
    return product_listing_create(**{**values, **overrides})


class TestHsSuggestions:
    def test_the_main_crafts_have_a_sample_suggestion_from_the_migration(self, db):
        rugs = CraftHsSuggestion.objects.get(craft=trade("1.01.01"))
        assert rugs.hs_code == "5701.10" and rugs.is_sample
        assert CraftHsSuggestion.objects.get(craft=trade("1.08.01")).hs_code.startswith("1515")
        assert CraftHsSuggestion.objects.get(craft=trade("2.01.01", country="CM")).hs_code.startswith("6912")


class TestProductListingCreate:
    def test_lists_the_product_in_the_sellers_language_sent_for_checking(self, seller, member):
        page = listing(seller, member)
        assert page.locale.language_code == "fr"
        assert page.get_parent().specific.seller == seller
        assert not page.live
        state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
        assert state.requested_by == member
        product = page.product
        assert (product.price, product.stock, product.weight_grams, product.hs_code) == (Decimal("350"), 4, 1200, "6912.00")
        assert product.origin_region == seller.region
        image = page.gallery_images.get().image
        assert image.collection == Collection.objects.get(name=f"{seller.legal_name} ({seller.pk})")
        assert (image.width, image.height) == (64, 48)

    def test_the_slug_is_readable_ascii_and_unique(self, seller, member):
        first = listing(seller, member, title="زربية أمازيغية")
        second = listing(seller, member, title="زربية أمازيغية")
        assert first.slug.isascii() and first.slug.startswith("zrby")
        assert second.slug != first.slug and second.slug.startswith(first.slug) and second.slug.isascii()

    def test_a_trusted_seller_is_published_at_once(self, seller, member):
        seller.trusted = True
        seller.save()
        seller_workspace_open(seller=seller)
        assert listing(seller, member).live

    def test_someone_outside_the_seller_is_refused(self, seller, member):
        with pytest.raises(PermissionDenied):
            listing(seller, UserFactory(username="outsider"))

    def test_nothing_is_saved_when_a_value_is_wrong(self, seller, member):
        images, products, pages = get_image_model().objects.count(), Product.objects.count(), ProductPage.objects.count()
        with pytest.raises(ValidationError) as error:
            listing(seller, member, hs_code="12")
        assert "hs_code" in error.value.message_dict
        assert (get_image_model().objects.count(), Product.objects.count(), ProductPage.objects.count()) == (images, products, pages)


class TestQuickListingView:
    def url(self, seller):
        return reverse("seller_product_add", args=[seller.pk])

    def data(self, **overrides):
        return {"title": "Tajine peint", "price": "350", "stock": "4", "weight_kg": "1,2".replace(",", "."),
                "craft": str(trade("1.03.01").pk), "hs_code": "", **overrides}

    def test_the_form_says_mad_and_suggests_the_hs_code_of_the_sellers_craft(self, client, seller, member):
        client.force_login(member)
        response = client.get(self.url(seller))
        assert response.status_code == 200
        content = response.content.decode()
        assert "Price in MAD" in content
        assert 'value="5701.10"' in content  # rugs, the first of the seller's own crafts
        assert 'accept="image/*' in content and "capture" not in content
        assert "Send for checking" in content

    def test_a_heic_photo_from_a_phone_lists_the_product(self, client, seller, member):
        client.force_login(member)
        photo = SimpleUploadedFile("IMG_0001.HEIC", heic_bytes(), content_type="image/heic")
        response = client.post(self.url(seller), {**self.data(), "photos": [photo]})
        assert response.status_code == 302, response.content.decode()[:2000]
        page = ProductPage.objects.get(product__seller=seller)
        assert page.product.hs_code == "6912.00"  # left empty: the craft's suggestion
        image = page.gallery_images.get().image
        assert (image.width, image.height) == (64, 48)
        rendition = image.get_rendition("fill-32x32")
        assert rendition.file.name.endswith(".jpg")  # HEIC is shown to buyers as JPEG

    def test_photos_survive_a_form_error_and_are_attached_on_the_next_try(self, client, seller, member):
        client.force_login(member)
        response = client.post(self.url(seller), {**self.data(title=""), "photos": [jpeg_upload("kept.jpg")]})
        assert response.status_code == 200
        kept = PendingListingPhoto.objects.get(seller=seller, uploaded_by=member)
        assert "kept.jpg" in response.content.decode()
        assert not ProductPage.objects.filter(product__seller=seller).exists()
        response = client.post(self.url(seller), {**self.data(), "kept_photos": [kept.pk]})
        assert response.status_code == 302
        page = ProductPage.objects.get(product__seller=seller)
        assert page.gallery_images.get().image.file.name.split("/")[-1].startswith("kept")
        assert not PendingListingPhoto.objects.exists()

    def test_kept_photos_nobody_used_are_deleted_after_the_kept_days(self, client, seller, member, settings,
                                                                     django_capture_on_commit_callbacks):
        client.force_login(member)
        client.post(self.url(seller), {**self.data(title=""), "photos": [jpeg_upload("late.jpg")]})
        kept = PendingListingPhoto.objects.get()
        storage, name = kept.file.storage, kept.file.name
        assert storage.exists(name)
        assert pending_listing_photos_expire(now=kept.uploaded_at + timedelta(days=1)) == 0
        with django_capture_on_commit_callbacks(execute=True):
            expired = pending_listing_photos_expire(
                now=kept.uploaded_at + timedelta(days=settings.PENDING_LISTING_PHOTOS_KEPT_DAYS, seconds=1))
        assert expired == 1
        assert not PendingListingPhoto.objects.exists() and not storage.exists(name)

    def test_nobody_else_can_attach_someone_elses_kept_photo(self, client, seller, member):
        other = SellerMemberFactory(seller=seller, role=SellerMember.Role.MEMBER, user__username="amal-other").user
        seller_workspace_open(seller=seller)
        client.force_login(member)
        client.post(self.url(seller), {**self.data(title=""), "photos": [jpeg_upload("mine.jpg")]})
        kept = PendingListingPhoto.objects.get()
        client.force_login(other)
        response = client.post(self.url(seller), {**self.data(), "kept_photos": [kept.pk]})
        assert response.status_code == 200
        assert not ProductPage.objects.filter(product__seller=seller).exists()

    def test_a_damaged_photo_is_an_error_not_a_crash(self, client, seller, member):
        client.force_login(member)
        broken = SimpleUploadedFile("broken.jpg", jpeg_bytes()[:60], content_type="image/jpeg")
        response = client.post(self.url(seller), {**self.data(), "photos": [broken]})
        assert response.status_code == 200
        assert not ProductPage.objects.filter(product__seller=seller).exists()

    @pytest.mark.parametrize("who", ["staff", "other seller", "inspector-like user"])
    def test_only_the_sellers_members_may_use_it(self, client, seller, member, who):
        if who == "staff":
            user = UserFactory(username="staff-user")
            user.groups.add(Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0])
        elif who == "other seller":
            user = SellerMemberFactory(user__username="other-seller").user
        else:
            user = UserFactory(username="someone")
        client.force_login(user)
        assert client.get(self.url(seller)).status_code in (302, 403)
        assert client.post(self.url(seller), {**self.data(), "photos": [jpeg_upload()]}).status_code in (302, 403)
        assert not ProductPage.objects.filter(product__seller=seller).exists()

    def test_hostile_values_are_form_errors_never_a_crash(self, client, seller, member):
        client.force_login(member)
        for field in ("title", "price", "stock", "weight_kg", "craft", "hs_code", "description", "kept_photos"):
            for value in HOSTILE_TEXT:
                response = client.post(self.url(seller), {**self.data(), field: value})
                assert response.status_code < 500, (field, value)
        assert client.post(self.url(seller), {"photos": "not a file"}).status_code == 200
        assert not ProductPage.objects.filter(product__seller=seller).exists()

    def test_the_dashboard_button_opens_the_quick_form(self, client, seller, member):
        client.force_login(member)
        assert self.url(seller) in client.get(reverse("wagtailadmin_home")).content.decode()


class TestDashboardCounts:
    def test_ten_published_products_in_three_languages_count_ten(self, tree):
        seller = SellerFactory(status=Seller.Status.VERIFIED)
        user = SellerMemberFactory(seller=seller).user
        pages = seller_pages(tree, seller)
        for number in range(10):
            product_create(pages, title=f"Rug {number}")
        [summary] = seller_workspace_summaries(user=user)
        assert (summary.live, summary.drafts, summary.in_review) == (10, 0, 0)

    def test_a_product_sent_for_checking_counts_once_as_being_checked(self, seller, member):
        listing(seller, member)
        [summary] = seller_workspace_summaries(user=member)
        assert (summary.live, summary.drafts, summary.in_review) == (0, 0, 1)


class TestQuickListingProductSafety:
    def test_the_quick_form_takes_the_product_safety_answers(self, client, seller, member):
        client.force_login(member)
        data = {"title": "Tajine peint", "price": "350", "stock": "4", "weight_kg": "1.2",
                "craft": str(trade("1.03.01").pk), "hs_code": "", "photos": [jpeg_upload()],
                "product_identifier": "TAJ-12", "safety_warnings": "Pas pour la cuisson au four.",
                "care_instructions": "Laver à la main."}
        response = client.post(reverse("seller_product_add", args=[seller.pk]), data)
        assert response.status_code == 302
        page = ProductPage.objects.get(product__seller=seller)
        assert page.product.product_identifier == "TAJ-12"
        assert (page.safety_warnings, page.care_instructions) == ("Pas pour la cuisson au four.", "Laver à la main.")

    def test_warnings_and_no_warnings_needed_contradict_each_other(self, client, seller, member):
        client.force_login(member)
        data = {"title": "Tajine peint", "price": "350", "stock": "4", "weight_kg": "1.2",
                "craft": str(trade("1.03.01").pk), "hs_code": "", "photos": [jpeg_upload()],
                "safety_warnings": "Hot when used.", "no_safety_warnings": "on"}
        response = client.post(reverse("seller_product_add", args=[seller.pk]), data)
        assert response.status_code == 200 and "untick" in response.content.decode()
        assert not ProductPage.objects.filter(product__seller=seller).exists()
