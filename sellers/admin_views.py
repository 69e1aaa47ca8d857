"""The chamber's decisions on a seller, and its supporting documents, in the Wagtail admin."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from config.form_errors import form_errors_add
from config.storage import private_file_response

from .models import Seller, SellerDocument, SellerInvitation, SellerMember
from .services import (
    TRANSITIONS,
    seller_invitation_revoke,
    seller_member_invite,
    seller_member_remove,
    seller_member_role_change,
    seller_reinstate,
    seller_reject,
    seller_suspend,
    seller_verify,
    seller_wholesale_terms_set,
)

DECISION_LABELS = {
    "verify": _("Verify"),
    "reject": _("Reject"),
    "suspend": _("Suspend"),
    "reinstate": _("Reinstate"),
}


def decisions_for(seller: Seller) -> list[str]:
    return [decision for decision, statuses in TRANSITIONS.items() if seller.status in statuses]


class SellerDecisionForm(forms.Form):
    register_number = forms.CharField(
        label=_("Register number"), max_length=40, required=False,
        help_text=_("Record the number the seller obtained (needed to verify an artisan awaiting registration)."),
    )
    reason = forms.CharField(label=_("Reason, sent to the seller"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class SellerDecisionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A decision on a seller, for those the seller policy lets change sellers (chamber staff)."""

    template_name = "sellers/admin/seller_decision.html"
    form_class = SellerDecisionForm
    header_icon = "group"
    model = Seller
    permission_required = "change"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.decision = kwargs["decision"]
        if self.decision not in DECISION_LABELS:
            raise PermissionDenied  # a decision nobody may take, refused as one the user may not

    @cached_property
    def seller(self) -> Seller:
        # Looked up once the policy has let the user in: to others, an unknown seller is refused like any.
        return get_object_or_404(Seller, pk=self.kwargs["pk"])

    def get_page_title(self):
        return f"{DECISION_LABELS[self.decision]}: {self.seller.legal_name}"

    def get_initial(self):
        return {"register_number": self.seller.register_number}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            seller=self.seller, decision=self.decision, decision_label=DECISION_LABELS[self.decision],
            documents=self.seller.documents.all(), allowed=self.decision in decisions_for(self.seller), **kwargs,
        )

    def form_valid(self, form):
        by, seller, reason = self.request.user, self.seller, form.cleaned_data["reason"]
        try:
            if self.decision == "verify":
                seller_verify(seller=seller, by=by, register_number=form.cleaned_data["register_number"] or None)
            elif self.decision == "reject":
                seller_reject(seller=seller, by=by, reason=reason)
            elif self.decision == "suspend":
                seller_suspend(seller=seller, by=by, reason=reason)
            else:
                seller_reinstate(seller=seller, by=by)
        except ValidationError as error:
            form_errors_add(form, error, renamed={"status_reason": "reason"})
            return self.form_invalid(form)
        messages.success(self.request, _("Decision recorded: %(decision)s.") % {"decision": DECISION_LABELS[self.decision]})
        return redirect("wagtailsnippets_sellers_seller:list")


class SellerDocumentDownloadView(PermissionCheckedMixin, View):
    """A supporting document, for those who decide on sellers (chamber staff)."""

    model = Seller
    permission_required = "change"

    def get(self, request, pk):
        document = get_object_or_404(SellerDocument, pk=pk)
        return private_file_response(document.file, filename=document.original_name, content_type=document.content_type)


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=SellerMember.Role.choices, initial=SellerMember.Role.MEMBER)


def _object_or_404(queryset, raw_pk):
    """The object of ``queryset`` a posted id names; 404 for a malformed id or one out of scope."""
    try:
        pk = int(raw_pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk < 2**31:  # beyond the column's range PostgreSQL would fail the query
        raise Http404
    return get_object_or_404(queryset, pk=pk)


class SellerMembersView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Members and pending invitations, scoped by the members' permission policy: a seller's
    managers see their own seller's, invite, withdraw, change roles and remove; chamber staff see
    every seller's and remove or withdraw any."""

    template_name = "sellers/admin/seller_members.html"
    form_class = MemberInviteForm
    page_title = _("Members")
    header_icon = "group"
    model = SellerMember
    permission_required = "view"

    @cached_property
    def membership(self) -> SellerMember | None:
        """The seller a manager invites to (staff manage every seller's members but invite to none)."""
        user = self.request.user
        return SellerMember.objects.filter(user=user, role=SellerMember.Role.MANAGER).select_related("seller").first()

    def get_context_data(self, **kwargs):
        user = self.request.user
        policy = self.permission_policy
        members = policy.instances_user_has_permission_for(user, "view").select_related("seller", "user").order_by(
            "seller__legal_name", "role", "user__email"
        )
        invitations = policy.invitations_user_has_permission_for(user, "view").filter(
            status=SellerInvitation.Status.PENDING
        ).select_related("seller", "invited_by").order_by("seller__legal_name", "email")
        return super().get_context_data(
            seller=self.membership.seller if self.membership else None, members=members, invitations=invitations,
            all_sellers=policy.sellers_user_has_permission_for(user, "view").count() > 1,
            roles=SellerMember.Role.choices, can_change_roles=policy.user_has_permission(user, "change"), **kwargs,
        )

    def get(self, request, *args, **kwargs):
        if self.membership is None:
            return self.render_to_response(self.get_context_data(form=None))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        user, policy = request.user, self.permission_policy
        try:
            if "remove" in request.POST:
                member = _object_or_404(policy.instances_user_has_permission_for(user, "delete"), request.POST["remove"])
                seller_member_remove(member=member, by=user)
                messages.success(request, _("%(email)s is no longer a member.") % {"email": member.user.email})
            elif "revoke" in request.POST:
                invitation = _object_or_404(policy.invitations_user_has_permission_for(user, "delete"), request.POST["revoke"])
                seller_invitation_revoke(invitation=invitation, by=user)
                messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
            elif "change_role" in request.POST:
                member = _object_or_404(policy.instances_user_has_permission_for(user, "change"), request.POST["change_role"])
                seller_member_role_change(member=member, role=request.POST.get("role", ""), by=user)
                messages.success(request, _("%(email)s's role is changed.") % {"email": member.user.email})
            elif self.membership is not None:
                return super().post(request, *args, **kwargs)
            else:
                raise PermissionDenied
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("seller_members")

    def form_valid(self, form):
        try:
            seller_member_invite(
                seller=self.membership.seller, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                by=self.request.user,
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation sent to %(email)s. They become a member when they accept it.")
                         % {"email": form.cleaned_data["email"]})
        return redirect("seller_members")


class WholesaleTermsForm(forms.ModelForm):
    class Meta:
        model = Seller
        fields = ["first_order_minimum", "reorder_minimum", "made_to_order_capacity"]


class SellerWholesaleTermsView(WagtailAdminTemplateMixin, FormView):
    """A seller's managers set its wholesale terms: the minimums of trade buyers' orders and the
    made-to-order capacity. Chamber staff change them in the seller's record."""

    template_name = "sellers/admin/seller_wholesale_terms.html"
    form_class = WholesaleTermsForm
    page_title = _("Wholesale terms")
    header_icon = "tag"

    @cached_property
    def seller(self) -> Seller:
        membership = SellerMember.objects.filter(user=self.request.user, role=SellerMember.Role.MANAGER).select_related(
            "seller").first()
        if membership is None:
            raise PermissionDenied
        return membership.seller

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Seller.objects.get(pk=self.seller.pk)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(seller=self.seller, currency=settings.MARKETPLACE_BASE_CURRENCY, **kwargs)

    def form_valid(self, form):
        try:
            seller_wholesale_terms_set(seller=self.seller, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Your wholesale terms are saved."))
        return redirect("seller_wholesale_terms")
