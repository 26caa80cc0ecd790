"""API keys of the service, importable from their documented place (``service.auth``)."""

from .service.auth import API_KEYS_ENV, RENDER_SCOPE, ApiKeys, bearer_token, hash_key

__all__ = ["API_KEYS_ENV", "RENDER_SCOPE", "ApiKeys", "bearer_token", "hash_key"]
