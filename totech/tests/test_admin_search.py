"""Django admin's search, bounded for every model admin (totech.admin.BoundedSearch)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import User
from totech.admin import BoundedSearch


@pytest.mark.parametrize("q", ["ab " * 1700, "admin\x00"])
def test_a_huge_or_nul_search_answers(client, personas, q):
    """5,000 characters were 1,700 ORs of four LIKEs: SQLite gave up with a 500; PostgreSQL refuses a NUL."""
    client.force_login(personas["admin"])
    response = client.get(reverse("admin:accounts_user_changelist"), {"q": q})
    assert response.status_code == 200


def test_every_model_admin_is_bounded(db):
    assert all(isinstance(model_admin, BoundedSearch) for model_admin in admin.site._registry.values())
    assert User in admin.site._registry
