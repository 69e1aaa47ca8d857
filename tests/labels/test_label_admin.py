"""The label screens of the Wagtail admin: a seller applies with evidence, inspectors take, inspect
and decide, certificates are suspended and revoked by two inspectors, tags carry the QR code."""

import re
from datetime import timedelta

import pytest
import segno
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from labels.models import LabelApplication, LabelCertificate, LabelEvidence, LabelInspection
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP, LEAD_INSPECTORS_GROUP
from sellers.services import seller_verify
from tests.factories.catalog import jpeg_bytes, product_create
from tests.factories.labels import inspector_create
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory, member_since

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def refused(response) -> bool:
    """Wagtail's admin answers a permission error with a redirect to the dashboard (or a 403)."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def verified_seller(tree, name):
    from catalog.models import SellerPage

    staff = UserFactory(username=f"staff-{name}")
    staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    seller = SellerFactory(legal_name=name, status=Seller.Status.PENDING)
    manager = SellerMemberFactory(seller=seller, role=SellerMember.Role.MANAGER, user__username=f"manager-{name}")
    seller_verify(seller=seller, by=staff)
    pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=seller)}
    product = product_create(pages, title=f"Rug of {name}")
    return seller, manager.user, product


@pytest.fixture
def shop_a(tree):
    return verified_seller(tree, "Tifaouine")


@pytest.fixture
def shop_b(tree):
    return verified_seller(tree, "Aït Ouaouzguite")


def apply_through_admin(client, scheme, shop, **extra):
    seller, manager, product = shop
    client.force_login(manager)
    data = {"scheme": scheme.pk, "products": [product.pk], "statement": "Knotted by hand in Taznakht.",
            "evidence": [SimpleUploadedFile("loom.jpg", jpeg_bytes()), SimpleUploadedFile("statutes.pdf", PDF)], **extra}
    return client.post(reverse("seller_label_apply", args=[seller.pk]), data)


def inspect_through_admin(client, application, inspector, verdict="met"):
    client.force_login(inspector)
    data = {"visit_date": timezone.localdate().isoformat(), "notes": "Workshop visited.",
            "photos": [SimpleUploadedFile("workshop.jpg", jpeg_bytes())]}
    for criterion in application.scheme.criteria.all():
        data[f"verdict_{criterion.pk}"], data[f"notes_{criterion.pk}"] = verdict, "Seen."
    return client.post(reverse("label_applications:inspection", args=[application.pk]), data)


@pytest.fixture
def certificate_via_admin(client, scheme, shop_a, inspector):
    apply_through_admin(client, scheme, shop_a)
    application = LabelApplication.objects.get()
    client.force_login(inspector)
    client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
    inspect_through_admin(client, application, inspector)
    client.post(reverse("label_applications:decide", args=[application.pk]), {"decision": "approve"})
    return LabelCertificate.objects.get(application=application)


class TestSellerApplies:
    def test_a_manager_applies_from_the_workspace_with_evidence(self, client, scheme, shop_a):
        seller, manager, product = shop_a
        client.force_login(manager)
        page = client.get(reverse("seller_labels")).content.decode()
        assert "Apply for a label" in page
        form = client.get(reverse("seller_label_apply", args=[seller.pk])).content.decode()
        assert "Rug of Tifaouine" in form and "National label" in form
        response = apply_through_admin(client, scheme, shop_a)
        assert response.status_code == 302
        application = LabelApplication.objects.get()
        assert (application.seller, list(application.products.all())) == (seller, [product])
        assert sorted(application.evidence.values_list("original_name", flat=True)) == ["loom.jpg", "statutes.pdf"]
        listing = client.get(reverse("seller_labels")).content.decode()
        assert "submitted" in listing and "statutes.pdf" in listing

    def test_a_bad_file_is_refused_with_a_message_and_nothing_is_saved(self, client, scheme, shop_a):
        response = apply_through_admin(client, scheme, shop_a, evidence=[SimpleUploadedFile("virus.exe", b"MZ\x90")])
        assert response.status_code == 200
        assert "is not a PDF, JPEG or PNG file" in response.content.decode()
        assert not LabelApplication.objects.exists() and not LabelEvidence.objects.exists()

    def test_no_product_chosen_is_refused(self, client, scheme, shop_a):
        response = apply_through_admin(client, scheme, shop_a, products=[])
        assert response.status_code == 200 and not LabelApplication.objects.exists()

    def test_another_sellers_product_cannot_be_slipped_in(self, client, scheme, shop_a, shop_b):
        response = apply_through_admin(client, scheme, shop_a, products=[shop_b[2].pk])
        assert response.status_code == 200 and not LabelApplication.objects.exists()

    def test_a_seller_cannot_apply_for_another_seller(self, client, scheme, shop_a, shop_b):
        client.force_login(shop_b[1])
        assert refused(client.get(reverse("seller_label_apply", args=[shop_a[0].pk])))

    def test_sellers_do_not_reach_the_inspectors_screens(self, client, scheme, shop_a):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        for url in (reverse("label_applications:index"), reverse("label_applications:inspect", args=[application.pk]),
                    reverse("label_applications:decide", args=[application.pk])):
            assert refused(client.get(url)), url


class TestInspectorsQueue:
    def test_the_queue_assignment_inspection_and_approval(self, client, scheme, shop_a, inspector,
                                                          django_capture_on_commit_callbacks):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        client.force_login(inspector)
        queue = client.get(reverse("label_applications:index"), {"queue": "unassigned"}).content.decode()
        assert "Tifaouine" in queue
        detail = client.get(reverse("label_applications:inspect", args=[application.pk])).content.decode()
        assert "Knotted by hand in Taznakht." in detail and "Assign to me" in detail and "statutes.pdf" in detail
        evidence = application.evidence.get(original_name="statutes.pdf")
        download = client.get(reverse("label_applications:evidence", args=[evidence.pk]))
        assert b"".join(download.streaming_content).startswith(b"%PDF")

        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        application.refresh_from_db()
        assert application.inspector == inspector
        mine = client.get(reverse("label_applications:index"), {"queue": "mine"}).content.decode()
        assert "Tifaouine" in mine

        response = client.post(reverse("label_applications:decide", args=[application.pk]), {"decision": "approve"})
        assert response.status_code == 200 and "Record the inspection before approving." in response.content.decode()

        assert inspect_through_admin(client, application, inspector).status_code == 302
        inspection = LabelInspection.objects.get()
        assert inspection.evidence.get().original_name == "workshop.jpg"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("label_applications:decide", args=[application.pk]), {"decision": "approve"})
        assert response.status_code == 302
        certificate = LabelCertificate.objects.get()
        assert re.fullmatch(rf"MA-LNA-{timezone.localdate().year}-000001", certificate.number)
        assert [message.to for message in mail.outbox] == [[shop_a[0].email]]
        assert certificate.number in mail.outbox[0].body

    def test_an_inspection_missing_a_verdict_is_refused(self, client, scheme, shop_a, inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        client.force_login(inspector)
        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        response = client.post(reverse("label_applications:inspection", args=[application.pk]),
                               {"visit_date": timezone.localdate().isoformat()})
        assert response.status_code == 200 and not LabelInspection.objects.exists()

    def test_a_rejection_needs_a_reason_which_the_seller_then_sees(self, client, scheme, shop_a, inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        client.force_login(inspector)
        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        url = reverse("label_applications:decide", args=[application.pk])
        assert client.post(url, {"decision": "reject"}).status_code == 200
        assert client.post(url, {"decision": "reject", "reason": "Synthetic dyes."}).status_code == 302
        client.force_login(shop_a[1])
        assert "Synthetic dyes." in client.get(reverse("seller_labels")).content.decode()

    def test_an_inspector_who_belonged_to_the_seller_when_it_applied_is_not_offered_nor_allowed(self, client, scheme, shop_a, inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        member_since(seller=shop_a[0], user=inspector, joined_at=application.submitted_at - timedelta(days=1))
        client.force_login(inspector)
        assert "Assign to me" not in client.get(reverse("label_applications:inspect", args=[application.pk])).content.decode()
        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        application.refresh_from_db()
        assert application.inspector is None

    def test_a_lead_inspector_assigns_to_another_but_not_to_a_member(self, client, scheme, shop_a, inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        lead = inspector_create("lead")
        lead.groups.add(Group.objects.get(name=LEAD_INSPECTORS_GROUP))
        insider = inspector_create("insider")
        member_since(seller=shop_a[0], user=insider, joined_at=application.submitted_at - timedelta(days=1))
        client.force_login(lead)
        form = client.get(reverse("label_applications:assign", args=[application.pk])).context["form"]
        offered = set(form.fields["inspector"].queryset)
        assert inspector in offered and insider not in offered
        client.post(reverse("label_applications:assign", args=[application.pk]), {"inspector": inspector.pk})
        application.refresh_from_db()
        assert application.inspector == inspector
        client.force_login(inspector)
        client.post(reverse("label_applications:assign", args=[application.pk]), {"inspector": lead.pk})
        application.refresh_from_db()
        assert application.inspector == inspector  # only a lead hands work to others


    def test_an_inspector_is_not_offered_nor_allowed_to_take_an_assigned_application(self, client, scheme, shop_a,
                                                                                     inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        lead = inspector_create("lead")
        lead.groups.add(Group.objects.get(name=LEAD_INSPECTORS_GROUP))
        client.force_login(lead)
        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        application.refresh_from_db()
        assert application.inspector == lead

        client.force_login(inspector)
        page = client.get(reverse("label_applications:inspect", args=[application.pk])).content.decode()
        assert "Assign to me" not in page
        response = client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"}, follow=True)
        assert "only a lead inspector reassigns" in response.content.decode()
        application.refresh_from_db()
        assert application.inspector == lead

    def test_a_lead_reassigns_with_a_reason_from_the_assign_screen(self, client, scheme, shop_a, inspector):
        apply_through_admin(client, scheme, shop_a)
        application = LabelApplication.objects.get()
        lead = inspector_create("lead")
        lead.groups.add(Group.objects.get(name=LEAD_INSPECTORS_GROUP))
        client.force_login(inspector)
        client.post(reverse("label_applications:assign", args=[application.pk]), {"self": "1"})
        client.force_login(lead)
        url = reverse("label_applications:assign", args=[application.pk])
        response = client.post(url, {"inspector": lead.pk})
        assert response.status_code == 200 and "reason" in response.content.decode()
        client.post(url, {"inspector": lead.pk, "reason": "Complaint about the first visit."})
        application.refresh_from_db()
        assert application.inspector == lead
        assert application.events.order_by("-position").first().private_data["reason"] == "Complaint about the first visit."


class TestCertificatesInTheAdmin:
    def test_suspension_and_two_inspector_revocation(self, client, certificate_via_admin, inspector, second_inspector):
        certificate = certificate_via_admin
        client.force_login(inspector)
        detail = client.get(reverse("label_certificates:inspect", args=[certificate.pk])).content.decode()
        assert "Suspend" in detail and "Request revocation" in detail
        action = reverse("label_certificates:action", args=[certificate.pk, "suspend"])
        assert client.post(action, {"reason": ""}).status_code == 200
        client.post(action, {"reason": "Complaint under review."})
        certificate.refresh_from_db()
        assert certificate.status == "suspended"
        client.post(reverse("label_certificates:action", args=[certificate.pk, "revoke"]), {"reason": "Counterfeit."})
        client.post(reverse("label_certificates:action", args=[certificate.pk, "confirm-revocation"]))
        certificate.refresh_from_db()
        assert certificate.status == "suspended"  # the same inspector cannot confirm
        client.force_login(second_inspector)
        assert "Confirm revocation" in client.get(
            reverse("label_certificates:inspect", args=[certificate.pk])).content.decode()
        client.post(reverse("label_certificates:action", args=[certificate.pk, "confirm-revocation"]))
        certificate.refresh_from_db()
        assert certificate.status == "revoked"
        assert client.get(f"/verify/{certificate.number}.json").json()["status"] == "revoked"

    def test_chamber_staff_see_certificates_but_cannot_act(self, client, certificate_via_admin):
        staff = UserFactory(username="staff-viewer")
        staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
        client.force_login(staff)
        assert certificate_via_admin.number in client.get(reverse("label_certificates:index")).content.decode()
        client.post(reverse("label_certificates:action", args=[certificate_via_admin.pk, "suspend"]), {"reason": "No."})
        certificate_via_admin.refresh_from_db()
        assert certificate_via_admin.status == "active"


class TestTags:
    def test_the_tag_carries_a_qr_code_of_the_products_passport_and_the_verify_address(
            self, client, certificate_via_admin, shop_a, settings):
        settings.PUBLIC_BASE_URL = "https://souk.example"
        client.force_login(shop_a[1])
        product = certificate_via_admin.products.order_by("pk").first()
        html = client.get(reverse("certificate_tag", args=[certificate_via_admin.pk])).content.decode()
        verify_url = f"https://souk.example/verify/{certificate_via_admin.number}/"
        passport_url = f"https://souk.example/p/{product.pk}/"
        expected_qr = segno.make(passport_url, error="m").svg_inline(scale=6, border=4, omitsize=True,
                                                                     title=certificate_via_admin.number)
        assert expected_qr in html and f'data-verify-url="{verify_url}"' in html
        assert f'data-scan-url="{passport_url}"' in html
        assert "Print tags" in client.get(reverse("seller_labels")).content.decode()

    def test_another_seller_gets_no_tag_and_no_evidence(self, client, certificate_via_admin, shop_b):
        client.force_login(shop_b[1])
        assert refused(client.get(reverse("certificate_tag", args=[certificate_via_admin.pk])))
        for evidence in LabelEvidence.objects.all():
            assert refused(client.get(reverse("label_applications:evidence", args=[evidence.pk])))

    def test_the_seller_never_downloads_the_inspectors_photos(self, client, certificate_via_admin, shop_a):
        client.force_login(shop_a[1])
        own = LabelEvidence.objects.get(original_name="loom.jpg")
        inspectors = LabelEvidence.objects.get(original_name="workshop.jpg")
        assert client.get(reverse("label_applications:evidence", args=[own.pk])).status_code == 200
        assert refused(client.get(reverse("label_applications:evidence", args=[inspectors.pk])))
