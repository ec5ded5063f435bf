"""A whole number from a query's text or a JSON body, as ``bounds.whole_number`` reads it for
every id, count and seat: ASCII digits only, so a digit-like character that ``int`` cannot read
("²", "٣") is refused naming the field, never a server error."""

from __future__ import annotations

import pytest

from keten.server.services.bounds import whole_number
from keten.server.services.errors import BadInputError


@pytest.mark.parametrize("raw", ["²", "٣", "1²", "--1", True, 1.5, None, "1" * 21])
def test_what_is_no_whole_number_is_refused_naming_the_field(raw: object) -> None:
    with pytest.raises(BadInputError) as refused:
        whole_number(raw, "seats", low=0, high=500)
    assert refused.value.field == "seats"


def test_text_and_json_numbers_within_the_bounds() -> None:
    assert whole_number(" 12 ", "seats", low=0, high=500) == 12
    assert whole_number(0, "seats", low=0, high=500) == 0
    with pytest.raises(BadInputError):
        whole_number("-1", "seats", low=0, high=500)
    with pytest.raises(BadInputError):
        whole_number(501, "seats", low=0, high=500)
