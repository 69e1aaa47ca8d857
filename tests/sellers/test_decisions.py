"""The chamber's decisions on a seller: verify, reject, suspend, reinstate, and what each changes."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.models import GroupPagePermission, ModelLogEntry

from catalog.models import ProductPage, SellerPage
from catalog.services import CHAMBER_REVIEW_WORKFLOW
from sellers.models import Seller
from sellers.services import (
    Registration,
    seller_register,
    seller_reinstate,
    seller_reject,
    seller_suspend,
    seller_verify,
)
from tests.factories.catalog import product_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="chamber", is_staff=True)


@pytest.fixture
def applicant(tree):
    member = SellerMemberFactory(seller=SellerFactory(status=Seller.Status.PENDING, register_number="4402/2016"))
    return member.seller


def decisions_logged(seller):
    return list(ModelLogEntry.objects.filter(object_id=str(seller.pk)).values_list("action", flat=True))


class TestVerify:
    def test_opens_the_workspace_pages_group_and_collection(self, applicant, staff, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            seller = seller_verify(seller=applicant, by=staff)

        assert seller.status == Seller.Status.VERIFIED and seller.verified_at
        pages = SellerPage.objects.filter(seller=seller)
        assert sorted(pages.values_list("locale__language_code", flat=True)) == ["ar", "en", "fr"]
        assert all(page.live for page in pages)
        manager = seller.members.get().user
        group = manager.groups.get()
        covered = set(GroupPagePermission.objects.filter(group=group).values_list("page_id", flat=True))
        assert covered == set(pages.values_list("pk", flat=True))
        assert "sellers.verify" in decisions_logged(seller)
        assert [message.to for message in mail.outbox] == [[seller.email]]
        assert "verified" in mail.outbox[0].subject

    def test_an_untrusted_seller_may_not_publish_by_itself(self, applicant, staff):
        seller_verify(seller=applicant, by=staff)
        group = applicant.members.get().user.groups.get()
        codenames = set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True))
        assert codenames == {"add_page", "change_page"}

    def test_an_informal_artisan_needs_its_number_recorded(self, tree, staff):
        informal = SellerFactory(kind="artisan", register_number="", status=Seller.Status.AWAITING_REGISTRATION)
        with pytest.raises(ValidationError, match="register number"):
            seller_verify(seller=informal, by=staff)
        seller = seller_verify(seller=informal, by=staff, register_number="RNA-00999888")
        assert seller.register_number == "RNA-00999888" and seller.status == Seller.Status.VERIFIED

    def test_a_number_registered_by_another_seller_is_refused_with_whom_to_contact(self, tree, staff, settings):
        SellerFactory(kind="artisan", register_number="RNA-00999888")
        informal = SellerFactory(kind="artisan", register_number="", status=Seller.Status.AWAITING_REGISTRATION)
        with pytest.raises(ValidationError) as error:
            seller_verify(seller=informal, by=staff, register_number="rna 00999888")
        assert settings.CHAMBER_CONTACT_EMAIL in str(error.value)
        informal.refresh_from_db()
        assert informal.status == Seller.Status.AWAITING_REGISTRATION

    def test_a_verified_seller_cannot_be_verified_again(self, applicant, staff):
        seller_verify(seller=applicant, by=staff)
        with pytest.raises(ValidationError, match="cannot be given this decision"):
            seller_verify(seller=applicant, by=staff)


class TestReject:
    def test_needs_a_reason_and_tells_the_applicant(self, applicant, staff, django_capture_on_commit_callbacks):
        with pytest.raises(ValidationError):
            seller_reject(seller=applicant, by=staff, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            seller = seller_reject(seller=applicant, by=staff, reason="The certificate is for another cooperative.")
        assert seller.status == Seller.Status.REJECTED
        assert "another cooperative" in mail.outbox[0].body
        assert not SellerPage.objects.filter(seller=seller).exists()
        assert "sellers.reject" in decisions_logged(seller)


class TestSuspendAndReinstate:
    def test_suspension_takes_the_listings_down_and_reinstating_brings_back_the_same(self, applicant, staff, tree):
        seller_verify(seller=applicant, by=staff)
        pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=applicant)}
        product = product_create(pages)
        draft = ProductPage.objects.get(product=product, locale__language_code="ar")
        draft.unpublish()  # was never public in Arabic: must stay so
        live_before = set(ProductPage.objects.live().filter(product=product).values_list("pk", flat=True))

        seller_suspend(seller=applicant, by=staff, reason="Counterfeit goods reported.")
        assert not ProductPage.objects.live().filter(product=product).exists()
        assert not SellerPage.objects.live().filter(seller=applicant).exists()

        seller_reinstate(seller=applicant, by=staff)
        assert set(ProductPage.objects.live().filter(product=product).values_list("pk", flat=True)) == live_before
        assert SellerPage.objects.live().filter(seller=applicant).count() == 3
        assert {"sellers.suspend", "sellers.reinstate"} <= set(decisions_logged(applicant))

    def test_suspension_needs_a_reason(self, applicant, staff):
        seller_verify(seller=applicant, by=staff)
        with pytest.raises(ValidationError):
            seller_suspend(seller=applicant, by=staff, reason="")

    def test_only_a_suspended_seller_can_be_reinstated(self, applicant, staff):
        with pytest.raises(ValidationError):
            seller_reinstate(seller=applicant, by=staff)


class TestChamberReview:
    def test_an_untrusted_sellers_listings_go_through_chamber_review(self, applicant, staff):
        seller_verify(seller=applicant, by=staff)
        pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=applicant)}
        product = product_create(pages)
        product_page = ProductPage.objects.get(product=product, locale__language_code="fr")
        workflow = product_page.get_workflow()
        assert workflow.name == CHAMBER_REVIEW_WORKFLOW
        assert [group.name for task in workflow.tasks for group in task.specific.groups.all()] == ["Chamber staff"]

    def test_a_trusted_seller_publishes_directly(self, tree, staff):
        trusted = SellerMemberFactory(seller=SellerFactory(status=Seller.Status.PENDING, trusted=True)).seller
        seller_verify(seller=trusted, by=staff)
        page = SellerPage.objects.filter(seller=trusted).first()
        assert page.get_workflow() is None or page.get_workflow().name != CHAMBER_REVIEW_WORKFLOW
        group = trusted.members.get().user.groups.get()
        assert GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").count() == 3

    def test_trust_given_or_withdrawn_by_staff_changes_the_workflow_and_publish_permission(self, applicant, staff):
        seller_verify(seller=applicant, by=staff)
        group = applicant.members.get().user.groups.get()
        page = SellerPage.objects.filter(seller=applicant).first()

        applicant.refresh_from_db()
        applicant.trusted = True
        applicant.save()
        assert GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").count() == 3
        assert page.get_workflow() is None or page.get_workflow().name != CHAMBER_REVIEW_WORKFLOW

        applicant.trusted = False
        applicant.save()
        assert not GroupPagePermission.objects.filter(group=group, permission__codename="publish_page").exists()
        assert SellerPage.objects.get(pk=page.pk).get_workflow().name == CHAMBER_REVIEW_WORKFLOW


class TestInformalArtisan:
    def test_prepares_listings_that_go_public_only_once_its_number_is_verified(self, tree, staff, client):
        artisan = seller_register(
            Registration(
                email="youssef@example.org", password="a-long-and-unusual-passphrase", contact_name="Youssef",
                kind="artisan", legal_name="Youssef Thuya", country="MA", region=region("MA-07"),
            )
        )
        pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=artisan)}
        assert len(pages) == 3 and not any(page.live for page in pages.values())
        group = artisan.members.get().user.groups.get()
        assert set(GroupPagePermission.objects.filter(group=group).values_list("permission__codename", flat=True)) == {
            "add_page", "change_page"}

        product = product_create(pages, title="Thuya box", craft="1.04.01", hs_code="4420.90")
        product_page = ProductPage.objects.get(product=product, locale__language_code="en")
        assert client.get(product_page.url).status_code == 404

        seller_verify(seller=artisan, by=staff, register_number="RNA-00777111")
        assert all(page.live for page in SellerPage.objects.filter(seller=artisan))
        assert client.get(product_page.url).status_code == 200
