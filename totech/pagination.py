"""Paging for list pages, shared by every app (templates use teams/includes/pagination.html)."""

from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def query_without_page(request):
    """The current filters as a query string, for page links that keep them."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
