from .choices import Role
from .services import user_upsert

DEMO_PASSWORD = "totech-demo-2026"


def seed(units):
    """One user per role; returns them with the password for the command to print."""
    specs = [
        ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, None),
        ("so.thainguyen", "Nguyễn Thu Hà", Role.PROVINCE_STAFF, units["thai_nguyen"]),
        ("so.quangngai", "Trần Văn Minh", Role.PROVINCE_STAFF, units["quang_ngai"]),
        ("huyen.moduc", "Lê Thị Hồng", Role.DISTRICT_STAFF, units["mo_duc"]),
        ("xa.thanhthinh", "Hoàng Văn Nam", Role.COMMUNE_OFFICER, units["thanh_thinh"]),
        ("xa.moduc", "Phạm Thị Lan", Role.COMMUNE_OFFICER, units["mo_duc_communes"][0]),
        ("totruong.bangiang", "Đỗ Văn Tuấn", Role.TEAM_LEADER, units["thanh_thinh_villages"][0]),
    ]
    users = []
    for username, full_name, role, scope_unit in specs:
        last_name, _, first_name = full_name.rpartition(" ")
        users.append(
            user_upsert(
                username=username,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                role=role,
                scope_unit=scope_unit,
            )
        )
    return users
