"""Downloading a seller order's export documents: by the seller's members and chamber staff in the
admin, and by the buyer from its private order link. A document not made yet (or made before the part
was packed or shipped) is made on the spot, so a download never waits for the task."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import override
from django.views.decorators.http import require_safe
from wagtail.permissions import policy_registry

from .converters import is_seller_order_reference
from .documents import document_file_name, has_export_documents, seller_order_documents_make
from .models import Order, SellerOrder, SellerOrderDocument
from .selectors import order_for_link

KINDS = frozenset(SellerOrderDocument.Kind.values)


def document_admin_urlpatterns() -> list:
    """For Wagtail's ``register_admin_urls`` hook, which puts them behind the admin's login."""
    return [
        path(
            "seller-orders/<int:pk>/documents/<slug:kind>.pdf",
            seller_order_document_admin,
            name="seller_order_document",
        ),
    ]


def document_urls_for_buyer(order: Order, seller_order: SellerOrder) -> dict[str, str]:
    """The buyer's links to a part's documents, by kind, in the order's language (none for a declined part)."""
    if not has_export_documents(seller_order) or seller_order.order_id != order.pk:
        return {}
    with override(order.language or settings.LANGUAGE_CODE):
        return {
            kind: reverse("order_document", args=[order.reference, order.access_token, seller_order.reference, kind])
            for kind in SellerOrderDocument.Kind.values
        }


def can_download_documents(user, seller_order: SellerOrder) -> bool:
    """Whoever may see the part in the admin: its seller's members and chamber staff."""
    return policy_registry.get_by_type(SellerOrder).user_has_permission_for_instance(user, "view", seller_order)


@require_safe
def seller_order_document_admin(request, pk: int, kind: str):
    if kind not in KINDS:
        raise Http404
    seller_order = get_object_or_404(SellerOrder, pk=pk)
    if not can_download_documents(request.user, seller_order):
        raise PermissionDenied
    return _document_response(seller_order, kind)


@require_safe
def seller_order_document_buyer(request, reference: str, token: str, seller_order_reference: str, kind: str):
    order = order_for_link(reference, token)
    if order is None or kind not in KINDS or not is_seller_order_reference(seller_order_reference):
        raise Http404
    seller_order = get_object_or_404(SellerOrder, order=order, reference=seller_order_reference)
    return _document_response(seller_order, kind)


def _document_response(seller_order: SellerOrder, kind: str) -> FileResponse:
    if not has_export_documents(seller_order):
        raise Http404
    document = seller_order.documents.filter(kind=kind).first()
    if document is None or _stale(document, seller_order):
        document = next(made for made in seller_order_documents_make(seller_order) if made.kind == kind)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        content_type="application/pdf",
        filename=document_file_name(seller_order, kind),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _stale(document: SellerOrderDocument, seller_order: SellerOrder) -> bool:
    """Missing from storage, or made before the part was packed or shipped (the packing list shows those)."""
    if not document.file or not document.file.storage.exists(document.file.name):
        return True
    changed = [moment for moment in (seller_order.packed_at, seller_order.shipped_at) if moment]
    return bool(changed) and document.created_at < max(changed)
