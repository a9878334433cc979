"""The tender's OCDS release package as the JSON its public URL serves, made and compressed
once per release and kept in the cache (decisions 0026 and 0027)."""

from __future__ import annotations

import gzip
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404

from tenders.models import OcdsRelease, Tender
from tenders.ocds import OCDS_VERSION
from tenders.selectors.ocds import EXTENSIONS, ocds_package

# A package only changes when a release is added (releases never change), so its JSON is
# kept under a key of its latest release; a day at most, so unused ones leave the cache.
OCDS_PACKAGE_CACHE_SECONDS = 24 * 60 * 60


def _package_key(*, tender_pk: int, number: int, sha256: str, uri: str) -> str:
    """The cache key of a package: the tender, its latest release (number and content hash),
    the address it is served at and what the package's head holds besides the releases."""
    signature = json.dumps(
        [
            tender_pk,
            number,
            sha256,
            uri,
            OCDS_VERSION,
            EXTENSIONS,
            settings.OCDS_PUBLISHER_NAME,
            settings.OCDS_CENTRAL_PURCHASING_BODY_KVK,
            settings.OCDS_LICENSE,
            settings.OCDS_PUBLICATION_POLICY,
        ],
        default=str,
    )
    return "ocds-package:" + hashlib.sha256(signature.encode()).hexdigest()


def ocds_package_json_public(*, reference: str, uri: str) -> bytes | None:
    """``ocds_package_public`` as gzip-compressed JSON (UTF-8, indented), made and compressed
    once per release: two small queries when the package is in the cache, which it is from
    the second request on until a release is added. Served as it is to a client that takes
    gzip (``portal.compression.precompressed_response``): a package of thousands of
    authorities is megabytes of JSON, and compressing it for every request would cost more
    than everything else the request does. 404 for a draft or an unknown reference, None
    before the first release."""
    tender = Tender.objects.public().filter(reference=reference).only("pk").first()
    if tender is None:
        raise Http404
    latest = (
        OcdsRelease.objects.filter(tender=tender).order_by("-number").values("number", "sha256")
    ).first()
    if latest is None:
        return None
    key = _package_key(tender_pk=tender.pk, uri=uri, **latest)
    compressed = cache.get(key)
    if compressed is None:
        package = ocds_package(tender=tender, uri=uri)
        content = json.dumps(package, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        # Public data, the same for everyone: no padding against BREACH is needed.
        compressed = gzip.compress(content.encode(), compresslevel=9, mtime=0)
        cache.set(key, compressed, OCDS_PACKAGE_CACHE_SECONDS)
    return compressed
