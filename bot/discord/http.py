"""One HTTP client per process for Discord's REST API: interaction follow-ups, channel
posts and scheduled messages all reuse its kept-alive connections instead of opening a
TCP (and TLS) connection per request. httpx's Client is safe to share between threads."""

from __future__ import annotations

import threading

import httpx

_client: httpx.Client | None = None
_lock = threading.Lock()


def client() -> httpx.Client:
    """This process's client (made on first use; it lives as long as the process)."""
    global _client
    with _lock:
        if _client is None:
            _client = httpx.Client(timeout=15.0, follow_redirects=False)
        return _client
