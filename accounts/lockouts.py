"""Failed-password throttling (django-axes): who the client is, and when its failures lock it out."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, each of which appends the address it
    received the request from to X-Forwarded-For, it is the one the outermost proxy saw: the TRUSTED_PROXY_COUNT-th
    from the right. Anything further left was sent by the client and may be forged, and without a trusted proxy
    the header is ignored. A missing or malformed entry falls back to the connection's address."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return remote


class AddressAwareHandler(AxesDatabaseHandler):
    """Failures of one username from one address lock that pair at AXES_FAILURE_LIMIT (AXES_LOCKOUT_PARAMETERS),
    so that nobody elsewhere can lock an official out. Failures from one address over any usernames lock the
    address at the higher AXES_ADDRESS_FAILURE_LIMIT, so that it cannot try a few passwords on every account.
    (A successful login clears only its own username's failures from that address.)"""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if failures < limit:
            from_address = AccessAttempt.objects.filter(
                ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
            ).aggregate(total=Sum("failures_since_start"))["total"]
            if (from_address or 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
                return limit
        return failures
