"""Who reaches a request for quote, its quotes, messages and files: every quote URL (public and admin,
found in the URL conf so a new one joins by itself), GET and POST, for every role, including a buyer of
another company and a member of another seller asked in the same request. Zero leaks, zero 5xx, and no
refused POST changes anything."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from marketplace.quotes.models import Quote, QuoteAttachment, QuoteMessage, QuoteThread
from marketplace.quotes.services import RequestLineInput, quote_message_post
from marketplace.quotes.tasks import quote_proforma_make
from sellers.models import Seller, SellerMember
from sellers.roles import CHAMBER_STAFF_GROUP
from sellers.services import seller_verify
from tests.factories.catalog import jpeg_bytes
from tests.factories.labels import inspector_create
from tests.factories.quotes import quote_for, request_for_quote
from tests.factories.sellers import SellerFactory, SellerMemberFactory, UserFactory
from tests.factories.trade import trade_buyer_create

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "retail buyer", "buyer of the company", "colleague", "buyer of another company",
         "member of the seller", "member of another seller asked", "member of a seller not asked", "chamber staff",
         "label inspector")
COMPANY = {"buyer of the company", "colleague"}
SELLER = {"member of the seller"}


def quote_urls():
    """(url name, parameter) of every named URL of quotes: the buyer's ``quote…`` views and the admin's."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name, tuple(getattr(pattern.pattern, "converters", {}))

    return sorted({(name, parameters) for name, parameters in walk(get_resolver().url_patterns)
                   if name.startswith(("quote_", "quote_threads:")) and parameters})


def seller_in_workspace(name, staff):
    seller = SellerFactory(legal_name=name, slug=name.lower().replace(" ", "-"), status=Seller.Status.PENDING)
    member = SellerMemberFactory(seller=seller, role=SellerMember.Role.MANAGER)
    seller_verify(seller=seller, by=staff)
    return Seller.objects.get(pk=seller.pk), member.user


@pytest.fixture
def world(tree):
    staff = UserFactory(username="chamber-staff")
    staff.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
    safi, potter = seller_in_workspace("Poterie Safi", staff)
    fes, fes_potter = seller_in_workspace("Poterie Fes", staff)
    _rabat, rabat_potter = seller_in_workspace("Poterie Rabat", staff)
    buyer = trade_buyer_create()
    photo = SimpleUploadedFile("drawing.jpg", jpeg_bytes(), content_type="image/jpeg")
    request = request_for_quote(buyer, [safi, fes], lines=[RequestLineInput(quantity=300, description="Tagine",
                                                                            photos=[photo])])
    thread = request.threads.get(seller=safi)
    quote = quote_for(thread, potter)
    quote_proforma_make(quote.pk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        message = quote_message_post(thread=thread, by=potter, body="Glaze sample photo attached",
                                     files=[SimpleUploadedFile("sample.jpg", jpeg_bytes(), content_type="image/jpeg")])
    users = {
        "anonymous": None, "retail buyer": UserFactory(), "buyer of the company": buyer,
        "colleague": trade_buyer_create(request.company, role="buyer"),
        "buyer of another company": trade_buyer_create(), "member of the seller": potter,
        "member of another seller asked": fes_potter, "member of a seller not asked": rabat_potter,
        "chamber staff": staff, "label inspector": inspector_create("inspector"),
    }
    objects = {"pk": thread.pk, "quote": Quote.objects.get(pk=quote.pk),
               "message file": message.attachments.get(), "photo": QuoteAttachment.objects.get(request_line__isnull=False)}
    return users, thread, objects


def target_of(name, thread, objects):
    """The object a URL names, and its primary key."""
    if name.startswith("quote_threads:") or name in ("quote_thread", "quote_thread_message", "quote_thread_close"):
        return thread.pk
    if name == "quote_file":
        return objects["message file"].pk
    return objects["quote"].pk


def entitled(role, name) -> bool:
    if name.startswith("quote_threads:"):
        return role in SELLER | {"chamber staff"}
    if name in ("quote_file", "quote_proforma"):
        return role in COMPANY | SELLER | {"chamber staff"}
    return role in COMPANY


def state(thread):
    return (QuoteThread.objects.get(pk=thread.pk).status, list(Quote.objects.values_list("status", flat=True)),
            QuoteMessage.objects.count())


def test_no_role_reaches_a_thread_it_is_not_part_of(client, world):
    users, thread, objects = world
    urls = quote_urls()
    assert len(urls) >= 10, urls
    leaks, errors, refused, changed = [], [], [], []
    before = state(thread)
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        for name, parameters in urls:
            kwargs = {parameters[0]: target_of(name, thread, objects)}
            if "action" in parameters:
                kwargs["action"] = "message"
            url = reverse(name, kwargs=kwargs)
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            shown = thread.request.reference.encode() in body or body.startswith((b"%PDF", b"\xff\xd8"))
            if response.status_code >= 500:
                errors.append((role, "GET", url, response.status_code))
            elif response.status_code == 200 and shown and not entitled(role, name):
                leaks.append((role, url))
            elif name in ("quote_thread", "quote_file", "quote_proforma", "quote_threads:inspect") \
                    and entitled(role, name) and response.status_code != 200:
                refused.append((role, url, response.status_code))
            if not entitled(role, name):
                response = client.post(url, {"body": "intrusion", "message-body": "intrusion", "reason": "x"})
                if response.status_code >= 500:
                    errors.append((role, "POST", url, response.status_code))
                if state(thread) != before:
                    changed.append((role, url))
                    before = state(thread)
    assert not errors, errors
    assert not leaks, "\n".join(map(str, leaks))
    assert not refused, refused
    assert not changed, changed


def test_a_photo_of_the_request_reaches_every_seller_asked_and_nobody_else(client, world):
    users, _thread, objects = world
    url = reverse("quote_file", args=[objects["photo"].pk])
    for role in ROLES:
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        allowed = role in COMPANY | SELLER | {"member of another seller asked", "chamber staff"}
        assert (client.get(url).status_code == 200) == allowed, role


def test_another_sellers_member_never_sees_the_quote_or_messages_in_its_own_thread(client, world):
    users, thread, _objects = world
    other = thread.request.threads.exclude(pk=thread.pk).get()
    client.force_login(users["member of another seller asked"])
    response = client.get(reverse("quote_threads:inspect", args=[other.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Glaze sample photo attached" not in html and "-Q1" not in html
    listing = client.get(reverse("quote_threads:index")).content.decode()
    assert f"/inspect/{thread.pk}/" not in listing and f"/inspect/{other.pk}/" in listing


def test_the_dashboard_counts_requests_to_answer_for_the_seller_and_flagged_ones_for_staff(client, world):
    from django.utils import timezone

    users, thread, _objects = world
    other = thread.request.threads.exclude(pk=thread.pk).get()
    QuoteThread.objects.filter(pk=other.pk).update(flagged_at=timezone.now())
    client.force_login(users["member of another seller asked"])
    assert "1 request for quote to answer" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(users["member of the seller"])
    assert "to answer" not in client.get(reverse("wagtailadmin_home")).content.decode()  # it has quoted
    client.force_login(users["chamber staff"])
    assert "1 request not answered by the target" in client.get(reverse("wagtailadmin_home")).content.decode()
