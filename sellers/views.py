from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from wagtail.models import Locale

from accounts.ratelimit import rate_limited

from .forms import SellerRegistrationForm
from .models import RegistrationGuide, SellerMember
from .services import seller_register


@never_cache
@rate_limited("registration")
def seller_registration(request):
    form = SellerRegistrationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            seller_register(form.registration(language=get_language()))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            # The same answer whether the address was new or had an account (whose owner is written
            # to instead): the applicant continues from the email, never logged in from here.
            return redirect("seller_registration_sent")
    return render(request, "sellers/seller_registration.html", {"form": form})


@never_cache
def seller_registration_sent(request):
    return render(request, "sellers/seller_registration_sent.html")


@never_cache
@login_required
def seller_application(request):
    memberships = SellerMember.objects.filter(user=request.user).select_related("seller", "seller__region")
    guides = {guide.country: guide for guide in RegistrationGuide.objects.filter(locale=Locale.get_active())}
    return render(request, "sellers/seller_application.html", {"memberships": memberships, "guides": guides})
