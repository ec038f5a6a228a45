from totech.tests.permissions import ALL, Case

POPULATION_POST = {"as_of": "01/07/2026", "households": "120", "population": "480"}

CASES = [
    # Users with a scope are sent to their own unit; the admin gets the province list.
    Case("units:index", allowed=ALL - {"admin"}, allowed_status=302, denied_status=200, label="units:index redirect"),
    Case(
        "units:detail", kwargs=lambda w: {"pk": w["Q"].pk}, allowed=frozenset({"admin", "province"}), label="province"
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="own commune",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["K2"].pk},
        allowed=frozenset({"admin", "province"}),
        label="sibling commune",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["W1"].pk},
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        label="own village",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["W2"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="sibling village",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["D1"].pk},
        allowed=frozenset({"admin", "district"}),
        label="own district",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["C1"].pk},
        allowed=frozenset({"admin", "district"}),
        label="commune of own district",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["C2"].pk},
        allowed=frozenset({"admin"}),
        label="commune of sibling district",
    ),
    Case(
        "units:detail",
        kwargs=lambda w: {"pk": w["O1"].pk},
        allowed=frozenset({"admin", "outsider"}),
        label="other province",
    ),
    # The unit picker's search: anyone logged in, over their own scope (units.tests.test_picker); a level set
    # outside the fixed list is not found.
    Case("units:search", kwargs=lambda w: {"levels": "team"}, allowed=ALL, label="units:search"),
    Case(
        "units:search",
        kwargs=lambda w: {"levels": "province"},
        allowed=frozenset(),
        label="units:search unknown levels",
    ),
    # Population figures: read by whoever sees the unit; entered by commune officers for their commune and its
    # villages and by the Department for its province's (units.selectors.can_edit_population); a successful POST
    # redirects to the commune's list.
    Case(
        "units:population",
        kwargs=lambda w: {"pk": w["Q"].pk},
        allowed=frozenset({"admin", "province"}),
        label="population province",
    ),
    Case(
        "units:population",
        kwargs=lambda w: {"pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="population own commune",
    ),
    Case(
        "units:population",
        kwargs=lambda w: {"pk": w["K2"].pk},
        allowed=frozenset({"admin", "province"}),
        label="population sibling commune",
    ),
    Case(
        "units:population",
        kwargs=lambda w: {"pk": w["W1"].pk},
        allowed=frozenset({"admin", "province", "commune", "leader"}),
        label="population own village",
    ),
    Case(
        "units:population",
        kwargs=lambda w: {"pk": w["C1"].pk},
        allowed=frozenset({"admin", "district"}),
        label="population commune of own district",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="population_edit own commune",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["W1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="population_edit own village",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["K2"].pk},
        allowed=frozenset({"admin", "province"}),
        label="population_edit sibling commune",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["C1"].pk},
        allowed=frozenset({"admin"}),
        label="population_edit commune of own district",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["Q"].pk},
        allowed=frozenset(),
        label="population_edit province (a sum)",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["K1"].pk},
        data=lambda w: POPULATION_POST,
        allowed=frozenset({"admin", "province", "commune"}),
        allowed_status=302,
        label="population_edit own commune POST",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["W2"].pk},
        data=lambda w: POPULATION_POST,
        allowed=frozenset({"admin", "province", "commune"}),
        allowed_status=302,
        label="population_edit sibling village POST",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["K2"].pk},
        data=lambda w: POPULATION_POST,
        allowed=frozenset({"admin", "province"}),
        allowed_status=302,
        label="population_edit sibling commune POST",
    ),
    Case(
        "units:population_edit",
        kwargs=lambda w: {"pk": w["O1"].pk},
        data=lambda w: POPULATION_POST,
        allowed=frozenset({"admin", "outsider"}),
        allowed_status=302,
        label="population_edit other province POST",
    ),
    Case(
        "units:population_export",
        kwargs=lambda w: {"pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="population_export own commune",
    ),
    Case(
        "units:population_export",
        kwargs=lambda w: {"pk": w["O1"].pk},
        allowed=frozenset({"admin", "outsider"}),
        label="population_export other province",
    ),
    Case(
        "units:population_template",
        kwargs=lambda w: {"pk": w["K1"].pk},
        allowed=frozenset({"admin", "province", "commune"}),
        label="population_template own commune",
    ),
    Case(
        "units:population_template",
        kwargs=lambda w: {"pk": w["W1"].pk},
        allowed=frozenset(),
        label="population_template village",
    ),
]
