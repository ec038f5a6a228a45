from totech.tests.permissions import ALL, Case

CASES = [
    Case("home", allowed=ALL),
    Case("password_change", allowed=ALL),
    Case("password_change_done", allowed=ALL),
    # Django admin is for system administrators only: everyone else is sent to its login page.
    Case("admin:index", allowed=frozenset({"admin"}), denied_status=302),
    Case("admin:accounts_user_changelist", allowed=frozenset({"admin"}), denied_status=302),
]
