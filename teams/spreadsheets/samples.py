"""A realistic, messy member list for a commune, as communes really send them (the "download a sample"
link, the demo and the tests use it): national header, title, merged cells, a numbering row, section rows
per village, dates and phones typed every which way, NFD text, stray spaces, a totals row, signatures."""

import datetime
import io
import random
import unicodedata

from openpyxl import Workbook

FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Ma",
    "Nông",
    "Lục",
]
MIDDLE_NAMES = {"male": ["Văn", "Đức", "Minh", "Quang", "Hữu"], "female": ["Thị", "Thu", "Ngọc", "Thanh", "Phương"]}
GIVEN_NAMES = {
    "male": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tuấn",
        "Việt",
    ],
    "female": ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Nga", "Oanh", "Thảo", "Yến"],
}
ROLES = ["Tổ trưởng", "tổ phó thường trực", "TỔ PHÓ", "Thành viên", "thành viên", "Tổ viên", "Thành  viên"]
AFFILIATIONS = [
    "Trưởng thôn",
    "Bí thư Chi đoàn",
    "Chi hội trưởng Phụ nữ",
    "Chi hội Nông dân",
    "Công an viên",
    "Giáo viên Tin học trường THCS",
    "Đoàn viên thanh niên",
    "Người dân",
    "Nhân viên VNPT",
]


def person_name(rng: random.Random, gender: str) -> str:
    return f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES[gender])} {rng.choice(GIVEN_NAMES[gender])}"


def messy_birth(rng: random.Random, index: int):
    date = datetime.date(rng.randint(1970, 2004), rng.randint(1, 12), rng.randint(1, 28))
    return [date, f"{date.day}/{date.month}/{date.year}", f"{date:%d/%m/%Y}", date.isoformat(), date.year][index % 5]


def messy_phone(rng: random.Random, index: int):
    digits = "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return [
        int(digits),  # stored as a number: the leading 0 is lost
        f"{digits[:4]} {digits[4:7]} {digits[7:]}",
        f"+84 {digits[1:4]}.{digits[4:7]}.{digits[7:]}",
        f"{digits[:4]}-{digits[4:]}",
        digits,
    ][index % 5]


def messy_member_workbook(
    commune_name: str, village_names: list[str], members_per_village: int = 6, seed: int = 2026
) -> bytes:
    """The workbook as bytes; every row imports cleanly into a commune holding those villages."""
    rng = random.Random(seed)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS To CNSCD"
    sheet.append([f"UBND {commune_name.upper()}", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append([None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("E1:I1")
    sheet.merge_cells("E2:I2")
    sheet.append([])
    sheet.append(["DANH SÁCH THÀNH VIÊN TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"])
    sheet.merge_cells("A4:I4")
    sheet.append([f"(Kèm theo Quyết định số 125/QĐ-UBND của UBND {commune_name})"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            " Họ và  tên ",
            "Ngày, tháng, năm sinh",
            "Giới tính",
            "Số ĐT",
            "Chức vụ trong Tổ",
            "Thành phần",
            "Thôn",
            "Ghi chú",
        ]
    )
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"])
    counter = 0
    for section, village in enumerate(village_names, start=1):
        roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][(section - 1) % 10]
        sheet.append([f"{roman}. TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG {village.upper()}"])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=9)
        first_row = sheet.max_row + 1
        for position in range(members_per_village):
            counter += 1
            gender = rng.choice(["male", "female"])
            name = person_name(rng, gender)
            if counter % 4 == 0:
                name = unicodedata.normalize("NFD", name)
            if counter % 6 == 0:
                name = f"  {name.replace(' ', '  ')} "
            role = "Tổ trưởng" if position == 0 else ("Tổ phó thường trực" if position == 1 else rng.choice(ROLES[3:]))
            if counter % 3 == 0:
                role = role.upper()
            village_cell = None  # filled for the first row and merged down (section 1), or typed loosely
            if section % 2 == 0:
                village_cell = [village, village.lower(), village.split(" ", 1)[-1]][position % 3]
            elif position == 0:
                village_cell = village
            sheet.append(
                [
                    position + 1,
                    name,
                    messy_birth(rng, counter),
                    "Nam" if gender == "male" else ("Nữ" if counter % 2 else "nữ"),
                    messy_phone(rng, counter),
                    role,
                    rng.choice(AFFILIATIONS),
                    village_cell,
                    None,
                ]
            )
            if isinstance(sheet.cell(sheet.max_row, 3).value, datetime.date):
                sheet.cell(sheet.max_row, 3).number_format = "dd/mm/yyyy"
        if section % 2 == 1 and members_per_village > 1:
            sheet.merge_cells(start_row=first_row, start_column=8, end_row=sheet.max_row, end_column=8)
        sheet.append([])
    sheet.append(["Tổng cộng", None, None, None, None, None, None, None, f"{counter} người"])
    sheet.append([])
    sheet.append([None, "Người lập biểu", None, None, None, f"{commune_name}, ngày 20 tháng 9 năm 2025"])
    sheet.append([None, None, None, None, None, "TM. ỦY BAN NHÂN DÂN"])
    sheet.append([None, None, None, None, None, "CHỦ TỊCH"])
    sheet.append([None, "Lê Thị Hồng", None, None, None, "Hoàng Văn Sáu"])
    for column, width in zip("ABCDEFGHI", [5, 26, 14, 9, 15, 20, 28, 18, 14], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
