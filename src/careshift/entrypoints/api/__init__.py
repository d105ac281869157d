"""REST API (FastAPI) under /api/v1, every error as RFC 9457 problem+json."""
