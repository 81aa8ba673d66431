"""The client's address, also behind the documented reverse proxy (issue 16 item 9).

Without ``NEARER_BEHIND_PROXY`` the address is the socket's (``REMOTE_ADDR``) and any
``X-Forwarded-For`` header is ignored: a client could write anything there. With it, the header is
read only when the request arrives from an address in ``NEARER_TRUSTED_PROXIES`` (addresses or
networks, default the loopback), and the client is the right-most address in the header that is
not itself a trusted proxy. Throttling (allauth's rate limits), sessions and logs then see each
person's own address instead of the proxy's, so one person's failed sign-ins never lock out others.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: Any, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in net for net in networks)


def client_ip(meta: dict[str, Any]) -> str:
    remote = str(meta.get("REMOTE_ADDR") or "")
    if not getattr(settings, "NEARER_BEHIND_PROXY", False):
        return remote
    networks = _networks(tuple(settings.NEARER_TRUSTED_PROXIES))
    if not _trusted(_parse(remote), networks):
        return remote
    hops = [h for h in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return remote  # a malformed header is not evidence of anything
        if not _trusted(address, networks):
            return str(address)
    return remote


class ClientAddressMiddleware:
    """Put the client's real address in ``REMOTE_ADDR`` for everything after it (first in the list)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if getattr(settings, "NEARER_BEHIND_PROXY", False):
            request.META["NEARER_PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = client_ip(request.META)
        return self.get_response(request)
