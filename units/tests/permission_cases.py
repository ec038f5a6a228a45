from totech.tests.permissions import ALL, Case

CASES = [
    # Users with a scope are sent to their own unit; the admin gets the province list.
    Case("units:index", allowed=ALL - {"admin"}, allowed_status=302, denied_status=200, label="units:index redirect"),
    Case("units:detail", kwargs=lambda w: {"pk": w["Q"].pk}, allowed=frozenset({"admin", "province"}), label="province"),
    Case("units:detail", kwargs=lambda w: {"pk": w["K1"].pk}, allowed=frozenset({"admin", "province", "commune"}), label="own commune"),
    Case("units:detail", kwargs=lambda w: {"pk": w["K2"].pk}, allowed=frozenset({"admin", "province"}), label="sibling commune"),
    Case("units:detail", kwargs=lambda w: {"pk": w["W1"].pk}, allowed=frozenset({"admin", "province", "commune", "leader"}), label="own village"),
    Case("units:detail", kwargs=lambda w: {"pk": w["W2"].pk}, allowed=frozenset({"admin", "province", "commune"}), label="sibling village"),
    Case("units:detail", kwargs=lambda w: {"pk": w["D1"].pk}, allowed=frozenset({"admin", "district"}), label="own district"),
    Case("units:detail", kwargs=lambda w: {"pk": w["C1"].pk}, allowed=frozenset({"admin", "district"}), label="commune of own district"),
    Case("units:detail", kwargs=lambda w: {"pk": w["C2"].pk}, allowed=frozenset({"admin"}), label="commune of sibling district"),
    Case("units:detail", kwargs=lambda w: {"pk": w["O1"].pk}, allowed=frozenset({"admin", "outsider"}), label="other province"),
    # The unit picker's search: anyone logged in, over their own scope (units.tests.test_picker); a level set
    # outside the fixed list is not found.
    Case("units:search", kwargs=lambda w: {"levels": "team"}, allowed=ALL, label="units:search"),
    Case("units:search", kwargs=lambda w: {"levels": "province"}, allowed=frozenset(), label="units:search unknown levels"),
]
