"""Word lists for the demo data: fictional company names, people's names, job titles, products.

Every company here is invented. People's names are common given and family names, combined at
random.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    """Comma-separated words as a tuple."""
    return tuple(word.strip() for word in text.split(","))


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """Comma-separated `a=b` items as (a, b) tuples."""
    pairs = []
    for item in text.split(","):
        first, second = item.strip().split("=")
        pairs.append((first, second))
    return tuple(pairs)


class Industry(NamedTuple):
    segment: str | None
    employees: tuple[int, int]
    weight: int
    names: tuple[str, ...]
    departments: tuple[str, ...]
    description: str
    units: tuple[int, int]


SEGMENTS: dict[str, str] = {
    "Modern trade": "Retail chains, supermarkets and convenience stores.",
    "Traditional trade": "Wholesalers serving independent shops and markets.",
    "HoReCa": "Hotels, restaurants and caterers.",
    "Industrial": "Manufacturers buying ingredients, packaging and supplies.",
    "Distributors": "Distributors and logistics partners reselling our range.",
    "Healthcare": "Hospitals, clinics and pharmacy chains.",
    "Financial services": "Banks and insurers buying for offices, branches and canteens.",
}

_RETAIL_DEPTS = ("buying", "operations", "marketing", "finance", "it", "other")

INDUSTRIES: dict[str, Industry] = {
    "retail chain": Industry(
        "Modern trade",
        (800, 30000),
        10,
        ("{p} Retail", "{p} Department Store"),
        _RETAIL_DEPTS,
        "Department-store and hypermarket chain with {n} stores, headquartered in {city}.",
        (8, 120),
    ),
    "supermarket": Industry(
        "Modern trade",
        (300, 12000),
        12,
        ("{p} Supermarket", "{p} Fresh Market"),
        _RETAIL_DEPTS,
        "Supermarket chain with {n} stores around {city}, strong in fresh food and private label.",
        (10, 250),
    ),
    "convenience store": Industry(
        "Modern trade",
        (200, 8000),
        8,
        ("{p} Mini Mart", "{p} Express"),
        _RETAIL_DEPTS,
        "Convenience-store network of {n} outlets, most open around the clock, based in {city}.",
        (50, 1500),
    ),
    "wholesaler": Industry(
        "Traditional trade",
        (15, 600),
        12,
        ("{p} Wholesale", "{p} Trading"),
        ("buying", "finance", "operations"),
        "Family-owned wholesaler supplying about {n} independent shops around {city}.",
        (200, 5000),
    ),
    "hotel": Industry(
        "HoReCa",
        (80, 2500),
        9,
        ("{p} Hotels & Resorts", "{p} Grand Hotel"),
        ("buying", "operations", "finance", "marketing"),
        "Hotel group operating {n} properties, with its flagship in {city}.",
        (2, 30),
    ),
    "restaurant group": Industry(
        "HoReCa",
        (60, 4000),
        8,
        ("{p} Restaurant Group", "{p} Kitchen"),
        ("buying", "operations", "finance", "marketing"),
        "Restaurant group with {n} outlets, central kitchen in {city}.",
        (8, 200),
    ),
    "hospital": Industry(
        "Healthcare",
        (200, 6000),
        7,
        ("{p} Hospital", "{p} Medical Center"),
        ("buying", "operations", "finance", "it", "other"),
        "Private hospital with {n} beds in {city}; buys for wards, canteens and the shop.",
        (80, 900),
    ),
    "pharmacy chain": Industry(
        "Healthcare",
        (100, 5000),
        6,
        ("{p} Pharmacy", "{p} Drugstore"),
        ("buying", "operations", "marketing", "finance", "it"),
        "Pharmacy chain with {n} branches, headquartered in {city}.",
        (20, 800),
    ),
    "bank": Industry(
        "Financial services",
        (500, 20000),
        5,
        ("{p} Bank", "{p} Savings Bank"),
        ("buying", "it", "finance", "marketing", "operations", "other"),
        "Commercial bank with {n} branches; buys for its offices, branches and staff canteens.",
        (30, 400),
    ),
    "manufacturer": Industry(
        "Industrial",
        (100, 8000),
        9,
        ("{p} Foods", "{p} Industries"),
        ("buying", "operations", "finance", "it", "other"),
        "Food manufacturer in {city} with {n} production lines.",
        (2, 40),
    ),
    "distributor": Industry(
        "Distributors",
        (40, 2500),
        10,
        ("{p} Distribution", "{p} Logistics"),
        ("buying", "operations", "finance", "marketing", "it"),
        "Distributor covering {n} points of sale from its warehouse in {city}.",
        (500, 20000),
    ),
    "telecom": Industry(
        None,
        (1000, 20000),
        3,
        ("{p} Telecom", "{p} Mobile"),
        ("buying", "it", "finance", "marketing", "operations"),
        "Mobile operator with {n} shops; buys for its shops, offices and customer events.",
        (20, 600),
    ),
}

# Thai display names stay in English, as Thai companies register them; the legal name is Thai.
THAI_LEGAL: dict[str, str] = {
    "retail chain": "บริษัท {p} รีเทล จำกัด",
    "supermarket": "บริษัท {p} ซูเปอร์มาร์เก็ต จำกัด",
    "convenience store": "บริษัท {p} มินิมาร์ท จำกัด",
    "wholesaler": "ห้างหุ้นส่วนจำกัด {p} ค้าส่ง",
    "hotel": "บริษัท {p} โฮเทล แอนด์ รีสอร์ท จำกัด",
    "restaurant group": "บริษัท {p} ฟู้ด กรุ๊ป จำกัด",
    "hospital": "บริษัท โรงพยาบาล{p} จำกัด (มหาชน)",
    "pharmacy chain": "บริษัท {p} ฟาร์มาซี จำกัด",
    "bank": "ธนาคาร{p} จำกัด (มหาชน)",
    "manufacturer": "บริษัท {p} อุตสาหกรรมอาหาร จำกัด",
    "distributor": "บริษัท {p} ดิสทริบิวชั่น จำกัด",
    "telecom": "บริษัท {p} เทเลคอม จำกัด (มหาชน)",
}

THAI_PREFIXES: tuple[tuple[str, str], ...] = _pairs(
    "Siam=สยาม, Chao Phraya=เจ้าพระยา, Lanna=ล้านนา, Rattanakosin=รัตนโกสินทร์, Thanya=ธัญญา, "
    "Sukjai=สุขใจ, Rungroj=รุ่งโรจน์, Chokdee=โชคดี, Saeng Thong=แสงทอง, Isan=อีสาน, "
    "Andaman=อันดามัน, Kanchana=กาญจนา, Phet Siam=เพชรสยาม, Ruamjai=ร่วมใจ, Pattana=พัฒนา, "
    "Srisuk=ศรีสุข, Boonmee=บุญมี, Wattana=วัฒนา, Nakorn=นคร, Chalerm=เฉลิม, Sirikul=ศิริกุล, "
    "Rak Thai=รักไทย, Mae Ping=แม่ปิง, Khong Kaew=โขงแก้ว, Thong Fah=ทองฟ้า"
)

VIETNAMESE_NAMES: dict[str, tuple[str, ...]] = {
    "retail chain": ("{p} Retail", "Điện máy {p}"),
    "supermarket": ("Siêu thị {p}", "{p} Mart"),
    "convenience store": ("{p} Mini", "{p} 24h"),
    "wholesaler": ("Tổng kho {p}", "Bách hóa {p}"),
    "hotel": ("Khách sạn {p}", "{p} Resort"),
    "restaurant group": ("Nhà hàng {p}", "{p} F&B"),
    "hospital": ("Bệnh viện {p}", "Phòng khám {p}"),
    "pharmacy chain": ("Nhà thuốc {p}", "{p} Pharma"),
    "bank": ("{p} Bank",),
    "manufacturer": ("Thực phẩm {p}", "{p} Foods"),
    "distributor": ("Phân phối {p}", "{p} Logistics"),
    "telecom": ("{p} Telecom",),
}

VIETNAMESE_LEGAL: dict[str, str] = {
    "retail chain": "Công ty Cổ phần Thương mại {p}",
    "supermarket": "Công ty TNHH Siêu thị {p}",
    "convenience store": "Công ty TNHH Bán lẻ {p}",
    "wholesaler": "Công ty TNHH Thương mại {p}",
    "hotel": "Công ty Cổ phần Du lịch {p}",
    "restaurant group": "Công ty TNHH Ẩm thực {p}",
    "hospital": "Công ty Cổ phần Bệnh viện {p}",
    "pharmacy chain": "Công ty Cổ phần Dược phẩm {p}",
    "bank": "Ngân hàng TMCP {p}",
    "manufacturer": "Công ty TNHH Thực phẩm {p}",
    "distributor": "Công ty TNHH Phân phối {p}",
    "telecom": "Công ty Cổ phần Viễn thông {p}",
}

VIETNAMESE_PREFIXES: tuple[str, ...] = _words(
    "Sao Mai, Hồng Hà, Phương Nam, Thành Công, Đại Việt, Hoàng Long, Bình Minh, An Phát, Minh "
    "Châu, Tân Phú, Phú Gia, Hải Âu, Kim Long, Bảo An, Thiên Phúc, Hòa Bình, Sông Hàn, Trường "
    "Sơn, Cửu Long, Lam Sơn, Ngọc Lan, Tây Hồ, Hạ Long, Bến Thành, Phú Quý"
)

SERBIAN_NAMES: dict[str, tuple[str, ...]] = {
    "retail chain": ("{p} Market", "Robna kuća {p}"),
    "supermarket": ("Supermarket {p}", "{p} Svež"),
    "convenience store": ("{p} Mini Market", "{p} Ekspres"),
    "wholesaler": ("{p} Veleprodaja", "{p} Promet"),
    "hotel": ("Hotel {p}", "{p} Resort"),
    "restaurant group": ("{p} Gastro", "Restorani {p}"),
    "hospital": ("Bolnica {p}", "Poliklinika {p}"),
    "pharmacy chain": ("Apoteka {p}", "{p} Farm"),
    "bank": ("{p} banka",),
    "manufacturer": ("{p} Prehrana", "{p} Industrija"),
    "distributor": ("{p} Distribucija", "{p} Logistika"),
    "telecom": ("{p} Telekom",),
}

SERBIAN_PREFIXES: tuple[str, ...] = _words(
    "Dunav, Sava, Tara, Zlatibor, Avala, Šumadija, Banat, Srem, Drina, Ibar, Timok, Rudnik, "
    "Kosmaj, Fruška, Jadar, Podunavlje, Zlatar, Vlasina, Kopaonik, Resava, Mlava, Toplica, "
    "Pčinja, Golija, Rtanj"
)

FILIPINO_PREFIXES: tuple[str, ...] = _words(
    "Luzon, Visayas, Mabuhay, Tala, Lakan, Silangan, Kalayaan, Maharlika, Pasig, Davao, Iloilo, "
    "Batangas, Bicol, Malaya, Magiting, Sampaguita, Narra, Agila, Bituin, Bahaghari, Taal, "
    "Pampanga, Ilocos, Palawan, Dagat"
)

OTHER_PREFIXES: dict[str, tuple[str, ...]] = {
    "MY": ("Sinar", "Cahaya", "Mutiara", "Klang Valley", "Melaka", "Seri Indah", "Bunga Raya"),
    "SG": ("Straits", "Marina", "Orchid", "Kallang", "Lion City", "Harbourfront"),
    "ID": ("Nusantara", "Merapi", "Cendana", "Samudra", "Sinar Jaya", "Karya Abadi"),
    "DE": ("Rheinland", "Alpen", "Hanse", "Nordsee", "Elbtal", "Schwarzwald"),
    "US": ("Pacific", "Lakeside", "Prairie", "Evergreen", "Golden Gate", "Bayview"),
}

LEGAL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "PH": ("{n}, Inc.", "{n} Corporation"),
    "MY": ("{n} Sdn. Bhd.", "{n} Berhad"),
    "SG": ("{n} Pte. Ltd.",),
    "ID": ("PT {n}", "PT {n} Tbk"),
    "DE": ("{n} GmbH", "{n} AG"),
    "US": ("{n}, Inc.", "{n} LLC"),
}

CITIES: dict[str, tuple[str, ...]] = {
    "TH": (
        "Bangkok",
        "Chiang Mai",
        "Khon Kaen",
        "Phuket",
        "Hat Yai",
        "Nakhon Ratchasima",
        "Udon Thani",
        "Pattaya",
    ),
    "VN": ("TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Nha Trang"),
    "RS": ("Beograd", "Novi Sad", "Niš", "Kragujevac", "Subotica", "Čačak"),
    "PH": ("Makati", "Manila", "Quezon City", "Cebu City", "Davao City", "Iloilo City", "Pasig"),
    "MY": ("Kuala Lumpur", "Penang", "Johor Bahru", "Kota Kinabalu"),
    "SG": ("Singapore",),
    "ID": ("Jakarta", "Surabaya", "Bandung", "Medan"),
    "DE": ("Hamburg", "München", "Köln", "Frankfurt am Main"),
    "US": ("Seattle", "Chicago", "Houston", "San Diego"),
    "BA": ("Sarajevo", "Banja Luka"),
    "ME": ("Podgorica",),
    "MK": ("Skopje",),
}

CURRENCIES: dict[str, str] = {
    "TH": "THB",
    "VN": "VND",
    "RS": "RSD",
    "PH": "PHP",
    "DE": "EUR",
    "ME": "EUR",
}

# Phone numbers in each country's international format; "#" is a random digit.
PHONE_FORMATS: dict[str, tuple[str, ...]] = {
    "TH": ("+66 2 ### ####", "+66 8# ### ####", "+66 9# ### ####"),
    "VN": ("+84 24 #### ####", "+84 28 #### ####", "+84 9# ### ####"),
    "RS": ("+381 11 ### ####", "+381 21 ### ####", "+381 6# ### ####"),
    "PH": ("+63 2 8### ####", "+63 917 ### ####", "+63 998 ### ####"),
    "MY": ("+60 3-#### ####", "+60 1#-### ####"),
    "SG": ("+65 6### ####", "+65 9### ####"),
    "ID": ("+62 21 #### ####", "+62 81#-####-####"),
    "DE": ("+49 40 ########", "+49 89 ########", "+49 15# #######"),
    "US": ("+1 206-555-01##", "+1 312-555-01##"),
    "BA": ("+387 33 ### ###", "+387 6# ### ###"),
    "ME": ("+382 20 ### ###", "+382 6# ### ###"),
    "MK": ("+389 2 ### ####", "+389 7# ### ###"),
}

# Given and family names (local script, romanised) for countries Faker does not cover well.
THAI_GIVEN_MALE: tuple[tuple[str, str], ...] = _pairs(
    "สมชาย=Somchai, ประเสริฐ=Prasert, วิชัย=Wichai, สุรชัย=Surachai, ธนพล=Thanaphon, "
    "อนุชา=Anucha, ชัยวัฒน์=Chaiwat, กิตติพงษ์=Kittipong, ณัฐพล=Nattaphon, พงศกร=Pongsakorn, "
    "ธีรวัฒน์=Teerawat, วีระ=Weera, ศักดิ์ชัย=Sakchai, อภิชาติ=Apichart, ปิยะ=Piya, "
    "เอกชัย=Ekkachai, สุทธิพงษ์=Suthipong, ธนากร=Thanakorn, วรวุฒิ=Worawut, จักรพันธ์=Jakkaphan"
)
THAI_GIVEN_FEMALE: tuple[tuple[str, str], ...] = _pairs(
    "สุภาพร=Supaporn, ศิริพร=Siriporn, วันเพ็ญ=Wanpen, นภัสสร=Napatsorn, กาญจนา=Kanchana, "
    "พิมพ์ชนก=Pimchanok, อรุณี=Arunee, รัตนา=Rattana, ปวีณา=Paweena, จิราพร=Jiraporn, "
    "สุนิสา=Sunisa, มาลี=Malee, ณัฐธิดา=Nattida, วรรณา=Wanna, ดวงใจ=Duangjai, "
    "เบญจวรรณ=Benjawan, ชนิดา=Chanida, อัญชลี=Anchalee, พรทิพย์=Pornthip, ธิดารัตน์=Thidarat"
)
THAI_FAMILY: tuple[tuple[str, str], ...] = _pairs(
    "ใจดี=Jaidee, ศรีสุข=Srisuk, แก้วมณี=Kaewmanee, บุญมา=Boonma, สุขสวัสดิ์=Suksawat, "
    "วงศ์ไทย=Wongthai, ทองดี=Thongdee, รัตนพันธ์=Rattanaphan, ชัยมงคล=Chaimongkol, "
    "พึ่งบุญ=Phuengboon, เจริญผล=Charoenphon, มีสุข=Meesuk, ศรีวงศ์=Sriwong, "
    "นาคสวัสดิ์=Naksawat, อินทร์แก้ว=Inkaew, สมบูรณ์ชัย=Somboonchai, ปัญญาดี=Panyadee, "
    "วัฒนกุล=Wattanakul, ธนสาร=Thanasarn, กิตติศักดิ์=Kittisak, เพชรรัตน์=Petcharat, "
    "สายทอง=Saithong, บุญเรือง=Boonruang, แสงอรุณ=Saengarun, พรหมมา=Phromma, จันทร์เพ็ญ=Janpen, "
    "ทองคำ=Thongkham, ศิริวัฒน์=Siriwat"
)

VIETNAMESE_MIDDLE_MALE: tuple[str, ...] = _words("Văn, Hữu, Quang, Minh, Đức, Thành, Công")
VIETNAMESE_MIDDLE_FEMALE: tuple[str, ...] = _words("Thị, Ngọc, Thu, Thanh, Kim, Phương")

SERBIAN_GIVEN_MALE: tuple[str, ...] = _words(
    "Marko, Nikola, Stefan, Miloš, Lazar, Aleksandar, Dušan, Nemanja, Vladimir, Dragan, Zoran, "
    "Milan, Dejan, Goran, Ivan, Đorđe, Uroš, Bojan, Srđan, Petar"
)
SERBIAN_GIVEN_FEMALE: tuple[str, ...] = _words(
    "Milica, Jelena, Ana, Marija, Ivana, Jovana, Tijana, Dragana, Snežana, Maja, Teodora, "
    "Katarina, Sanja, Vesna, Bojana, Nataša, Tamara, Aleksandra, Gordana, Ljiljana"
)
SERBIAN_FAMILY: tuple[str, ...] = _words(
    "Jovanović, Petrović, Nikolić, Marković, Đorđević, Stojanović, Ilić, Stanković, Pavlović, "
    "Kovačević, Popović, Živković, Todorović, Lazić, Ristić, Savić, Vasić, Mitrović, Obradović, "
    "Kostić, Tomić, Milenković, Radovanović, Stevanović, Lukić, Simić, Nedeljković, Đurić, "
    "Bogdanović"
)

FILIPINO_GIVEN_MALE: tuple[str, ...] = _words(
    "Jose, Juan Carlos, Mark Anthony, John Paul, Rodel, Arnel, Ramon, Jericho, Christian, "
    "Paolo, Miguel, Rafael, Noel, Edgardo, Renato, Carlo, Angelo, Dennis, Ronaldo, Jayson"
)
FILIPINO_GIVEN_FEMALE: tuple[str, ...] = _words(
    "Maria Cristina, Ana Marie, Kristine, Maricel, Rowena, Lorna, Teresita, Jocelyn, Angelica, "
    "Patricia, Camille, Bea, Joy, Mary Grace, Rhea, Divina, Liza, Charmaine, Aileen, Catherine"
)
FILIPINO_FAMILY: tuple[str, ...] = _words(
    "Santos, Reyes, Cruz, Bautista, Ocampo, Garcia, Mendoza, Torres, Tomas, Andrada, Castillo, "
    "Flores, Villanueva, Ramos, Castro, Rivera, Aquino, Navarro, Salazar, Mercado, dela Cruz, "
    "Soriano, Gonzales, Lopez, Manalo, Pascual, Dizon, Aguilar, Tolentino, de Leon, Valdez, "
    "Lim, Tan, Sy"
)

# Malaysia and Singapore: Chinese names family-first, Malay names with bin/binti, Indian names.
CHINESE_FAMILY: tuple[str, ...] = _words("Tan, Lim, Lee, Ng, Wong, Chong, Goh, Ong, Teo, Chua")
CHINESE_GIVEN: tuple[str, ...] = _words(
    "Wei Ling, Chee Keong, Mei Ling, Kah Wai, Hui Min, Jun Hao, Siew Lan, Boon Huat, Li Ting, "
    "Zhi Wei"
)
MALAY_GIVEN_MALE: tuple[str, ...] = _words(
    "Ahmad Faizal, Muhammad Hafiz, Azlan, Amirul, Haziq, Khairul Anuar"
)
MALAY_GIVEN_FEMALE: tuple[str, ...] = _words(
    "Nur Aisyah, Farah, Syafiqah, Aina, Nur Hidayah, Siti Aminah"
)
MALAY_FATHER: tuple[str, ...] = _words("Hassan, Ismail, Abdullah, Rahman, Ibrahim, Yusof, Othman")
INDIAN_GIVEN: tuple[str, ...] = _words(
    "Arjun, Priya, Kavitha, Suresh, Ramesh, Deepa, Vijay, Anitha"
)
INDIAN_FAMILY: tuple[str, ...] = _words("Subramaniam, Raj, Pillai, Nair, Krishnan, Muthu")


class Titles(NamedTuple):
    head: tuple[str, ...]
    staff: tuple[str, ...]


TITLES: dict[str, Titles] = {
    "management": Titles(
        ("Managing Director", "Chief Executive Officer", "General Manager", "President"),
        (
            "Deputy Managing Director",
            "Chief Operating Officer",
            "Strategy Manager",
            "Executive Assistant to the CEO",
        ),
    ),
    "buying": Titles(
        (
            "Head of Purchasing",
            "Purchasing Director",
            "Head of Category Management",
            "Procurement Director",
        ),
        (
            "Category Buyer",
            "Senior Buyer",
            "Category Manager",
            "Assistant Buyer",
            "Procurement Officer",
            "Purchasing Specialist",
        ),
    ),
    "operations": Titles(
        ("Operations Director", "Head of Store Operations", "Supply Chain Director"),
        (
            "Store Operations Manager",
            "Logistics Manager",
            "Warehouse Manager",
            "Regional Manager",
            "Space Planning Manager",
            "Quality Assurance Manager",
        ),
    ),
    "marketing": Titles(
        ("Marketing Director", "Chief Marketing Officer", "Head of Marketing"),
        (
            "Trade Marketing Manager",
            "Promotions Manager",
            "Brand Manager",
            "Loyalty Programme Manager",
            "E-commerce Manager",
        ),
    ),
    "finance": Titles(
        ("CFO", "Finance Director"),
        ("Accounts Payable Manager", "Financial Controller", "Credit Manager", "Treasury Manager"),
    ),
    "it": Titles(
        ("IT Director", "CIO", "Head of IT"),
        ("IT Manager", "ERP Manager", "EDI Specialist", "Data Analyst"),
    ),
    "other": Titles(
        ("Head of Legal", "HR Director", "Sustainability Director"),
        ("Legal Counsel", "HR Manager", "CSR Manager", "Quality Manager"),
    ),
}

# Titles that only make sense in some industries replace the general ones there.
INDUSTRY_TITLES: dict[tuple[str, str], Titles] = {
    ("hospital", "management"): Titles(
        ("Hospital Director", "Chief Executive Officer"),
        ("Medical Director", "Chief Operating Officer"),
    ),
    ("hospital", "operations"): Titles(
        ("Nursing Director", "Head of Clinical Services"),
        ("Pharmacy Manager", "Head Nurse", "Catering Manager"),
    ),
    ("hotel", "operations"): Titles(
        ("Director of Operations",),
        ("F&B Director", "Executive Chef", "Executive Housekeeper", "Banquet Manager"),
    ),
    ("restaurant group", "operations"): Titles(
        ("Head of Operations",),
        ("Executive Chef", "Area Manager", "Central Kitchen Manager"),
    ),
    ("bank", "management"): Titles(
        ("President & CEO", "Chief Executive Officer"),
        ("Chief Operating Officer", "Head of Branch Network"),
    ),
    ("wholesaler", "management"): Titles(
        ("Owner", "Managing Director"),
        ("Deputy Managing Director",),
    ),
}

STAKEHOLDER_NOTES: tuple[str, ...] = (
    "Prefers meetings early in the morning; replies fastest on the phone.",
    "Plays golf most Saturdays; invited to our annual customer tournament.",
    "Reviews listings with the category team every quarter.",
    "Asks for promotion calendars three months ahead.",
    "Sensitive to delivery delays; escalate any late order at once.",
    "Wants data: bring sell-out figures to every meeting.",
    "Joined from a competitor of the account; knows their terms well.",
    "Former colleague of our regional manager.",
)

COMPETITORS: tuple[str, ...] = (
    "Asia Pacific Foods",
    "Golden Harvest Trading",
    "NordFood International",
    "Evergreen Beverages",
    "Blue Lotus Consumer",
    "Meridian Brands",
)

HISTORY_EVENTS: tuple[str, ...] = (
    "Listed our coffee range in {year} after a successful in-store trial.",
    "Won the annual supply tender in {year} against two regional competitors.",
    "Volumes dipped in {year} after a change of head buyer and recovered the next year.",
    "Joint promotion with their loyalty programme in {year} doubled sell-out for a quarter.",
    "Extended the contract to professional hygiene products in {year}.",
)

LOSS_REASONS: tuple[str, ...] = (
    "moved to a competitor after repeated delivery delays",
    "left after a price increase we could not explain",
    "switched suppliers when their new head buyer arrived",
    "stopped ordering after a quality complaint was handled too slowly",
)

# (category code, category name, unit, product names)
PRODUCTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "BEV",
        "Beverages",
        "case",
        (
            "Mountain Spring Water 500 ml",
            "Mountain Spring Water 1.5 l",
            "Tropical Mango Juice 1 l",
            "Citrus Sparkling Soda 330 ml",
            "Green Tea Drink 500 ml",
            "Isotonic Sports Drink 500 ml",
            "Coconut Water 330 ml",
        ),
    ),
    (
        "COF",
        "Coffee & tea",
        "carton",
        (
            "Highland Arabica Beans 1 kg",
            "Highland Espresso Blend 1 kg",
            "3-in-1 Instant Coffee 20 sachets",
            "Jasmine Green Tea 100 bags",
            "Thai Tea Mix 400 g",
            "Cold Brew Concentrate 1 l",
            "Decaf Ground Coffee 250 g",
        ),
    ),
    (
        "SNK",
        "Snacks",
        "carton",
        (
            "Sea Salt Rice Crackers 120 g",
            "Spicy Cassava Chips 90 g",
            "Roasted Cashews 200 g",
            "Seaweed Snack 32 g",
            "Banana Chips 150 g",
            "Chocolate Wafer 24 x 20 g",
            "Dried Mango 100 g",
        ),
    ),
    (
        "DAI",
        "Dairy",
        "case",
        (
            "UHT Full-Cream Milk 1 l",
            "UHT Low-Fat Milk 1 l",
            "Drinking Yoghurt Strawberry 180 ml",
            "Sweetened Condensed Milk 390 g",
            "Cheddar Slices 200 g",
            "Unsalted Butter 227 g",
            "Evaporated Milk 410 g",
        ),
    ),
    (
        "PER",
        "Personal care",
        "carton",
        (
            "Herbal Shampoo 400 ml",
            "Whitening Toothpaste 160 g",
            "Antibacterial Soap 4 x 100 g",
            "Hand Sanitiser 500 ml",
            "Body Lotion 250 ml",
            "Roll-on Deodorant 50 ml",
            "Baby Powder 200 g",
        ),
    ),
    (
        "HOU",
        "Household cleaning",
        "carton",
        (
            "Dishwashing Liquid Lemon 800 ml",
            "Laundry Powder 3 kg",
            "Fabric Softener 1.8 l",
            "Floor Cleaner Pine 1 l",
            "Glass Cleaner 500 ml",
            "Bathroom Cleaner 750 ml",
            "Bleach 1 l",
        ),
    ),
    (
        "PRO",
        "Professional hygiene",
        "pack",
        (
            "Hotel Amenity Kit 200 sets",
            "Surface Disinfectant 5 l",
            "Industrial Degreaser 5 l",
            "Hand Soap Refill 5 l",
            "Paper Hand Towels 20 packs",
            "Nitrile Gloves 100 pcs",
            "Professional Laundry Detergent 20 kg",
        ),
    ),
    (
        "FSV",
        "Food service",
        "pack",
        (
            "Frying Oil 18 l",
            "Jasmine Rice 25 kg",
            "Instant Noodles Catering 30 x 60 g",
            "Chilli Sauce 5 kg",
            "Fish Sauce 4.5 l",
            "Coconut Milk 1 l",
            "Chicken Stock Powder 1 kg",
            "Soy Sauce 5 l",
        ),
    ),
)


class GroupCompany(NamedTuple):
    name: str
    legal_name: str
    country: str
    industry: str
    status: str
    owner: str | None
    subsidiaries: tuple[GroupCompany, ...] = ()


# Three groups whose subsidiaries work across borders, with fixed owners so the demo tells the
# same story every time: kam1 looks after the Thai retail group, kam2 the Serbian distributor.
GROUPS: tuple[GroupCompany, ...] = (
    GroupCompany(
        "Siam Horizon Group",
        "บริษัท สยามฮอไรซัน กรุ๊ป จำกัด (มหาชน)",
        "TH",
        "retail chain",
        "key",
        "kam1",
        (
            GroupCompany(
                "Horizon Fresh Supermarket",
                "บริษัท ฮอไรซัน เฟรช ซูเปอร์มาร์เก็ต จำกัด",
                "TH",
                "supermarket",
                "key",
                "kam1",
            ),
            GroupCompany(
                "Horizon Mini", "บริษัท ฮอไรซัน มินิ จำกัด", "TH", "convenience store", "active", "kam5"
            ),
            GroupCompany(
                "Horizon Retail Vietnam",
                "Công ty TNHH Horizon Retail Việt Nam",
                "VN",
                "retail chain",
                "key",
                "kam4",
                (
                    GroupCompany(
                        "Horizon Mini Vietnam",
                        "Công ty TNHH Horizon Mini Việt Nam",
                        "VN",
                        "convenience store",
                        "prospect",
                        None,
                    ),
                ),
            ),
        ),
    ),
    GroupCompany(
        "Morava Distribucija",
        "Morava Distribucija d.o.o. Beograd",
        "RS",
        "distributor",
        "key",
        "kam2",
        (
            GroupCompany(
                "Morava Logistika",
                "Morava Logistika d.o.o. Novi Sad",
                "RS",
                "distributor",
                "active",
                "kam2",
            ),
            GroupCompany(
                "Morava BH", "Morava BH d.o.o. Sarajevo", "BA", "distributor", "active", "kam2"
            ),
            GroupCompany(
                "Morava Crna Gora",
                "Morava Crna Gora d.o.o. Podgorica",
                "ME",
                "distributor",
                "prospect",
                None,
            ),
            GroupCompany("Morava Skopje", "Morava DOOEL Skopje", "MK", "distributor", "lost", None),
        ),
    ),
    GroupCompany(
        "Bayanihan Holdings",
        "Bayanihan Holdings Corporation",
        "PH",
        "retail chain",
        "key",
        "kam3",
        (
            GroupCompany(
                "Bayanihan Supermarkets",
                "Bayanihan Supermarkets, Inc.",
                "PH",
                "supermarket",
                "key",
                "kam3",
            ),
            GroupCompany(
                "Bayanihan Hotels & Resorts",
                "Bayanihan Hotels and Resorts, Inc.",
                "PH",
                "hotel",
                "active",
                "kam6",
            ),
            GroupCompany(
                "Bayanihan Savings Bank",
                "Bayanihan Savings Bank, Inc.",
                "PH",
                "bank",
                "prospect",
                None,
            ),
            GroupCompany(
                "Botika Bayanihan",
                "Botika Bayanihan Drugstores, Inc.",
                "PH",
                "pharmacy chain",
                "active",
                "kam3",
            ),
        ),
    ),
)

# The countries each key account manager knows best; they get most of their accounts there.
KAM_HOMES: dict[str, tuple[str, ...]] = {
    "kam1": ("TH",),
    "kam2": ("RS", "BA", "ME", "MK", "DE"),
    "kam3": ("PH", "SG"),
    "kam4": ("VN",),
    "kam5": ("TH", "VN", "MY", "ID"),
    "kam6": ("PH", "RS", "US"),
}


# How the demo's customers spread over countries (percent), for accounts and order lines alike.
COUNTRY_SHARES: dict[str, float] = {
    "TH": 25,
    "VN": 25,
    "RS": 20,
    "PH": 20,
    "MY": 3,
    "SG": 2,
    "ID": 2,
    "DE": 2,
    "US": 1,
}
