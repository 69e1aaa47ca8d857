"""Names on the shipping address: no text-direction controls, something visible."""

import pytest
from django.urls import reverse

from marketplace.orders.models import Order
from tests.checkout.test_checkout_views import ADDRESS, add, products  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


class TestRecipientName:
    @pytest.mark.parametrize("name", ["\u202e\u202e\u202e", "\u200b\u2066", "Camille\u202eMartin"])
    def test_a_name_of_direction_controls_or_invisible_characters_is_refused(self, client, products, name):  # noqa: F811
        add(client, products["rug"], 1)
        response = client.post(reverse("checkout"), {**ADDRESS, "name": name})

        assert response.status_code == 200 and response.context["form"].errors["name"]
        assert Order.objects.count() == 0
