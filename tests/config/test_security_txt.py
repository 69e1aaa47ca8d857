from datetime import datetime, timedelta

from django.utils import timezone


def test_security_txt_names_the_contact_and_expires_within_a_year(client, settings):
    settings.SECURITY_CONTACT_EMAIL = "security@chamber.example"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@chamber.example"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
