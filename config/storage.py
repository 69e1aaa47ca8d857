"""Where uploads live: the file system (the default), or S3-compatible object storage (docs/storage.md).

Two stores, named in ``STORAGES``: ``default`` for public media (Wagtail images and their renditions,
product photos), and ``private`` for what only the entitled may read (sellers' supporting documents,
label evidence, quote files, pro-forma invoices, export documents, trade buyers' proofs, photos kept
from unfinished listing forms). On the file system the private store is ``PRIVATE_MEDIA_ROOT``, outside
``MEDIA_ROOT`` and served by no one; on S3 it is its own bucket, private, read through short-lived
presigned addresses that the permission-checked views hand out.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.http import FileResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class PrivateFileSystemStorage(FileSystemStorage):
    """``PRIVATE_MEDIA_ROOT``, read when first used (and again when a test changes it); no URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


class PrivateStorage(LazyObject):
    """The ``private`` store of ``STORAGES``, resolved when first used: the one object every private
    FileField holds, so that settings (and tests) choose the backend, not the import order."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


def _storages_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        private_storage._wrapped = empty


setting_changed.connect(_storages_changed)


def signs_urls(storage) -> bool:
    """Whether the store hands out short-lived signed addresses (S3 with query-string auth)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def private_file_response(field_file, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """A private file for someone a view has checked: from object storage, a redirect to a presigned
    address that expires (``PRIVATE_MEDIA_URL_SECONDS``), the bytes never crossing the app; from the
    file system, the file itself. Never kept by any cache."""
    storage = field_file.storage
    if signs_urls(storage):
        parameters = {"ResponseContentDisposition": content_disposition_header(as_attachment, filename)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        response = HttpResponseRedirect(storage.url(field_file.name, parameters=parameters))
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=as_attachment, filename=filename,
                                content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
