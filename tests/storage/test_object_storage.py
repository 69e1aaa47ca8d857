"""Uploads on S3-compatible object storage, against a real S3 server on a free local port: moto's server
mode (``ThreadedMotoServer``), one per test process, with buckets of its own. Public media (Wagtail
images and their renditions) go to the media bucket and are read at their plain address; private files
(sellers' documents) go to the private bucket and are handed out, after the view's permission check,
through a presigned address that expires."""

import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

pytest.importorskip("moto", reason="moto (a dev dependency) runs the local S3 server")
boto3 = pytest.importorskip("boto3")
from moto.server import ThreadedMotoServer  # noqa: E402

from config.storage import private_storage  # noqa: E402
from tests.factories.catalog import image_create  # noqa: E402
from tests.factories.sellers import SellerFactory, UserFactory  # noqa: E402

pytestmark = pytest.mark.django_db

CREDENTIALS = {"aws_access_key_id": "souk-test", "aws_secret_access_key": "souk-test-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def object_storage(s3_server, settings):
    suffix = uuid.uuid4().hex[:10]
    buckets = {"media": f"souk-media-{suffix}", "private": f"souk-private-{suffix}"}
    client = boto3.client("s3", endpoint_url=s3_server, **CREDENTIALS)
    for bucket in buckets.values():
        client.create_bucket(Bucket=bucket)
    # What an operator sets on the media bucket (docs/storage.md): anyone may read its objects.
    client.put_bucket_policy(Bucket=buckets["media"], Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                       "Resource": f"arn:aws:s3:::{buckets['media']}/*"}],
    }))
    connection = {"endpoint_url": s3_server, "access_key": CREDENTIALS["aws_access_key_id"],
                  "secret_key": CREDENTIALS["aws_secret_access_key"], "region_name": "us-east-1",
                  "addressing_style": "path", "signature_version": "s3v4", "file_overwrite": False}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {**connection, "bucket_name": buckets["media"], "querystring_auth": False}},
        "private": {"BACKEND": "storages.backends.s3.S3Storage",
                    "OPTIONS": {**connection, "bucket_name": buckets["private"], "default_acl": "private",
                                "querystring_auth": True, "querystring_expire": 300}},
    }
    return client, buckets


def keys(client, bucket) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_an_image_and_its_rendition_go_to_the_media_bucket_at_a_plain_address(object_storage):
    client, buckets = object_storage
    image = image_create(title="Taznakht rug")
    rendition = image.get_rendition("fill-200x200")

    stored = keys(client, buckets["media"])
    assert image.file.name in stored and rendition.file.name in stored
    assert not keys(client, buckets["private"])
    url = rendition.url
    assert "X-Amz-Signature" not in url  # public media: no signature, cacheable by a CDN
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.content[:3] == b"\xff\xd8\xff"  # a JPEG
    assert default_storage.exists(image.file.name)


def test_a_sellers_document_is_private_and_staff_get_a_presigned_address_that_expires(object_storage, client):
    from sellers.models import SellerDocument

    s3, buckets = object_storage
    seller = SellerFactory(status="pending")
    document = SellerDocument(seller=seller, original_name="statuts coopérative.pdf", content_type="application/pdf", size=9)
    document.file.save("statutes.pdf", ContentFile(b"%PDF-1.7\n"), save=True)

    assert keys(s3, buckets["private"]) == [document.file.name] and not keys(s3, buckets["media"])
    grants = s3.get_object_acl(Bucket=buckets["private"], Key=document.file.name)["Grants"]
    assert not [grant for grant in grants if "URI" in grant["Grantee"]]  # no AllUsers / AuthenticatedUsers grant

    url = reverse("wagtailsnippets_sellers_seller:document", args=(document.pk,))
    client.force_login(UserFactory(username="someone"))
    assert client.get(url).status_code in (302, 403) and client.get(url).get("Location", "").find("X-Amz") == -1

    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get(url)
    assert response.status_code == 302
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    presigned = response["Location"]
    query = parse_qs(urlsplit(presigned).query)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    downloaded = requests.get(presigned, timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == b"%PDF-1.7\n"
    assert "attachment" in downloaded.headers["Content-Disposition"]
    assert "statuts" in downloaded.headers["Content-Disposition"]

    bare = presigned.split("?")[0]
    assert requests.get(bare, timeout=10).status_code == 403  # the object's plain address: refused
    # (A forged signature is the server's to refuse: moto's server does not check signatures, AWS and MinIO do.)


def test_the_private_store_follows_the_settings(object_storage):
    _client, buckets = object_storage
    name = private_storage.save("probe.txt", ContentFile(b"probe"))
    assert private_storage.bucket_name == buckets["private"] and private_storage.exists(name)
