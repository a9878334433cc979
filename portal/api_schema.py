"""The OpenAPI document, made and rendered once per process, format and language (decision
0027). It changes only with a deploy, and it is the same for every caller (served public), but
making it walks every view and serializer and rendering it as YAML costs more again: a few
hundred milliseconds a request at any scale."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView, SpectacularJSONAPIView

# At most this many renderings are kept per process (the key holds the negotiated media type,
# which a client may vary with parameters).
MAX_KEPT = 16

_kept: dict[tuple[str, str, str], tuple[bytes, tuple[tuple[str, str], ...]]] = {}


class KeptSchemaMixin:
    """Answers from the rendering kept for (path, media type, language); a request with query
    parameters of its own (``lang``, ``version``) is made afresh."""

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if set(request.GET) - {"format"}:
            return super().get(request, *args, **kwargs)  # type: ignore[misc]
        key = (request.path, request.accepted_media_type, get_language() or "")  # type: ignore[attr-defined]
        kept = _kept.get(key)
        if kept is None:
            response = super().get(request, *args, **kwargs)  # type: ignore[misc]
            response.accepted_renderer = request.accepted_renderer  # type: ignore[attr-defined]
            response.accepted_media_type = request.accepted_media_type  # type: ignore[attr-defined]
            response.renderer_context = self.get_renderer_context()  # type: ignore[attr-defined]
            response.render()
            kept = (response.content, tuple(response.items()))
            if len(_kept) < MAX_KEPT:
                _kept[key] = kept
        content, headers = kept
        answer = HttpResponse(content)
        for name, value in headers:
            answer[name] = value
        return answer


class SchemaView(KeptSchemaMixin, SpectacularAPIView):
    pass


class SchemaJSONView(KeptSchemaMixin, SpectacularJSONAPIView):
    pass
