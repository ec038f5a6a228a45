"""The member-list layout shared by the import (what it recognises) and the exports (what they write).

The file format is Vietnamese whatever the interface language, because it is the communes' own format:
these labels are data, not interface text.
"""

from totech.text import fold

from ..choices import Affiliation, Gender, TeamRole

# field → header written by the exports and the template, then the variants the import also recognises
# (compared folded: no accents, lower case, punctuation as spaces).
MEMBER_HEADERS = {
    "number": ["STT", "TT", "Số TT", "Số thứ tự"],
    "full_name": ["Họ và tên", "Họ tên", "Họ và tên thành viên", "Họ, tên", "Tên thành viên"],
    "birth": ["Ngày sinh", "Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Năm sinh", "Sinh ngày"],
    "gender": ["Giới tính", "Nam/Nữ", "Giới"],
    "phone": ["Số điện thoại", "Điện thoại", "SĐT", "Số ĐT", "ĐT liên hệ", "Điện thoại liên hệ"],
    "role": ["Chức vụ trong Tổ", "Chức vụ", "Chức danh trong Tổ", "Chức danh", "Vị trí trong Tổ", "Nhiệm vụ trong Tổ"],
    "affiliation": [
        "Thành phần / Đơn vị công tác",
        "Thành phần",
        "Đơn vị công tác",
        "Chức vụ, đơn vị công tác",
        "Nơi công tác",
        "Cơ quan, đơn vị",
        "Chức vụ đoàn thể",
    ],
    "village": [
        "Thôn/Tổ dân phố",
        "Thôn",
        "Thôn, bản",
        "Thôn/Bản",
        "Thôn/Xóm",
        "Tổ dân phố",
        "Địa bàn",
        "Thôn, tổ dân phố",
    ],
    "team": ["Tổ", "Tên Tổ", "Tổ CNSCĐ", "Tổ Công nghệ số cộng đồng"],
    "commune": ["Xã/Phường", "Xã", "Phường", "Xã, phường, thị trấn"],
    "notes": ["Ghi chú"],
    "national_id": [
        "Số CCCD",
        "CCCD",
        "Số căn cước",
        "Số căn cước công dân",
        "Số định danh cá nhân",
        "Số CCCD/CMND",
        "CCCD/CMND",
    ],
}
MEMBER_EXPORT_FIELDS = [
    "number",
    "full_name",
    "birth",
    "gender",
    "phone",
    "role",
    "affiliation",
    "village",
    "team",
    "commune",
    "notes",
]

ROLE_LABELS = {
    TeamRole.LEADER: "Tổ trưởng",
    TeamRole.STANDING_DEPUTY: "Tổ phó thường trực",
    TeamRole.DEPUTY: "Tổ phó",
    TeamRole.MEMBER: "Thành viên",
    TeamRole.COLLABORATOR: "Cộng tác viên",
}
# Folded prefixes, most specific first.
ROLE_PREFIXES = [
    ("to pho thuong truc", TeamRole.STANDING_DEPUTY),
    ("to pho tt", TeamRole.STANDING_DEPUTY),
    ("pho to truong thuong truc", TeamRole.STANDING_DEPUTY),
    ("to pho", TeamRole.DEPUTY),
    ("pho to truong", TeamRole.DEPUTY),
    ("to truong", TeamRole.LEADER),
    ("truong to", TeamRole.LEADER),
    ("thanh vien", TeamRole.MEMBER),
    ("to vien", TeamRole.MEMBER),
    ("uy vien", TeamRole.MEMBER),
    ("cong tac vien", TeamRole.COLLABORATOR),
    ("ctv", TeamRole.COLLABORATOR),
]

AFFILIATION_LABELS = {
    Affiliation.YOUTH_UNION: "Đoàn Thanh niên",
    Affiliation.WOMENS_UNION: "Hội Phụ nữ",
    Affiliation.FARMERS_UNION: "Hội Nông dân",
    Affiliation.COMMUNE_POLICE: "Công an viên",
    Affiliation.IT_TEACHER: "Giáo viên Tin học",
    Affiliation.TEACHER: "Giáo viên",
    Affiliation.HEALTH_WORKER: "Nhân viên y tế",
    Affiliation.TELECOM_POSTAL: "Doanh nghiệp viễn thông, bưu chính",
    Affiliation.PARTY_CELL: "Chi bộ",
    Affiliation.VILLAGE_HEAD: "Trưởng thôn",
    Affiliation.COMMUNE_STAFF: "Cán bộ, công chức xã",
    Affiliation.STUDENT: "Học sinh, sinh viên",
    Affiliation.CITIZEN: "Người dân",
    Affiliation.OTHER: "Khác",
}
# Folded whole words looked for in what communes type ("Bí thư Chi đoàn thôn", "Chi hội trưởng Phụ nữ"),
# in order: the first found wins.
AFFILIATION_KEYWORDS = [
    ("giao vien tin", Affiliation.IT_TEACHER),
    ("gv tin", Affiliation.IT_TEACHER),
    ("chi bo", Affiliation.PARTY_CELL),
    ("doan", Affiliation.YOUTH_UNION),
    ("thanh nien", Affiliation.YOUTH_UNION),
    ("phu nu", Affiliation.WOMENS_UNION),
    ("nong dan", Affiliation.FARMERS_UNION),
    ("cong an", Affiliation.COMMUNE_POLICE),
    ("giao vien", Affiliation.TEACHER),
    ("y te", Affiliation.HEALTH_WORKER),
    ("vien thong", Affiliation.TELECOM_POSTAL),
    ("buu chinh", Affiliation.TELECOM_POSTAL),
    ("buu dien", Affiliation.TELECOM_POSTAL),
    ("viettel", Affiliation.TELECOM_POSTAL),
    ("vnpt", Affiliation.TELECOM_POSTAL),
    ("mobifone", Affiliation.TELECOM_POSTAL),
    ("vnpost", Affiliation.TELECOM_POSTAL),
    ("truong thon", Affiliation.VILLAGE_HEAD),
    ("truong ban", Affiliation.VILLAGE_HEAD),
    ("truong khu", Affiliation.VILLAGE_HEAD),
    ("to truong to dan pho", Affiliation.VILLAGE_HEAD),
    ("cong chuc", Affiliation.COMMUNE_STAFF),
    ("can bo", Affiliation.COMMUNE_STAFF),
    ("ubnd", Affiliation.COMMUNE_STAFF),
    ("hoc sinh", Affiliation.STUDENT),
    ("sinh vien", Affiliation.STUDENT),
    ("nguoi dan", Affiliation.CITIZEN),
    ("nhan dan", Affiliation.CITIZEN),
    ("cong dan", Affiliation.CITIZEN),
]

GENDER_LABELS = {Gender.MALE: "Nam", Gender.FEMALE: "Nữ"}
GENDER_WORDS = {
    "nam": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "nu": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


def affiliation_from_text(text: str) -> str:
    words = f" {fold(text)} "
    if words.strip() == "":
        return Affiliation.CITIZEN
    for keyword, affiliation in AFFILIATION_KEYWORDS:
        if f" {keyword} " in words:
            return affiliation
    return Affiliation.OTHER


def role_from_text(text: str) -> str | None:
    """The role a cell names, MEMBER when empty, None when it names none."""
    folded = fold(text)
    if not folded:
        return TeamRole.MEMBER
    for prefix, role in ROLE_PREFIXES:
        if folded == prefix or folded.startswith(prefix + " "):
            return role
    return None
