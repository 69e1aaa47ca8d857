"""A new cooperative's registration form in a real browser: the regions and trades follow the chosen
country (the script, under the site's Content-Security-Policy), and an attached document survives an
error in the form."""

import pytest

pytest.importorskip("playwright.sync_api", reason="the Python package playwright is not installed")
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_regions_and_trades_follow_the_country_and_a_document_survives_an_error(demo_site, page, results_dir, tmp_path):
    statutes = tmp_path / "statuts.pdf"
    statutes.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    page.goto(demo_site.url + "/en/sell/")

    region, trades = page.locator("#id_region"), page.locator("input[name=trades]")
    expect(page.locator("#id_country")).to_have_value("MA")
    assert region.locator("option[data-country=MA]").count() > 5
    expect(region.locator("option[data-country=CM]").first).to_be_disabled()
    expect(trades.locator("visible=true").first).to_have_attribute("data-country", "MA")

    page.select_option("#id_country", "CM")
    expect(region.locator("option[data-country=MA]").first).to_be_disabled()
    page.select_option("#id_region", label="Littoral")
    assert trades.locator("visible=true").count() > 0
    assert all(value == "CM" for value in
               trades.locator("visible=true").evaluate_all("inputs => inputs.map(input => input.dataset.country)"))
    expect(page.locator("input[name=trades][data-country=MA]").first).to_be_hidden()

    page.select_option("#id_kind", "cooperative")
    page.fill("#id_legal_name", "Coopérative des Potières de Bamessing")
    page.fill("#id_contact_name", "Mireille Nfor")
    page.fill("#id_email", "mireille@")  # a typo: the form comes back with an error
    page.fill("#id_password", "clay-and-raffia-2026")
    page.set_input_files("#id_statutes", str(statutes))
    page.locator("form.form").get_by_role("button", name="Register", exact=True).click()

    expect(page.locator("#id_email_helptext, .form__field--error").first).to_be_visible()
    expect(page.locator("#id_statutes_helptext")).to_contain_text("Already attached: “statuts.pdf”")
    expect(page.locator("#id_country")).to_have_value("CM")
    expect(page.locator("#id_region option[data-country=MA]").first).to_be_disabled()
    page.screenshot(path=results_dir / "onboarding-1-document-kept.png", full_page=True)

    page.fill("#id_email", "mireille@bamessing.example")
    page.fill("#id_password", "clay-and-raffia-2026")
    page.locator("form.form").get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url("**/en/sell/registered/")
    assert page.js_errors == []
