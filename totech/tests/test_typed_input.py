"""The two rules for what people type (totech/forms.py parse_count, totech/text.py clean_input_text), which every
form, the admin and the imports share; their use in each place is tested in each app's test_typed_input.py."""

import unicodedata
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from totech.forms import CleanCharField, CountField, parse_count
from totech.spreadsheets import clean_text as clean_cell
from totech.text import clean_input_text, normalize_text


@pytest.mark.parametrize(
    "typed, number",
    [
        ("25.000", 25_000),
        ("25000", 25_000),
        ("25 000", 25_000),
        ("25\u00a0000", 25_000),
        ("1.234.567", 1_234_567),
        (" 7 ", 7),
        ("0", 0),
        (25_000, 25_000),
        (25_000.0, 25_000),
        (Decimal("12.00"), 12),
        ("", None),
        (None, None),
    ],
)
def test_a_count_is_read_with_or_without_dots_or_spaces_between_thousands(typed, number):
    assert parse_count(typed, label="Số hộ") == number


@pytest.mark.parametrize(
    "typed", ["1,5", "1.5", "1.50", "2.00", "25,000", "12.5000", "1.2345", "mười", "²", "１２", 1.5, True]
)
def test_a_count_with_a_decimal_part_or_anything_else_is_refused_naming_the_field(typed):
    with pytest.raises(ValidationError) as refused:
        parse_count(typed, label="Số hộ")
    assert refused.value.messages[0].startswith("Số hộ: “")
    assert "không phải là số nguyên" in refused.value.messages[0]


def test_a_negative_count_is_refused():
    with pytest.raises(ValidationError, match="Số hộ không được là số âm."):
        parse_count("-25.000", label="Số hộ")


def test_the_count_field_shows_numbers_as_the_hints_print_them():
    class Form(forms.Form):
        people = CountField(label="Số người")

    html = str(Form(initial={"people": 1_234_567})["people"])
    assert 'value="1.234.567"' in html and 'type="text"' in html and 'inputmode="numeric"' in html
    form = Form({"people": "1.234.567"})
    assert form.is_valid() and form.cleaned_data["people"] == 1_234_567


@pytest.mark.parametrize("text", ["25000", "25.000", "25 000", "1.234.567"])
def test_the_browser_pattern_accepts_what_the_server_accepts(text):
    import re

    from totech.forms import COUNT_PATTERN

    assert re.fullmatch(COUNT_PATTERN, text)


def test_text_is_stored_in_nfc_with_single_spaces_and_no_invisible_edges():
    typed = unicodedata.normalize("NFD", "\u200b\ufeff  Nguyễn   Văn\tÂn \u200b")
    assert clean_input_text(typed, label="Họ và tên") == "Nguyễn Văn Ân"
    assert clean_input_text("Dòng 1\r\n  dòng 2\r\n", label="Ghi chú", multiline=True) == "Dòng 1\n  dòng 2"
    assert clean_input_text("", label="Ghi chú") == "" and clean_input_text("   ", label="Ghi chú") == ""


@pytest.mark.parametrize(
    "typed, message",
    [
        ("\u200b\u200c\u200d", "Họ và tên chỉ gồm các ký tự vô hình: hãy nhập nội dung."),
        ("\u3164", "Họ và tên chỉ gồm các ký tự vô hình: hãy nhập nội dung."),
        ("Nguyễn \u202eAn", "Họ và tên chứa ký tự đảo chiều văn bản: hãy gõ lại."),
        ("Nguyễn \u2066An\u2069", "Họ và tên chứa ký tự đảo chiều văn bản: hãy gõ lại."),
        ("Nguyễn\x00An", "Họ và tên chứa ký tự điều khiển (mã ẩn bị dán kèm theo văn bản): hãy gõ lại."),
        ("Nguyễn\x1bAn", "Họ và tên chứa ký tự điều khiển (mã ẩn bị dán kèm theo văn bản): hãy gõ lại."),
        ("Nguyen\x85An", "Họ và tên chứa ký tự điều khiển (mã ẩn bị dán kèm theo văn bản): hãy gõ lại."),
    ],
)
def test_invisible_only_bidi_overrides_and_control_characters_are_refused(typed, message):
    with pytest.raises(ValidationError) as refused:
        clean_input_text(typed, label="Họ và tên")
    assert refused.value.messages == [message]


def test_the_form_field_and_the_spreadsheet_reader_normalise_alike():
    typed = unicodedata.normalize("NFD", "\u200b Thôn  Bản Giang ")
    field = CleanCharField(label="Tên thôn")
    assert field.clean(typed) == clean_cell(typed) == normalize_text(typed) == "Thôn Bản Giang"
    with pytest.raises(ValidationError, match="Tên thôn chứa ký tự đảo chiều"):
        field.clean("Thôn \u202eBản")
    assert CleanCharField(widget=forms.Textarea).clean("a\r\nb") == "a\nb"
