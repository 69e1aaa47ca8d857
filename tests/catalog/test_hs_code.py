import pytest
from django.core.exceptions import ValidationError

from catalog.validators import hs_code_format, validate_hs_code


class TestHsCode:
    @pytest.mark.parametrize("code", ["5701.10", "570110", "6913.90.00", "6913.90.00.00", "4202 92", "0101.21"])
    def test_six_eight_or_ten_digits_in_a_chapter_are_valid(self, code):
        validate_hs_code(code)

    @pytest.mark.parametrize("code", ["5701", "57011", "5701.10.0", "ABCD.10", "", "5701.10.00.00.00"])
    def test_other_lengths_and_letters_are_refused(self, code):
        with pytest.raises(ValidationError, match="6, 8 or 10 digits"):
            validate_hs_code(code)

    @pytest.mark.parametrize("code", ["0000.10", "7701.10", "9801.10"])
    def test_codes_outside_the_chapters_are_refused(self, code):
        with pytest.raises(ValidationError, match="not a chapter"):
            validate_hs_code(code)

    def test_codes_are_stored_in_dotted_form(self):
        assert hs_code_format("6913900000") == "6913.90.00.00"
        assert hs_code_format("5701 10") == "5701.10"
