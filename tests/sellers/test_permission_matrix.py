"""Who can reach which seller's objects: every admin URL that takes one page, image, document, seller
or seller's order part, for each role, on seller A's and seller B's objects. Zero leaks. Then the
orders themselves: export documents, staff's order pages, and a buyer's own orders.

The URL list is generated from the URL conf, so a new admin view joins the matrix by itself.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from catalog.models import ProductPage, SellerPage
from catalog.services import seller_workspace_group
from labels.models import LabelScheme
from labels.services import label_apply, label_assign
from marketplace.orders.admin import order_groups_ensure
from marketplace.orders.models import SellerOrder
from marketplace.orders.selectors import order_url
from marketplace.orders.services import order_paid
from marketplace.payments.models import BankAccount, BankTransferSettings
from marketplace.shipping.models import CountrySettings
from sellers.models import Seller, SellerDocument, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP
from sellers.services import seller_verify
from tests.factories.catalog import image_create, product_create
from tests.factories.labels import approved, inspector_create, scheme_create
from tests.factories.orders import europe_zone, order_for
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "buyer", "member of A", "manager of A", "chamber staff", "label inspector")

# Which kind of object each URL parameter names.
PARAMETER_OBJECTS = {
    "page_id": "product page",
    "page_to_move_id": "product page",
    "parent_page_id": "seller page",
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "seller_pk": "seller",
}
SCOPED_NAMESPACES = ("wagtailadmin_pages:", "wagtailimages:", "wagtaildocs:", "wagtailsnippets_sellers_seller:",
                     "wagtailsnippetchoosers_sellers_seller:", "label_applications:", "label_certificates:",
                     "certificate_tag", "seller_label_apply", "seller_orders:", "seller_product_add")
LABEL_KINDS = ("label application", "label evidence", "certificate")
# Views an entitled role must reach (the others may refuse for reasons of their own, e.g. "unlock" on an
# unlocked page), so the matrix also proves it is not denying everything.
MUST_ALLOW = {
    "wagtailadmin_pages:edit", "wagtailadmin_pages:history", "wagtailadmin_explore", "wagtailimages:edit",
    "wagtaildocs:edit", "wagtailsnippets_sellers_seller:edit", "wagtailsnippets_sellers_seller:document",
    "label_applications:inspect", "label_applications:evidence", "label_certificates:inspect", "certificate_tag",
    "seller_label_apply", "seller_orders:inspect", "seller_product_add",
}
# Views for the seller's own members only: chamber staff's page permissions cover every seller.
MEMBERS_ONLY = ("seller_label_apply", "seller_product_add")


def scoped_admin_urls():
    """(url name, parameter) for every named admin URL taking exactly one seller-scoped object."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                converters = getattr(pattern.pattern, "converters", {})
                if len(converters) == 1:
                    yield namespace + pattern.name, next(iter(converters))

    found = set()
    for name, parameter in walk(get_resolver().url_patterns):
        if name.startswith("wagtailadmin_explore") and parameter == "parent_page_id" or name.startswith(SCOPED_NAMESPACES) and (parameter in PARAMETER_OBJECTS or parameter == "pk"):
            found.add((name, parameter))
    return sorted(found)


def object_kind(name, parameter):
    if parameter == "pk":
        if name.startswith("seller_orders:"):
            return "seller order"
        if name == "label_applications:evidence":
            return "label evidence"
        if name.startswith("label_applications:"):
            return "label application"
        if name.startswith("label_certificates:") or name == "certificate_tag":
            return "certificate"
        return "seller document" if name.endswith(":document") else "seller"
    return PARAMETER_OBJECTS[parameter]


@dataclass
class World:
    objects: dict  # (seller letter, kind) -> object
    users: dict  # role -> user or None


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _seller_with_objects(letter, chamber_user):
    seller = SellerFactory(legal_name=f"Seller {letter}", slug=f"seller-{letter.lower()}", status=Seller.Status.PENDING)
    manager = SellerMemberFactory(seller=seller, role=SellerMember.Role.MANAGER, user__username=f"manager-{letter}")
    member = SellerMemberFactory(seller=seller, role=SellerMember.Role.MEMBER, user__username=f"member-{letter}")
    seller_verify(seller=seller, by=chamber_user)
    pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=seller)}
    product = product_create(pages, title=f"Rug {letter}")
    collection = Collection.objects.get(name__startswith=f"Seller {letter} (")
    image = image_create(f"Photo {letter}")
    image.collection = collection
    image.save()
    document = get_document_model()(title=f"Leaflet {letter}", collection=collection)
    document.file.save(f"leaflet-{letter}.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    seller_document = SellerDocument(seller=seller, original_name="statutes.pdf", content_type="application/pdf", size=9)
    seller_document.file.save("statutes.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    objects = {
        "product page": ProductPage.objects.get(product=product, locale__language_code="en"),
        "seller page": pages["en"], "image": image, "document": document, "seller": seller,
        "seller document": seller_document,
    }
    return objects, manager.user, member.user


def _labels(letter, objects, manager, inspector):
    """A certificate of the seller's product, from an application with a PDF of evidence."""
    scheme = LabelScheme.objects.filter(code="LNA").first() or scheme_create()
    application = label_apply(
        seller=Seller.objects.get(pk=objects["seller"].pk), scheme=scheme, products=[objects["product page"].product], by=manager,
        statement=f"Statement of {letter}", evidence=[SimpleUploadedFile(f"evidence-{letter}.pdf", b"%PDF-1.7\n")],
    )
    label_assign(application=application, inspector=inspector, by=inspector)
    approved(application, inspector)
    return {"label application": application, "label evidence": application.evidence.get(inspection=None),
            "certificate": application.certificate}


@pytest.fixture
def world(tree):
    chamber = Group.objects.get_or_create(name=CHAMBER_STAFF_GROUP)[0]
    chamber.permissions.add(_permission("wagtailadmin", "access_admin"))
    for codename in ("view_seller", "change_seller"):
        chamber.permissions.add(_permission("sellers", codename))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(group=chamber, page=Page.get_first_root_node(), permission=_permission("wagtailcore", codename))
    for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in ("add", "change", "delete", "choose"):
            GroupCollectionPermission.objects.create(
                group=chamber, collection=Collection.get_first_root_node(), permission=_permission(app_label, f"{action}_{model}")
            )
    staff = UserFactory(username="chamber-staff")
    staff.groups.add(chamber)
    inspector = inspector_create("inspector")

    objects_a, manager_a, member_a = _seller_with_objects("A", staff)
    objects_b, _manager_b, _member_b = _seller_with_objects("B", staff)
    for letter, objects_x, manager in (("A", objects_a, manager_a), ("B", objects_b, _manager_b)):
        objects_x.update(_labels(letter, objects_x, manager, inspector))
    objects = {**{("A", kind): obj for kind, obj in objects_a.items()}, **{("B", kind): obj for kind, obj in objects_b.items()}}
    order_groups_ensure()
    buyer = UserFactory(username="buyer")
    europe_zone()
    order = order_for((objects[("A", "product page")].product, 1), (objects[("B", "product page")].product, 1), user=buyer)
    assert order_paid(order=order, amount=order.total, currency=order.currency) == "paid"
    for letter in "AB":
        objects[(letter, "seller order")] = SellerOrder.objects.get(order=order, seller=objects[(letter, "seller")])
    objects["order"] = order
    users = {
        "anonymous": None, "buyer": buyer, "member of A": member_a,
        "manager of A": manager_a, "chamber staff": staff, "label inspector": inspector,
    }
    assert seller_workspace_group(objects[("A", "seller")]) in manager_a.groups.all()
    return World(objects=objects, users=users)


def shows(response, target) -> bool:
    """Whether a response names the object: its title, name or file."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode(errors="replace")
    attributes = ("title", "legal_name", "original_name", "number", "statement", "reference")
    markers = [str(getattr(target, attribute)) for attribute in attributes if hasattr(target, attribute)]
    return content.startswith(b"%PDF") or any(marker in text for marker in markers)


def entitled(role, letter, kind, name):
    if role == "chamber staff":
        return name not in MEMBERS_ONLY
    if role == "label inspector":
        return kind in LABEL_KINDS
    if role in ("member of A", "manager of A") and letter == "A":
        return kind in ("product page", "seller page", "image", "document", "seller order") or name in (
            "certificate_tag", "label_applications:evidence", *MEMBERS_ONLY)
    return False


def test_no_role_reaches_another_sellers_objects(client, world):
    urls = scoped_admin_urls()
    assert len(urls) >= 40, urls  # pages, images, documents and the seller views are all there
    leaks, refused, errors, checked = [], [], [], 0
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for name, parameter in urls:
            kind = object_kind(name, parameter)
            for letter in ("A", "B"):
                target = world.objects[(letter, kind)]
                url = reverse(name, kwargs={parameter: target.pk})
                response = client.get(url)
                status = response.status_code
                checked += 1
                if status >= 500:
                    errors.append((role, url, status))
                elif status == 200 and not entitled(role, letter, kind, name) and shows(response, target):
                    leaks.append((role, url))
                elif status != 200 and entitled(role, letter, kind, name) and name in MUST_ALLOW:
                    refused.append((role, url, status))
    print(f"permission matrix: {len(urls)} URLs x 2 sellers x {len(ROLES)} roles = {checked} requests")
    assert not leaks, "\n".join(map(str, leaks))
    assert not errors, errors
    assert not refused, refused


SELLER_FACING_PUBLIC_VIEWS = ("seller_registration", "seller_application")


@pytest.mark.parametrize("role", ROLES)
def test_seller_facing_public_views_show_a_role_only_its_own_seller(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    for name in SELLER_FACING_PUBLIC_VIEWS:
        response = client.get(reverse(name))
        assert response.status_code in (200, 302), (role, name)
        html = response.content.decode()
        assert "Seller B" not in html, (role, name)
        assert ("Seller A" in html) == (name == "seller_application" and role in ("member of A", "manager of A")), (role, name)


def test_a_seller_cannot_attach_its_profile_page_to_another_seller(client, world):
    page = world.objects[("A", "seller page")]
    client.force_login(world.users["manager of A"])
    form = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).context["form"]
    assert "seller" not in form.fields
    client.force_login(world.users["chamber staff"])
    assert "seller" in client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).context["form"].fields


DOCUMENT_KINDS = ("commercial_invoice", "packing_list", "customs_declaration")


def test_export_documents_reach_only_their_seller_and_staff_in_the_admin(client, world):
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        for letter in ("A", "B"):
            for kind in DOCUMENT_KINDS:
                url = reverse("seller_order_document", args=[world.objects[(letter, "seller order")].pk, kind])
                response = client.get(url)
                allowed = role == "chamber staff" or (role in ("member of A", "manager of A") and letter == "A")
                assert (response.status_code == 200) == allowed, (role, letter, kind, response.status_code)
                if allowed:
                    assert response["Content-Type"] == "application/pdf"
                    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_buyer_reaches_its_own_order_and_its_documents_only(client, world):
    order = world.objects["order"]
    other_buyer = UserFactory(username="other-buyer")
    client.force_login(world.users["buyer"])
    assert order.reference in client.get(reverse("account_orders")).content.decode()
    client.force_login(other_buyer)
    assert order.reference not in client.get(reverse("account_orders")).content.decode()
    assert client.get(order_url(order)).status_code == 200  # the private link is the key, as for a guest
    assert client.get(reverse("order_detail", args=[order.reference, "not-the-token"])).status_code == 404
    assert client.get(reverse("order_detail_json", args=[order.reference, order.access_token])).status_code == 200
    assert client.get(reverse("order_detail_json", args=[order.reference, "not-the-token"])).status_code == 404
    for letter in ("A", "B"):
        part = world.objects[(letter, "seller order")]
        for kind in DOCUMENT_KINDS:
            own = reverse("order_document", args=[order.reference, order.access_token, part.reference, kind])
            assert client.get(own).status_code == 200
            guessed = reverse("order_document", args=[order.reference, "not-the-token", part.reference, kind])
            assert client.get(guessed).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_chamber_staff_open_whole_orders_in_the_admin(client, world, role):
    if world.users[role] is not None:
        client.force_login(world.users[role])
    response = client.get(reverse("orders:inspect", args=[world.objects["order"].pk]))
    assert (response.status_code == 200) == (role == "chamber staff"), (role, response.status_code)
    if response.status_code != 200:
        assert world.objects["order"].email not in response.content.decode()


def test_the_translation_queue_shows_a_role_only_the_pages_it_may_edit(client, world):
    """The admin's "Translations to write": a seller's own untranslated pages, every seller's for staff."""
    from catalog.services import page_translations_ensure
    from tests.factories.catalog import product_create_in_one_language

    for letter in "AB":
        pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=world.objects[(letter, "seller")])}
        page_translations_ensure(page=product_create_in_one_language(pages, title=f"Untranslated rug {letter}"))
    sees = {"member of A": {"A"}, "manager of A": {"A"}, "chamber staff": {"A", "B"}}
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.get(reverse("translation_queue"))
        html = response.content.decode()
        shown = {letter for letter in "AB" if f"Untranslated rug {letter}" in html}
        assert shown == sees.get(role, set()), role
        assert (response.status_code == 200) == (role in sees), role


@pytest.mark.parametrize("role", ROLES)
def test_only_chamber_staff_reach_bank_accounts_transfers_and_commerce_settings(client, world, role):
    account = BankAccount.objects.create(bank_name="Secret Bank", holder="Chamber", iban="MA64 9999 8888 7777",
                                         currencies="MAD")
    urls = [reverse("wagtailsnippets_payments_bankaccount:list"),
            reverse("wagtailsnippets_payments_bankaccount:edit", args=[account.pk]),
            reverse("wagtailsettings:edit", args=["payments", "banktransfersettings", BankTransferSettings.load().pk]),
            reverse("wagtailsettings:edit", args=["shipping", "countrysettings", CountrySettings.load().pk]),
            reverse("orders:record_transfer", args=[world.objects["order"].pk])]
    if world.users[role] is not None:
        client.force_login(world.users[role])
    for url in urls:
        response = client.get(url)
        assert (response.status_code == 200) == (role == "chamber staff"), (role, url, response.status_code)
        if response.status_code != 200:
            assert "MA64 9999 8888 7777" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_chamber_staff_see_what_buyers_search_for_and_edit_the_synonyms(client, world, role):
    from search.models import SearchMiss, SynonymSet

    SearchMiss.objects.create(query="tapis volant", language="fr", count=3)
    synonyms = SynonymSet.objects.create(terms="pouf, pouffe, ottoman-test")
    if world.users[role] is not None:
        client.force_login(world.users[role])
    staff = role == "chamber staff"
    for name in ("search_misses", "search_misses_results"):
        response = client.get(reverse(name))
        assert (response.status_code == 200) == staff, (role, name, response.status_code)
        assert ("tapis volant" in response.content.decode()) == staff, (role, name)
    for url in (reverse("wagtailsnippets_listing_search_synonymset:list"),
                reverse("wagtailsnippets_listing_search_synonymset:edit", args=[synonyms.pk])):
        response = client.get(url)
        assert (response.status_code == 200) == staff, (role, url, response.status_code)
        assert ("ottoman-test" in response.content.decode()) == staff, (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_only_chamber_staff_keep_the_destination_rules_and_read_the_tax_collected(client, world, role):
    from customs.models import DestinationRule, DutyRate
    from customs.services import sample_rules_load

    sample_rules_load()
    rule = DestinationRule.objects.get(code="EU")
    duty = DutyRate.objects.create(destination="EU", hs_prefix="570110", rate="8")
    if world.users[role] is not None:
        client.force_login(world.users[role])
    staff = role == "chamber staff"
    for url in (reverse("wagtailsnippets_customs_destinationrule:list"),
                reverse("wagtailsnippets_customs_destinationrule:edit", args=[rule.pk]),
                reverse("wagtailsnippets_customs_dutyrate:list"),
                reverse("wagtailsnippets_customs_dutyrate:edit", args=[duty.pk]),
                reverse("orders_tax_collected"), reverse("orders_tax_collected_results")):
        response = client.get(url)
        assert (response.status_code == 200) == staff, (role, url, response.status_code)
    response = client.post(reverse("wagtailsnippets_customs_dutyrate:edit", args=[duty.pk]),
                           {"destination": "EU", "hs_prefix": "570110", "rate": "0", "hs_edition": "HS2022"})
    assert DutyRate.objects.get(pk=duty.pk).rate == (0 if staff else 8), (role, response.status_code)
