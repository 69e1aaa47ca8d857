"""The admin's lists and multi-object URLs show a seller's members only their own seller's objects.

`test_permission_matrix` requests every admin URL taking one object. Here: the admin API, the choosers
(with their search results), the listings, the URLs naming two objects (move, move-confirm, copy,
revision compare, workflow previews, bulk actions), the reports, and the files served by
`/documents/`. Every role, including the manager of an applicant nobody has checked yet, must see no
title, name, file name or id of another seller's objects, drafts included.
"""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.views.static import serve as static_serve
from wagtail.models import CollectionViewRestriction, Locale, Task
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from catalog.models import ProductPage, ProductPageImage, SellerPage
from catalog.services import seller_workspace_group, seller_workspace_open
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP
from tests.factories.sellers import SellerFactory, SellerMemberFactory
from tests.sellers.test_permission_matrix import ROLES, object_kind, scoped_admin_urls, shows
from tests.sellers.test_permission_matrix import world as world  # noqa: PLC0414 (the fixture, shared)

pytestmark = pytest.mark.django_db

APPLICANT = "manager of an applicant"
ALL_ROLES = (*ROLES, APPLICANT)


@pytest.fixture
def scoped(world):  # noqa: F811
    """The matrix's world, plus a draft product page of seller B and an applicant C (an informal
    artisan just registered, awaiting its register number) with its draft workspace."""
    objects = world.objects
    b_pages = {page.locale.language_code: page for page in SellerPage.objects.filter(seller=objects[("B", "seller")])}
    draft = ProductPage(
        title="Secret draft of B", slug="secret-draft-b", description="<p>Draft</p>", product=objects[("B", "product page")].product,
        locale=Locale.objects.get(language_code="en"), live=False,
    )
    draft.gallery_images = [ProductPageImage(image=objects[("B", "image")])]
    b_pages["en"].add_child(instance=draft)
    manager_b = SellerMember.objects.get(seller=objects[("B", "seller")], role=SellerMember.Role.MANAGER).user
    draft.save_revision(user=manager_b)
    # Submitted to the chamber's review, with a comment: its workflow's messages name it.
    objects[("B", "workflow state")] = draft.get_workflow().start(draft, manager_b)
    objects[("B", "draft page")] = draft

    applicant = SellerFactory(legal_name="Applicant C", slug="applicant-c", register_number="",
                              status=Seller.Status.AWAITING_REGISTRATION)
    manager = SellerMemberFactory(seller=applicant, role=SellerMember.Role.MANAGER, user__username="manager-C").user
    pages = seller_workspace_open(seller=applicant)
    objects[("C", "seller page")], objects[("C", "seller")] = pages["en"], applicant
    world.users[APPLICANT] = manager
    return world


def markers(world, letter):
    """What would betray seller <letter>'s objects in a response: titles, names, file names."""
    objects = world.objects
    found = [objects[(letter, "seller")].legal_name]
    for kind in ("product page", "draft page", "image", "document"):
        if (letter, kind) in objects:
            found.append(objects[(letter, kind)].title)
    for kind in ("image", "document"):
        if (letter, kind) in objects:
            found.append(objects[(letter, kind)].file.name.rsplit("/", 1)[-1])
    return found


def others_of(role):
    """The sellers whose objects a role must never see."""
    if role == "chamber staff":
        return ()
    if role in ("member of A", "manager of A"):
        return ("B", "C")
    if role == APPLICANT:
        return ("A", "B")
    return ("A", "B", "C")


def api_ids(response):
    """The ids an admin API listing returns."""
    if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
        return set()
    return {item["id"] for item in response.json().get("items", [])}


def scope_urls(world):
    objects = world.objects
    a_page = objects[("A", "product page")]
    b_draft, b_seller_page = objects[("B", "draft page")], objects[("B", "seller page")]
    a_seller_page = objects[("A", "seller page")]
    index = b_seller_page.get_parent()
    b_revision = b_draft.latest_revision
    b_state = objects[("B", "workflow state")]
    b_task_state = b_state.current_task_state
    task = Task.objects.first()
    product_type = ContentType.objects.get_for_model(ProductPage)
    urls = [
        # admin API
        "/admin/api/main/pages/", "/admin/api/main/pages/?search=Secret", f"/admin/api/main/pages/?child_of={index.pk}",
        f"/admin/api/main/pages/?descendant_of={index.pk}", f"/admin/api/main/pages/{b_draft.pk}/",
        f"/admin/api/main/pages/{b_seller_page.pk}/", "/admin/api/main/images/", f"/admin/api/main/images/{objects[('B', 'image')].pk}/",
        "/admin/api/main/documents/", f"/admin/api/main/documents/{objects[('B', 'document')].pk}/",
        "/admin/api/main/pages/find/?html_path=/sellers/seller-b/",
        # page chooser: browse, children, search
        reverse("wagtailadmin_choose_page"), reverse("wagtailadmin_choose_page_child", args=[index.pk]),
        reverse("wagtailadmin_choose_page_child", args=[b_seller_page.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=Secret", reverse("wagtailadmin_choose_page_search") + "?q=Rug",
        reverse("wagtailadmin_choose_page_search") + "?q=Seller",
        # image, document and seller choosers and their search results
        reverse("wagtailimages_chooser:choose"), reverse("wagtailimages_chooser:choose_results") + "?q=Photo",
        reverse("wagtaildocs_chooser:choose"), reverse("wagtaildocs_chooser:choose_results") + "?q=Leaflet",
        reverse("wagtailsnippetchoosers_sellers_seller:choose"),
        reverse("wagtailsnippetchoosers_sellers_seller:choose_results") + "?q=Seller",
        # listings and searches
        reverse("wagtailimages:index"), reverse("wagtailimages:index") + "?q=Photo", reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index") + "?q=Leaflet", reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[index.pk]), reverse("wagtailadmin_pages:search") + "?q=Secret",
        reverse("wagtailadmin_pages:search_results") + "?q=Rug", reverse("wagtailadmin_home"),
        # two objects: A's page moved to or copied under B's, B's revision compared on A's page
        reverse("wagtailadmin_pages:move", args=[a_page.pk]),
        reverse("wagtailadmin_pages:move_confirm", args=[a_page.pk, b_seller_page.pk]),
        reverse("wagtailadmin_pages:move_confirm", args=[b_draft.pk, a_seller_page.pk]),
        reverse("wagtailadmin_pages:copy", args=[a_page.pk]),
        f"/admin/pages/{b_draft.pk}/revisions/compare/earliest...latest/",
        f"/admin/pages/{a_page.pk}/revisions/compare/{b_revision.pk}...latest/",
        f"/admin/pages/{a_page.pk}/revisions/{b_revision.pk}/view/",
        f"/admin/pages/{a_page.pk}/revisions/{b_revision.pk}/revert/",
        f"/admin/pages/{a_page.pk}/revisions/{b_revision.pk}/unschedule/",
        reverse("wagtailadmin_pages:workflow_preview", args=[b_draft.pk, task.pk]) if task else None,
        reverse("wagtailadmin_pages:workflow_history_detail", args=[a_page.pk, b_state.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[b_draft.pk]),
        reverse("wagtailadmin_pages:collect_workflow_action_data", args=[a_page.pk, "approve", b_task_state.pk]),
        reverse("wagtailadmin_pages:workflow_action", args=[b_draft.pk, "approve", b_task_state.pk]),
        reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[b_draft.pk]),
        reverse("wagtailadmin_reports:workflow_results"), reverse("wagtailadmin_reports:workflow_tasks_results"),
        f"/admin/bulk/wagtailcore/page/move/?id={b_draft.pk}&id={a_page.pk}",
        f"/admin/bulk/wagtailcore/page/delete/?id={b_draft.pk}",
        "/admin/bulk/wagtailcore/page/delete/?id=abc", "/admin/bulk/wagtailimages/image/delete/?id=1%00",
        reverse("wagtailadmin_choose_page_chosen_multiple") + "?id=abc",
        reverse("wagtailadmin_choose_page_chosen_multiple") + "?id=1",
        f"/admin/bulk/wagtailcore/page/publish/?id={b_draft.pk}",
        f"/admin/bulk/wagtailimages/image/delete/?id={objects[('B', 'image')].pk}",
        f"/admin/bulk/wagtaildocs/document/delete/?id={objects[('B', 'document')].pk}",
        # reports
        reverse("wagtailadmin_reports:page_types_usage"), reverse("wagtailadmin_reports:page_types_usage_results"),
        reverse("wagtailadmin_pages:type_use", args=[product_type.app_label, product_type.model]),
        reverse("wagtailadmin_pages:type_use_results", args=[product_type.app_label, product_type.model]),
        reverse("wagtailadmin_reports:locked_pages"), reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"), reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
    ]
    return [url for url in urls if url]


def test_no_role_sees_another_sellers_objects_in_lists_choosers_apis_or_reports(client, scoped):
    urls = scope_urls(scoped)
    foreign_ids = {}
    leaks, errors = [], []
    for role in ALL_ROLES:
        client.logout()
        if scoped.users[role] is not None:
            client.force_login(scoped.users[role])
        forbidden = [marker for letter in others_of(role) for marker in markers(scoped, letter)]
        forbidden_ids = {
            kind: {scoped.objects[(letter, key)].pk for letter in others_of(role) for key in keys if (letter, key) in scoped.objects}
            for kind, keys in (("pages", ("product page", "draft page", "seller page")), ("images", ("image",)),
                               ("documents", ("document",)))
        }
        for url in urls:
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            if response.status_code >= 500:
                errors.append((role, url, response.status_code))
                continue
            if response.status_code != 200:
                continue
            text = response.content.decode(errors="replace")
            shown = [marker for marker in forbidden if marker in text]
            kind = re.match(r"/admin/api/main/(\w+)/", url)
            if kind:
                shown += [f"id {pk}" for pk in api_ids(response) & forbidden_ids[kind.group(1)]]
                if re.search(r"/\d+/$", url):
                    shown += [f"detail {response.json().get('id')}"] if response.json().get("id") in forbidden_ids[kind.group(1)] else []
            if shown:
                leaks.append((role, url, shown))
        foreign_ids[role] = forbidden_ids
    assert not errors, errors
    assert not leaks, "\n".join(map(str, leaks))


def test_chamber_staff_still_see_every_seller_in_the_lists(client, scoped):
    client.force_login(scoped.users["chamber staff"])
    images = client.get("/admin/api/main/images/").json()
    assert {scoped.objects[("A", "image")].pk, scoped.objects[("B", "image")].pk} <= api_ids_of(images)
    chooser = client.get(reverse("wagtailadmin_choose_page_search") + "?q=Secret").content.decode()
    assert "Secret draft of B" in chooser


def test_a_sellers_members_see_their_own_objects_in_the_lists(client, scoped):
    client.force_login(scoped.users["manager of A"])
    assert scoped.objects[("A", "image")].pk in api_ids(client.get("/admin/api/main/images/"))
    assert scoped.objects[("A", "document")].pk in api_ids(client.get("/admin/api/main/documents/"))
    assert scoped.objects[("A", "product page")].pk in api_ids(client.get("/admin/api/main/pages/?search=Rug"))
    assert "Rug A" in client.get(reverse("wagtailadmin_choose_page_search") + "?q=Rug").content.decode()
    assert "Photo A" in client.get(reverse("wagtailimages_chooser:choose")).content.decode()


def api_ids_of(payload):
    return {item["id"] for item in payload["items"]}


def document_url(document):
    return reverse("wagtaildocs_serve", args=[document.pk, document.filename])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_sellers_documents_are_served_only_to_its_members_and_chamber_staff(client, scoped, role):
    if scoped.users[role] is not None:
        client.force_login(scoped.users[role])
    for letter in ("A", "B"):
        response = client.get(document_url(scoped.objects[(letter, "document")]))
        entitled = role == "chamber staff" or (role in ("member of A", "manager of A") and letter == "A")
        assert (response.status_code == 200) == entitled, (role, letter, response.status_code)
        if entitled:
            assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_documents_outside_any_seller_stay_public(client, scoped):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title="Chamber brochure")
    document.file.save("brochure.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    assert client.get(document_url(document)).status_code == 200


def _gallery_post(client, page, image):
    """The edit form of ``page`` as the editor sees it, its gallery now showing ``image``."""
    form = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    gallery_item = page.gallery_images.first()
    data.update(
        description=rich_text("<p>Wool.</p>"),
        gallery_images=inline_formset([{"image": image.pk, "id": gallery_item.pk}]),
    )
    return nested_form_data(data)


class TestAnotherSellersImageInAGallery:
    def test_a_seller_cannot_put_another_sellers_image_in_its_gallery(self, client, scoped):
        page = scoped.objects[("A", "product page")]
        client.force_login(scoped.users["manager of A"])
        data = _gallery_post(client, page, scoped.objects[("B", "image")])
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        assert response.status_code == 200  # the form again, with its error
        assert "You cannot use this image" in response.content.decode()
        page.refresh_from_db()
        assert not ProductPageImage.objects.filter(page=page, image=scoped.objects[("B", "image")]).exists()
        latest = page.get_latest_revision_as_object()
        assert all(item.image_id != scoped.objects[("B", "image")].pk for item in latest.gallery_images.all())

    def test_a_seller_can_use_its_own_image(self, client, scoped):
        page = scoped.objects[("A", "product page")]
        client.force_login(scoped.users["manager of A"])
        data = _gallery_post(client, page, scoped.objects[("A", "image")])
        response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        latest = ProductPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        assert scoped.objects[("A", "image")].pk in [item.image_id for item in latest.gallery_images.all()]


def chooser_urls():
    """Every parameterless chooser URL in the URL conf (page, image, document, snippet choosers and their
    results), so a chooser added later joins the check by itself."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not getattr(pattern.pattern, "converters", {}):
                name = namespace + pattern.name
                if "choose" in name and not isinstance(pattern.pattern, RegexPattern):
                    yield name

    return sorted(set(walk(get_resolver().url_patterns)))


def test_no_chooser_offers_another_sellers_objects(client, scoped):
    names = chooser_urls()
    assert {"wagtailadmin_choose_page", "wagtailimages_chooser:choose", "wagtaildocs_chooser:choose",
            "wagtailsnippetchoosers_sellers_seller:choose_results"} <= set(names), names
    leaks = []
    for role in ALL_ROLES:
        client.logout()
        if scoped.users[role] is not None:
            client.force_login(scoped.users[role])
        forbidden = [marker for letter in others_of(role) for marker in markers(scoped, letter)]
        # "chosen multiple" views describe the objects named by id.
        foreign_ids = "&".join(
            f"id={obj.pk}" for key, obj in scoped.objects.items()
            if isinstance(key, tuple) and key[0] in others_of(role) and obj is not None
        )
        for name in names:
            for query in ("", "?q=Seller", "?q=Rug", "?q=Secret", "?q=Photo", "?q=Leaflet", "?q=Applicant", f"?{foreign_ids}"):
                url = reverse(name) + query
                response = client.get(url)
                assert response.status_code < 500, (role, url)
                text = response.content.decode(errors="replace") if response.status_code == 200 else ""
                shown = [marker for marker in forbidden if marker in text]
                if shown:
                    leaks.append((role, url, shown))
    assert not leaks, "\n".join(map(str, leaks))


def test_the_admin_api_has_no_endpoint_left_unscoped():
    from wagtail.admin.api.urls import admin_api

    from sellers.admin_scope import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet

    endpoints = dict(admin_api._endpoints)
    assert set(endpoints) == {"pages", "images", "documents"}, endpoints  # a new one must be scoped and added here
    assert endpoints["images"] is ScopedImagesAdminAPIViewSet
    assert endpoints["documents"] is ScopedDocumentsAdminAPIViewSet


def test_an_applicant_reaches_no_other_sellers_object_by_id(client, scoped):
    """The single-object URLs of the permission matrix, as the manager of an applicant nobody has checked."""
    client.force_login(scoped.users[APPLICANT])
    leaks = []
    for name, parameter in scoped_admin_urls():
        kind = object_kind(name, parameter)
        for letter in ("A", "B"):
            target = scoped.objects[(letter, kind)]
            response = client.get(reverse(name, kwargs={parameter: target.pk}))
            assert response.status_code < 500, (name, letter)
            if response.status_code == 200 and shows(response, target):
                leaks.append((name, letter))
    assert not leaks, leaks


def test_existing_sellers_collections_are_made_private_by_the_migration(scoped):
    migration = importlib.import_module("catalog.migrations.0008_seller_collections_private_documents")
    collection = scoped.objects[("A", "document")].collection
    CollectionViewRestriction.objects.filter(collection=collection).delete()
    migration.seller_collections_restrict(django_apps, None)
    restriction = CollectionViewRestriction.objects.get(collection=collection)
    assert restriction.restriction_type == CollectionViewRestriction.GROUPS
    assert set(restriction.groups.values_list("name", flat=True)) == {
        seller_workspace_group(scoped.objects[("A", "seller")]).name, CHAMBER_STAFF_GROUP,
    }


def test_the_media_folder_never_serves_wagtail_documents(settings):
    """Where the app serves uploads itself (SERVE_MEDIA), documents still go through /documents/ only."""
    settings.SERVE_MEDIA = True
    urls = importlib.reload(importlib.import_module("config.urls"))
    try:
        assert resolve("/media/original_images/photo-a.jpg", urlconf=urls).func is static_serve
        document = resolve_or_none("/media/documents/leaflet-A.pdf", urls)
        assert document is None or document.func is not static_serve
    finally:
        settings.SERVE_MEDIA = False
        importlib.reload(urls)
        clear_url_caches()


def resolve_or_none(path, urlconf):
    try:
        return resolve(path, urlconf=urlconf)
    except Resolver404:
        return None


def test_staff_signed_in_with_the_password_alone_cannot_open_a_sellers_document(client, scoped, settings):
    from tests.factories.accounts import totp_device_create

    settings.TWO_FACTOR_ENFORCED = True
    staff = scoped.users["chamber staff"]
    totp_device_create(staff)
    client.force_login(staff)  # the password, not yet the code
    url = document_url(scoped.objects[("A", "document")])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/two-factor/verify/")
