"""Contact cards: a stakeholder as a vCard (3.0, RFC 2426, or 4.0, RFC 6350), built with
`vobject`, and many of them as one .vcf file.

A stakeholder has one name field. The structured name (N) splits it at its last space — the
given names first, the family name last, as Thai, Serbian and Filipino names are written —
except at accounts in countries that write the family name first (Vietnam, China, Japan,
Korea, Hungary), where the first word is the family name. The formatted name (FN), which
address books show, is always the name as it was entered. Text is UTF-8 throughout.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import vobject
from vobject.vcard import Address, Name

from openkam.stakeholders.models import Stakeholder

VERSIONS = ("3.0", "4.0")
DEFAULT_VERSION = "3.0"
CONTENT_TYPE = "text/vcard; charset=utf-8"
FAMILY_NAME_FIRST = {"VN", "CN", "JP", "KR", "HU", "TW"}


def split_name(name: str, country: str = "") -> tuple[str, str]:
    """(family name, given names) of a one-field name."""
    words = name.split()
    if len(words) < 2:
        return name.strip(), ""
    if country in FAMILY_NAME_FIRST:
        return words[0], " ".join(words[1:])
    return words[-1], " ".join(words[:-1])


def _type(version: str, value: str) -> str:
    return value.lower() if version == "4.0" else value.upper()


def stakeholder_vcard(
    person: Stakeholder, version: str = DEFAULT_VERSION
) -> vobject.base.Component:
    """The person's card: name, organisation and department, job title, e-mail, phone, the
    account's country as the work address, the account's website."""
    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {VERSIONS}, not {version!r}")
    account = person.account
    country = str(account.country.code or "")
    card = vobject.vCard()
    card.add("version").value = version
    if version == "4.0":
        card.add("kind").value = "individual"
    family, given = split_name(person.name, country)
    card.add("n").value = Name(family=family, given=given)
    card.add("fn").value = person.name
    organisation = [account.name]
    if person.department_id:
        organisation.append(str(person.department))
    card.add("org").value = organisation
    if person.job_title:
        card.add("title").value = person.job_title
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = _type(version, "work")
    if person.phone:
        phone = card.add("tel")
        phone.value = person.phone
        phone.type_param = _type(version, "work")
    if country:
        address = card.add("adr")
        address.value = Address(country=str(account.country.name))
        address.type_param = _type(version, "work")
    if account.website:
        card.add("url").value = account.website
    card.add("uid").value = f"urn:openkam:stakeholder:{person.pk}"
    return card


def serialize(person: Stakeholder, version: str = DEFAULT_VERSION) -> str:
    return stakeholder_vcard(person, version).serialize()


def many(people: Iterable[Stakeholder], version: str = DEFAULT_VERSION) -> Iterator[str]:
    """The cards one after the other: together, one .vcf file."""
    for person in people:
        yield serialize(person, version)


def file_name(stem: str) -> str:
    """A safe ASCII download name."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in stem)
    return f"{safe.strip('-')[:60] or 'contacts'}.vcf"
