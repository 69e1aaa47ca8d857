"""Downloading a seller order's export documents: by the seller's members and chamber staff in the
admin, and by the buyer from its private order link. A document not made yet (or made before the part
was packed or shipped) is made on the spot, so a download never waits for the task."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_safe

from config.storage import private_file_response

from .converters import is_seller_order_reference
from .documents import document_file_name, has_export_documents, seller_order_documents_make
from .models import SellerOrder, SellerOrderDocument
from .permissions import VIEW_ACTION, may_act
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


def can_download_documents(user, seller_order: SellerOrder) -> bool:
    """Whoever may see the part in the admin: its seller's members and chamber staff."""
    return may_act(user, seller_order, VIEW_ACTION)


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


def _document_response(seller_order: SellerOrder, kind: str) -> HttpResponse:
    if not has_export_documents(seller_order):
        raise Http404
    document = seller_order.documents.filter(kind=kind).first()
    if document is None or _stale(document, seller_order):
        document = next(made for made in seller_order_documents_make(seller_order) if made.kind == kind)
    return private_file_response(document.file, content_type="application/pdf",
                                 filename=document_file_name(seller_order, kind))


def _stale(document: SellerOrderDocument, seller_order: SellerOrder) -> bool:
    """Missing from storage, or made before the part was packed or shipped (the packing list shows those)."""
    if not document.file or not document.file.storage.exists(document.file.name):
        return True
    changed = [moment for moment in (seller_order.packed_at, seller_order.shipped_at) if moment]
    return bool(changed) and document.created_at < max(changed)
