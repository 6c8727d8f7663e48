from __future__ import annotations

import pytest
import vobject

from openkam.marketing.vcards import serialize, split_name
from openkam.stakeholders.services import stakeholder_create

pytestmark = pytest.mark.django_db

NAMES = {
    "own": "สมชาย ใจดี",  # Thai: given name, family name
    "own_sub": "Nguyễn Thị Minh Khai",  # Vietnamese (the account is in Vietnam): family first
    "foreign": "Đorđe Petrović",  # Serbian Latin
}


@pytest.fixture
def people(users, world):
    return {
        key: stakeholder_create(
            actor=users["director"],
            account=world[key],
            data={
                "name": name,
                "job_title": "Trưởng phòng mua hàng",
                "email": f"{key}@example.com",
                "phone": "+66 2 123 4567",
                "department": world[f"{key}_department"],
            },
        )
        for key, name in NAMES.items()
    }


def test_names_are_split_the_way_each_country_writes_them():
    assert split_name("สมชาย ใจดี", "TH") == ("ใจดี", "สมชาย")
    assert split_name("Nguyễn Thị Minh Khai", "VN") == ("Nguyễn", "Thị Minh Khai")
    assert split_name("Đorđe Petrović", "RS") == ("Petrović", "Đorđe")
    assert split_name("Cher", "") == ("Cher", "")


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_cards_keep_thai_vietnamese_and_serbian_names(people, version):
    for key, person in people.items():
        text = serialize(person, version)
        card = vobject.readOne(text)
        assert card.version.value == version
        assert card.fn.value == NAMES[key]
        assert card.title.value == "Trưởng phòng mua hàng"
        assert card.org.value == [person.account.name, "Merchandising / buying"]
        assert card.email.value == f"{key}@example.com"
        assert card.tel.value == "+66 2 123 4567"
        text.encode("utf-8")  # every character is representable
    vietnamese = vobject.readOne(serialize(people["own_sub"], version))
    assert vietnamese.n.value.family == "Nguyễn"
    assert vietnamese.adr.value.country == "Vietnam"


def test_version_4_names_its_kind_and_lowercase_types(people):
    card = vobject.readOne(serialize(people["own"], "4.0"))
    assert card.kind.value == "individual"
    assert card.email.type_param == "work"
    with pytest.raises(ValueError, match="must be one of"):
        serialize(people["own"], "2.1")
