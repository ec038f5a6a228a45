"""The shared paging: a queryset is paged on its ids, then only the page's rows are read."""

from django.test import RequestFactory

from totech.pagination import paginate
from units.models import Unit
from units.tests.factories import VillageFactory


def test_a_page_keeps_the_order_and_the_related_objects_of_the_queryset(db, world, django_assert_num_queries):
    for number in range(30):
        VillageFactory(parent=world["K1"], name=f"Xóm {number:02}")
    villages = (
        Unit.objects.filter(parent=world["K1"], name__startswith="Xóm ").select_related("parent").order_by("-name")
    )
    with django_assert_num_queries(3):  # the count, the page's ids, the page's rows with their parents
        page = paginate(RequestFactory().get("/", {"page": "2"}), villages, size=10)
        names = [(village.name, village.parent.name) for village in page]
    assert names == [(f"Xóm {number:02}", world["K1"].name) for number in range(19, 9, -1)]
    assert page.paginator.count == 30 and page.number == 2


def test_a_list_is_paged_as_it_is(db):
    page = paginate(RequestFactory().get("/", {"page": "9"}), list(range(30)), size=10)
    assert list(page) == [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]  # past the end: the last page


def test_the_one_pagination_include_keeps_the_filters_in_its_links(db):
    from django.template.loader import render_to_string

    page = paginate(RequestFactory().get("/", {"status": "active", "unit": "7", "page": "2"}), list(range(30)), size=10)
    html = render_to_string("includes/pagination.html", {"page": page})
    assert (
        'href="?status=active&amp;unit=7&amp;page=1"' in html and 'href="?status=active&amp;unit=7&amp;page=3"' in html
    )
