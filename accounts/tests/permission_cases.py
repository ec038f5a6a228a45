"""Every accounts URL through the permission matrix, GET and POST: the accounts a persona manages, and the
escalations it must be refused (a role above its own, a unit of another province).

Accounts to act on are made on demand, in the units of the test `world`; POSTs name units by their id."""

from accounts.choices import Role
from accounts.models import User
from totech.tests.permissions import ALL, Case

MANAGERS = frozenset({"admin", "province", "commune", "outsider"})
OF_THANH_THINH = frozenset({"admin", "province", "commune"})  # a team leader's account in commune K1
OF_THAI_NGUYEN = frozenset({"admin", "province"})  # a commune officer's account in Thái Nguyên


def account(w, key, role, username, **fields):
    defaults = {
        "role": role,
        "scope_unit": w[key] if key else None,
        "password": "!",
        **fields,
    }  # "!": no usable password
    return User.objects.get_or_create(username=username, defaults=defaults)[0]


def leader_in_na_lay(w, **fields):
    return account(w, "W2", Role.TEAM_LEADER, "truongthon", first_name="Lan", last_name="Vi Thị", **fields)


def pk_of(make):
    return lambda w: {"pk": make(w).pk}


def new_account(role, key, username="moi"):
    """The form data of a new account."""
    return lambda w: {
        "username": username,
        "last_name": "Nông Văn",
        "first_name": "Mới",
        "role": role,
        "scope_unit": w[key].pk if key else "",
    }


def exists(username):
    return lambda w: User.objects.filter(username=username).exists()


def edited(**fields):
    return lambda w: User.objects.filter(username="truongthon", **fields).exists()


def edit_data(role=Role.TEAM_LEADER, key="W2", first_name="Lành"):
    return lambda w: {
        "username": "truongthon",
        "last_name": "Vi Thị",
        "first_name": first_name,
        "role": role,
        "scope_unit": w[key].pk,
    }


CASES = [
    Case("home", allowed=ALL),
    Case("password_change", allowed=ALL),
    Case("password_change_done", allowed=ALL),
    # Django admin is for system administrators only: everyone else is sent to its login page.
    Case("admin:index", allowed=frozenset({"admin"}), denied_status=302),
    Case("admin:accounts_user_changelist", allowed=frozenset({"admin"}), denied_status=302),
    # The user pages: system administrators, the Department and commune officers manage accounts below them.
    Case("accounts:list", allowed=MANAGERS),
    Case("accounts:export", allowed=MANAGERS),
    Case(
        "accounts:create",
        allowed=OF_THANH_THINH,
        post_refused=frozenset({"outsider"}),
        post_status=200,
        post=new_account(Role.TEAM_LEADER, "W2"),
        post_check=exists("moi"),
        label="create a team leader in Na Lay",
    ),
    Case(
        "accounts:create",
        allowed=frozenset({"admin", "outsider"}),
        post_refused=frozenset({"province", "commune"}),
        post_status=200,
        post=new_account(Role.COMMUNE_OFFICER, "O1"),
        post_check=exists("moi"),
        label="create an officer in another province",
    ),
    Case(
        "accounts:create",
        allowed=frozenset({"admin"}),
        post_refused=frozenset({"province", "commune", "outsider"}),
        post_status=200,
        post=new_account(Role.SYSTEM_ADMIN, None),
        post_check=exists("moi"),
        label="escalate: create a system administrator",
    ),
    Case(
        "accounts:create",
        allowed=frozenset({"admin"}),
        post_refused=frozenset({"province", "commune", "outsider"}),
        post_status=200,
        post=new_account(Role.PROVINCE_STAFF, "Q"),
        post_check=exists("moi"),
        label="escalate: create province staff",
    ),
    Case("accounts:detail", kwargs=pk_of(leader_in_na_lay), allowed=OF_THANH_THINH),
    Case(
        "accounts:detail",
        kwargs=pk_of(lambda w: account(w, "K2", Role.COMMUNE_OFFICER, "canboxa")),
        allowed=OF_THAI_NGUYEN,
        label="detail of an officer",
    ),
    Case(
        "accounts:detail",
        kwargs=pk_of(lambda w: account(w, "Q", Role.PROVINCE_STAFF, "dongnghiep")),
        allowed=frozenset({"admin"}),
        label="detail of a peer",
    ),
    Case(
        "accounts:detail",
        kwargs=pk_of(lambda w: account(w, "O1", Role.COMMUNE_OFFICER, "hanoi")),
        allowed=frozenset({"admin", "outsider"}),
        label="detail in another province",
    ),
    Case(
        "accounts:edit",
        kwargs=pk_of(leader_in_na_lay),
        allowed=OF_THANH_THINH,
        post=edit_data(),
        post_check=edited(first_name="Lành"),
    ),
    Case(
        "accounts:edit",
        kwargs=pk_of(leader_in_na_lay),
        allowed=frozenset({"admin"}),
        post_refused=frozenset({"province", "commune"}),
        post=edit_data(role=Role.PROVINCE_STAFF, key="Q"),
        post_check=edited(role=Role.PROVINCE_STAFF),
        label="escalate: edit to province staff",
    ),
    Case(
        "accounts:edit",
        kwargs=pk_of(leader_in_na_lay),
        allowed=frozenset({"admin"}),
        post_refused=frozenset({"province", "commune"}),
        post=edit_data(key="OV"),
        post_check=lambda w: User.objects.filter(username="truongthon", scope_unit=w["OV"]).exists(),
        label="escalate: move to another province",
    ),
    Case(
        "accounts:deactivate",
        kwargs=pk_of(leader_in_na_lay),
        allowed=OF_THANH_THINH,
        post=lambda w: {},
        post_check=edited(is_active=False),
    ),
    Case(
        "accounts:reactivate",
        kwargs=pk_of(lambda w: leader_in_na_lay(w, is_active=False)),
        allowed=OF_THANH_THINH,
        post=lambda w: {},
        post_check=edited(is_active=True),
    ),
    Case(
        "accounts:reset_password",
        kwargs=pk_of(leader_in_na_lay),
        allowed=OF_THANH_THINH,
        post_status=200,
        post=lambda w: {},
        post_check=edited(must_change_password=True),
    ),
]
