"""The public side of notices: "Report this product" (a page of its own, with a fresh CSRF token, since
product pages are served from the shared page cache) and the contact point."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from config.form_errors import form_errors_add
from config.ratelimit import rate_limited

from .forms import NoticeForm
from .models import NoticeSettings
from .services import notice_submit, reportable_product


@never_cache
@rate_limited("notices")
def notice_report(request, product_id):
    product = reportable_product(product_id)
    if product is None:
        raise Http404
    page = product.pages.live().filter(locale__language_code=get_language()).first() or product.pages.live().first()
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_submit(product=product, reason=data["reason"], description=data["description"],
                                   reporter_email=data["reporter_email"], language=get_language())
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            return render(request, "notices/report_sent.html", {"notice": notice, "product_page": page})
    return render(request, "notices/report.html", {"form": form, "product": product, "product_page": page})


def contact_point(request):
    return render(request, "notices/contact_point.html", {"contact": NoticeSettings.load(request_or_site=request)})
