"""Who is asking: the client's address, the one definition every part of the site uses.

A request's `REMOTE_ADDR` is the machine that opened the connection. Behind our own nginx that
is nginx, which names the real client in `X-Real-IP`. Anyone can send that header, so it is
believed only when the connection comes from an address in `TRUSTED_PROXIES` (addresses and
CIDR ranges). Flood control, the CAPTCHA's refresh limit, the comment's stored address and
django-axes' sign-in lockouts (`AXES_CLIENT_IP_CALLABLE`) all call `client_ip()`.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORWARDED_HEADERS = ("HTTP_X_REAL_IP", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


@lru_cache(maxsize=8)
def _networks(entries):
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range"
            ) from error
    return tuple(networks)


def _address(raw):
    try:
        return ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    """Whether `address` (text or an ip_address) is one of `TRUSTED_PROXIES`."""
    if isinstance(address, str):
        address = _address(address)
    if address is None:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def from_trusted_proxy(request):
    """Whether the connection came from one of our own proxies."""
    return is_trusted_proxy(request.META.get("REMOTE_ADDR"))


def client_ip(request):
    """The client's IP address as text, or None if it cannot be known.

    `X-Real-IP` (set by our nginx to the address it saw) when the connection comes from a
    trusted proxy; otherwise the connection's own address, whatever headers it sent.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is not None and is_trusted_proxy(remote):
        forwarded = _address(request.META.get("HTTP_X_REAL_IP"))
        if forwarded is not None:
            return str(forwarded)
    return str(remote) if remote is not None else None
