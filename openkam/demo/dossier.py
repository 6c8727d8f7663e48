"""Demo dossiers for the key accounts: general information, key figures for the last years and
portraits in the customer's language, some sections reviewed long ago (stale) and some not
written at all (missing).

Draws from its own random generator (seeded from the demo seed and each account's id order),
so the rest of the demo stays exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from decimal import Decimal

from openkam.accounts.models import Account, AccountStatus
from openkam.dossier.models import AccountProfile, Area, KeyFigure, PortraitSection

YEARS = 4
# The text of each area, in English and in the language of the customer's country of origin.
_TEXTS: dict[str, dict[str, str]] = {
    Area.ORIGIN: {
        "en": "Family-founded, still run by the second generation: loyalty and long relations "
        "count more than a cheaper offer.",
        "TH": "ก่อตั้งโดยครอบครัว ผู้บริหารรุ่นที่สอง ให้ความสำคัญกับความสัมพันธ์ระยะยาว",
        "VN": "Doanh nghiệp gia đình, thế hệ thứ hai điều hành; coi trọng quan hệ lâu dài.",
        "RS": "Porodična firma, vodi je druga generacija; dugoročni odnosi su važniji od cene.",
    },
    Area.CULTURE: {
        "en": "Decisions are made by the board after consensus; expect slow but firm answers.",
        "TH": "ตัดสินใจโดยคณะกรรมการหลังจากได้ฉันทามติ ช้าแต่มั่นคง",
        "VN": "Quyết định do hội đồng quản trị đưa ra sau khi đồng thuận; chậm nhưng chắc.",
        "RS": "Odluke donosi uprava posle dogovora; odgovori su spori, ali čvrsti.",
    },
    Area.CORPORATE: {
        "en": "Grow like-for-like sales 5 % a year; open 20 convenience stores; cut stock days.",
        "TH": "เพิ่มยอดขายสาขาเดิม 5% ต่อปี เปิดร้านสะดวกซื้อใหม่ 20 สาขา",
        "VN": "Tăng doanh số cùng cửa hàng 5% mỗi năm; mở thêm 20 cửa hàng tiện lợi.",
        "RS": "Rast prodaje u istim objektima 5 % godišnje; 20 novih prodavnica.",
    },
    Area.CATEGORY: {
        "en": "Our category is a traffic builder: promotions drive visits, margin comes later.",
        "TH": "หมวดสินค้าของเราเป็นตัวดึงลูกค้าเข้าร้าน โปรโมชันสร้างยอดเข้าร้าน",
        "VN": "Ngành hàng của chúng tôi thu hút khách; khuyến mãi tăng lượt ghé thăm.",
        "RS": "Naša kategorija dovodi kupce; akcije povećavaju broj poseta.",
    },
    Area.OPERATIONS: {
        "en": "Central warehouse, weekly replenishment; they steer by on-shelf availability.",
        "TH": "คลังสินค้ากลาง เติมสินค้าทุกสัปดาห์ วัดผลด้วยอัตราสินค้าพร้อมขายบนชั้น",
        "VN": "Kho trung tâm, bổ sung hàng hàng tuần; đo bằng tỷ lệ có hàng trên kệ.",
        "RS": "Centralni magacin, nedeljno dopunjavanje; prate dostupnost na polici.",
    },
    Area.CSR: {
        "en": "Halve single-use plastic by 2030; suppliers must report packaging weights.",
        "TH": "ลดพลาสติกใช้ครั้งเดียวลงครึ่งหนึ่งภายในปี 2030",
        "VN": "Giảm một nửa nhựa dùng một lần vào năm 2030.",
        "RS": "Prepoloviti jednokratnu plastiku do 2030.",
    },
}
_SOURCES = ("Annual report", "Business review", "Trade press", "Meeting with the buyer")


def load_dossier(*, seed: int, today: dt.date, accounts: Mapping[int, Account]) -> int:
    """Dossiers for every key account; returns how many accounts got one."""
    rng = random.Random(f"dossier-{seed}")
    # read back: the key-account loader nominated them after `accounts` was built
    keys = list(
        Account.objects.filter(pk__in=[a.pk for a in accounts.values()], status=AccountStatus.KEY)
        .only("pk", "country", "employees", "reporting_currency")
        .order_by("pk")
    )
    profiles, figures, sections = [], [], []
    for index, account in enumerate(keys):
        profiles.append(
            AccountProfile(
                account=account,
                sites=rng.randint(3, 900),
                sites_notes=rng.choice(("Hypermarkets and supermarkets", "Stores and 2 DCs", "")),
                organisation_notes="Head office buys centrally; three regional directors.",
            )
        )
        employees = account.employees or rng.randint(200, 20_000)
        turnover = Decimal(rng.randint(20, 2_000)) * 1_000_000
        for back in range(YEARS, 0, -1):
            figures.append(
                KeyFigure(
                    account=account,
                    year=today.year - back,
                    turnover=turnover,
                    currency=account.reporting_currency,
                    employees=employees,
                    source=rng.choice(_SOURCES),
                )
            )
            turnover = (turnover * Decimal(rng.uniform(0.95, 1.15))).quantize(Decimal("1"))
            employees = int(employees * rng.uniform(0.97, 1.08))
        language = account.country.code if account.country else ""
        for area in Area:
            # one key account in five misses a strategy section; one in three has a stale one
            if area in (Area.OPERATIONS, Area.CSR) and index % 5 == 0:
                continue
            stale = index % 3 == 0 and area in (Area.CORPORATE, Area.CATEGORY)
            age = rng.randint(200, 700) if stale else rng.randint(5, 150)
            texts = _TEXTS[area]
            sections.append(
                PortraitSection(
                    account=account,
                    area=area,
                    text=texts.get(language, texts["en"]),
                    source=rng.choice(_SOURCES),
                    reviewed_on=today - dt.timedelta(days=age),
                )
            )
    AccountProfile.objects.bulk_create(profiles, batch_size=1000)
    KeyFigure.objects.bulk_create(figures, batch_size=1000)
    PortraitSection.objects.bulk_create(sections, batch_size=1000)
    return len(keys)
