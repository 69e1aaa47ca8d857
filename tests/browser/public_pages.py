"""Every public page type, in one language, for the phone-layout and accessibility tests.

``public_pages()`` reads the paths from the seeded demo (ORM: call it before the browser starts, see
conftest.py). ``walk_public_pages()`` then visits them in a browser tab and calls ``check(name)`` on
each; the commerce pages (basket, checkout, review, order) are reached as a buyer reaches them, by
adding a product and placing a real order with the offline bank transfer provider.
"""

import re
from dataclasses import dataclass

from playwright.sync_api import expect

LANGUAGES = ("en", "ar")
PHONE = {"width": 390, "height": 844}
WIDTHS = (360, 390, 768)


@dataclass(frozen=True)
class PublicPages:
    paths: dict  # language -> {page type: path} of the pages reached by a plain GET
    product: dict  # language -> path of a product in stock that can be ordered one at a time


def public_pages() -> PublicPages:
    from wagtail.models import Locale

    from catalog.models import CategoryIndexPage, HomePage, ProductPage, SellerIndexPage, SellerPage
    from labels.models import LabelCertificate

    certificate = LabelCertificate.objects.filter(status=LabelCertificate.Status.ACTIVE).order_by("pk").first()
    product_en = (ProductPage.objects.live().filter(locale__language_code="en", product__made_to_order=False,
                                                    product__stock__gte=3, product__min_order_quantity=1)
                  .order_by("pk").first())
    paths, products = {}, {}
    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)

        def first(model, locale=locale):
            return model.objects.live().filter(locale=locale).order_by("pk").first().url

        paths[language] = {
            "home": first(HomePage),
            "category": first(CategoryIndexPage),
            "search": f"/{language}/search/?q=" + ("rug" if language == "en" else "زربية"),
            "sellers": first(SellerIndexPage),
            "seller": first(SellerPage),
            "sector": f"/{language}/sector/",
            "sell": f"/{language}/sell/",
            "login": f"/{language}/account/login/",
            "verify": f"/verify/{certificate.number}/",
        }
        products[language] = product_en.get_translation(locale).url
    return PublicPages(paths=paths, product=products)


def walk_public_pages(page, base_url: str, pages: PublicPages, language: str, check) -> None:
    """Visit every public page type in ``language``, placing an order on the way; ``check(name)`` on each."""
    def loaded_then_check(name):
        # A click's navigation may still be swapping documents when the click returns: a script run
        # then finds no documentElement (a flake seen in CI).
        page.wait_for_load_state("load")
        check(name)

    for name, path in pages.paths[language].items():
        page.goto(base_url + path)
        loaded_then_check(name)
    page.goto(base_url + pages.product[language])
    loaded_then_check("product")
    page.locator("form.add-to-basket button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/basket/$"))
    page.locator("#shipping-country").select_option("FR")
    page.locator(".shipping-estimate__form button").click()
    expect(page.locator(".shipping-parts li")).to_have_count(1)
    loaded_then_check("basket")
    page.locator(f'a.button[href$="/{language}/checkout/"]').click()
    expect(page).to_have_url(re.compile(rf"/{language}/checkout/$"))
    loaded_then_check("checkout")
    page.locator("#id_email").fill("amina@example.fr")
    page.locator("#id_name").fill("Amina Haddad")
    page.locator("#id_line1").fill("12 rue des Archives")
    page.locator("#id_city").fill("Paris")
    page.locator("#id_postal_code").fill("75004")
    page.locator("#id_country").select_option("FR")
    page.locator("form.form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{language}/checkout/review/$"))
    loaded_then_check("checkout review")
    page.locator("main form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(rf"/{language}/orders/SE\d\d-\w+/[\w-]+/"))
    loaded_then_check("order")
