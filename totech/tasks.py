from celery import shared_task
from django.core.management import call_command


@shared_task
def clear_expired_sessions() -> None:
    """Delete the sessions past their expiry (browsers closed without signing out leave them behind)."""
    call_command("clearsessions")
