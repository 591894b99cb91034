"""Generate ``src/marsad/knowledge/countries.tsv`` and the capitals block of ``places.tsv``.

Why a generator: the Arabic short names of ~250 territories come from CLDR (babel), which is
better maintained than anything typed by hand; what CLDR lacks (ISO alpha-3 codes, capitals,
regions, news spelling variants, demonyms) is curated in the tables below.  Re-run after editing:

    python scripts/build_countries.py

The capitals block of places.tsv lies between the ``# BEGIN capitals`` / ``# END capitals``
lines and is rewritten; every other line of places.tsv is hand-curated and left alone.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from babel import Locale

KNOWLEDGE = Path(__file__).resolve().parents[1] / "src" / "marsad" / "knowledge"

# iso2|iso3|region|capital_en|capital_ar  (ISO 3166-1 plus Kosovo's user-assigned XK/XKX).
# Capitals of Israel and Palestine are left empty on purpose: their status is contested, and
# places.tsv carries jerusalem / tel_aviv / ramallah separately.  Malé is left out too: its
# Arabic spelling ماليه is the everyday adjective مالية ("financial") once normalised.
ISO = """
AD|AND|EUROPE|Andorra la Vella|أندورا لا فيلا
AE|ARE|GULF|Abu Dhabi|أبوظبي
AF|AFG|SOUTH_ASIA|Kabul|كابل
AG|ATG|LATIN_AMERICA|Saint John's|سانت جونز
AI|AIA|LATIN_AMERICA||
AL|ALB|EUROPE|Tirana|تيرانا
AM|ARM|CAUCASUS_CENTRAL_ASIA|Yerevan|يريفان
AO|AGO|AFRICA|Luanda|لواندا
AQ|ATA|ANTARCTICA||
AR|ARG|LATIN_AMERICA|Buenos Aires|بوينس آيرس
AS|ASM|OCEANIA||
AT|AUT|EUROPE|Vienna|فيينا
AU|AUS|OCEANIA|Canberra|كانبرا
AW|ABW|LATIN_AMERICA||
AX|ALA|EUROPE||
AZ|AZE|CAUCASUS_CENTRAL_ASIA|Baku|باكو
BA|BIH|EUROPE|Sarajevo|سراييفو
BB|BRB|LATIN_AMERICA|Bridgetown|بريدجتاون
BD|BGD|SOUTH_ASIA|Dhaka|دكا
BE|BEL|EUROPE|Brussels|بروكسل
BF|BFA|AFRICA|Ouagadougou|واغادوغو
BG|BGR|EUROPE|Sofia|صوفيا
BH|BHR|GULF|Manama|المنامة
BI|BDI|AFRICA|Gitega|جيتيغا
BJ|BEN|AFRICA|Porto-Novo|بورتو نوفو
BL|BLM|LATIN_AMERICA||
BM|BMU|NORTH_AMERICA||
BN|BRN|SOUTHEAST_ASIA|Bandar Seri Begawan|بندر سري بكاوان
BO|BOL|LATIN_AMERICA|Sucre|سوكري
BQ|BES|LATIN_AMERICA||
BR|BRA|LATIN_AMERICA|Brasilia|برازيليا
BS|BHS|LATIN_AMERICA|Nassau|ناساو
BT|BTN|SOUTH_ASIA|Thimphu|تيمفو
BV|BVT|ANTARCTICA||
BW|BWA|AFRICA|Gaborone|غابورون
BY|BLR|EUROPE|Minsk|مينسك
BZ|BLZ|LATIN_AMERICA|Belmopan|بلموبان
CA|CAN|NORTH_AMERICA|Ottawa|أوتاوا
CC|CCK|OCEANIA||
CD|COD|AFRICA|Kinshasa|كينشاسا
CF|CAF|AFRICA|Bangui|بانغي
CG|COG|AFRICA|Brazzaville|برازافيل
CH|CHE|EUROPE|Bern|برن
CI|CIV|AFRICA|Yamoussoukro|ياموسوكرو
CK|COK|OCEANIA||
CL|CHL|LATIN_AMERICA|Santiago|سانتياغو
CM|CMR|AFRICA|Yaounde|ياوندي
CN|CHN|EAST_ASIA|Beijing|بكين
CO|COL|LATIN_AMERICA|Bogota|بوغوتا
CR|CRI|LATIN_AMERICA|San Jose|سان خوسيه
CU|CUB|LATIN_AMERICA|Havana|هافانا
CV|CPV|AFRICA|Praia|برايا
CW|CUW|LATIN_AMERICA||
CX|CXR|OCEANIA||
CY|CYP|EUROPE|Nicosia|نيقوسيا
CZ|CZE|EUROPE|Prague|براغ
DE|DEU|EUROPE|Berlin|برلين
DJ|DJI|HORN_OF_AFRICA|Djibouti|جيبوتي
DK|DNK|EUROPE|Copenhagen|كوبنهاغن
DM|DMA|LATIN_AMERICA|Roseau|روزو
DO|DOM|LATIN_AMERICA|Santo Domingo|سانتو دومينغو
DZ|DZA|MENA|Algiers|الجزائر
EC|ECU|LATIN_AMERICA|Quito|كيتو
EE|EST|EUROPE|Tallinn|تالين
EG|EGY|MENA|Cairo|القاهرة
EH|ESH|MENA||
ER|ERI|HORN_OF_AFRICA|Asmara|أسمرة
ES|ESP|EUROPE|Madrid|مدريد
ET|ETH|HORN_OF_AFRICA|Addis Ababa|أديس أبابا
FI|FIN|EUROPE|Helsinki|هلسنكي
FJ|FJI|OCEANIA|Suva|سوفا
FK|FLK|LATIN_AMERICA||
FM|FSM|OCEANIA|Palikir|باليكير
FO|FRO|EUROPE||
FR|FRA|EUROPE|Paris|باريس
GA|GAB|AFRICA|Libreville|ليبرفيل
GB|GBR|EUROPE|London|لندن
GD|GRD|LATIN_AMERICA|Saint George's|سانت جورجز
GE|GEO|CAUCASUS_CENTRAL_ASIA|Tbilisi|تبليسي
GF|GUF|LATIN_AMERICA||
GG|GGY|EUROPE||
GH|GHA|AFRICA|Accra|أكرا
GI|GIB|EUROPE||
GL|GRL|NORTH_AMERICA|Nuuk|نوك
GM|GMB|AFRICA|Banjul|بانجول
GN|GIN|AFRICA|Conakry|كوناكري
GP|GLP|LATIN_AMERICA||
GQ|GNQ|AFRICA|Malabo|مالابو
GR|GRC|EUROPE|Athens|أثينا
GS|SGS|ANTARCTICA||
GT|GTM|LATIN_AMERICA|Guatemala City|غواتيمالا سيتي
GU|GUM|OCEANIA||
GW|GNB|AFRICA|Bissau|بيساو
GY|GUY|LATIN_AMERICA|Georgetown|جورج تاون
HK|HKG|EAST_ASIA||
HM|HMD|ANTARCTICA||
HN|HND|LATIN_AMERICA|Tegucigalpa|تيغوسيغالبا
HR|HRV|EUROPE|Zagreb|زغرب
HT|HTI|LATIN_AMERICA|Port-au-Prince|بورت أو برنس
HU|HUN|EUROPE|Budapest|بودابست
ID|IDN|SOUTHEAST_ASIA|Jakarta|جاكرتا
IE|IRL|EUROPE|Dublin|دبلن
IL|ISR|MENA||
IM|IMN|EUROPE||
IN|IND|SOUTH_ASIA|New Delhi|نيودلهي
IO|IOT|SOUTH_ASIA||
IQ|IRQ|MENA|Baghdad|بغداد
IR|IRN|MENA|Tehran|طهران
IS|ISL|EUROPE|Reykjavik|ريكيافيك
IT|ITA|EUROPE|Rome|روما
JE|JEY|EUROPE||
JM|JAM|LATIN_AMERICA|Kingston|كينغستون
JO|JOR|MENA|Amman|عمّان
JP|JPN|EAST_ASIA|Tokyo|طوكيو
KE|KEN|AFRICA|Nairobi|نيروبي
KG|KGZ|CAUCASUS_CENTRAL_ASIA|Bishkek|بيشكيك
KH|KHM|SOUTHEAST_ASIA|Phnom Penh|بنوم بنه
KI|KIR|OCEANIA|Tarawa|تاراوا
KM|COM|AFRICA|Moroni|موروني
KN|KNA|LATIN_AMERICA|Basseterre|باستير
KP|PRK|EAST_ASIA|Pyongyang|بيونغ يانغ
KR|KOR|EAST_ASIA|Seoul|سول
KW|KWT|GULF|Kuwait City|مدينة الكويت
KY|CYM|LATIN_AMERICA||
KZ|KAZ|CAUCASUS_CENTRAL_ASIA|Astana|أستانا
LA|LAO|SOUTHEAST_ASIA|Vientiane|فيينتيان
LB|LBN|MENA|Beirut|بيروت
LC|LCA|LATIN_AMERICA|Castries|كاستريس
LI|LIE|EUROPE|Vaduz|فادوتس
LK|LKA|SOUTH_ASIA|Sri Jayawardenepura Kotte|سري جاياواردنابورا كوتي
LR|LBR|AFRICA|Monrovia|مونروفيا
LS|LSO|AFRICA|Maseru|ماسيرو
LT|LTU|EUROPE|Vilnius|فيلنيوس
LU|LUX|EUROPE|Luxembourg|لوكسمبورغ
LV|LVA|EUROPE|Riga|ريغا
LY|LBY|MENA|Tripoli|طرابلس
MA|MAR|MENA|Rabat|الرباط
MC|MCO|EUROPE|Monaco|موناكو
MD|MDA|EUROPE|Chisinau|كيشيناو
ME|MNE|EUROPE|Podgorica|بودغوريتسا
MF|MAF|LATIN_AMERICA||
MG|MDG|AFRICA|Antananarivo|أنتاناناريفو
MH|MHL|OCEANIA|Majuro|ماجورو
MK|MKD|EUROPE|Skopje|سكوبيه
ML|MLI|AFRICA|Bamako|باماكو
MM|MMR|SOUTHEAST_ASIA|Naypyidaw|نايبيداو
MN|MNG|EAST_ASIA|Ulaanbaatar|أولان باتور
MO|MAC|EAST_ASIA||
MP|MNP|OCEANIA||
MQ|MTQ|LATIN_AMERICA||
MR|MRT|MENA|Nouakchott|نواكشوط
MS|MSR|LATIN_AMERICA||
MT|MLT|EUROPE|Valletta|فاليتا
MU|MUS|AFRICA|Port Louis|بورت لويس
MV|MDV|SOUTH_ASIA||
MW|MWI|AFRICA|Lilongwe|ليلونغوي
MX|MEX|LATIN_AMERICA|Mexico City|مكسيكو سيتي
MY|MYS|SOUTHEAST_ASIA|Kuala Lumpur|كوالالمبور
MZ|MOZ|AFRICA|Maputo|مابوتو
NA|NAM|AFRICA|Windhoek|ويندهوك
NC|NCL|OCEANIA||
NE|NER|AFRICA|Niamey|نيامي
NF|NFK|OCEANIA||
NG|NGA|AFRICA|Abuja|أبوجا
NI|NIC|LATIN_AMERICA|Managua|ماناغوا
NL|NLD|EUROPE|Amsterdam|أمستردام
NO|NOR|EUROPE|Oslo|أوسلو
NP|NPL|SOUTH_ASIA|Kathmandu|كاتماندو
NR|NRU|OCEANIA|Yaren|يارين
NU|NIU|OCEANIA||
NZ|NZL|OCEANIA|Wellington|ويلينغتون
OM|OMN|GULF|Muscat|مسقط
PA|PAN|LATIN_AMERICA|Panama City|مدينة بنما
PE|PER|LATIN_AMERICA|Lima|ليما
PF|PYF|OCEANIA||
PG|PNG|OCEANIA|Port Moresby|بورت مورسبي
PH|PHL|SOUTHEAST_ASIA|Manila|مانيلا
PK|PAK|SOUTH_ASIA|Islamabad|إسلام آباد
PL|POL|EUROPE|Warsaw|وارسو
PM|SPM|NORTH_AMERICA||
PN|PCN|OCEANIA||
PR|PRI|LATIN_AMERICA|San Juan|سان خوان
PS|PSE|MENA||
PT|PRT|EUROPE|Lisbon|لشبونة
PW|PLW|OCEANIA|Ngerulmud|نجيرولمود
PY|PRY|LATIN_AMERICA|Asuncion|أسونسيون
QA|QAT|GULF|Doha|الدوحة
RE|REU|AFRICA||
RO|ROU|EUROPE|Bucharest|بوخارست
RS|SRB|EUROPE|Belgrade|بلغراد
RU|RUS|EUROPE|Moscow|موسكو
RW|RWA|AFRICA|Kigali|كيغالي
SA|SAU|GULF|Riyadh|الرياض
SB|SLB|OCEANIA|Honiara|هونيارا
SC|SYC|AFRICA|Victoria|فيكتوريا
SD|SDN|MENA|Khartoum|الخرطوم
SE|SWE|EUROPE|Stockholm|ستوكهولم
SG|SGP|SOUTHEAST_ASIA|Singapore|سنغافورة
SH|SHN|AFRICA||
SI|SVN|EUROPE|Ljubljana|ليوبليانا
SJ|SJM|EUROPE||
SK|SVK|EUROPE|Bratislava|براتيسلافا
SL|SLE|AFRICA|Freetown|فريتاون
SM|SMR|EUROPE|San Marino|سان مارينو
SN|SEN|AFRICA|Dakar|داكار
SO|SOM|HORN_OF_AFRICA|Mogadishu|مقديشو
SR|SUR|LATIN_AMERICA|Paramaribo|باراماريبو
SS|SSD|AFRICA|Juba|جوبا
ST|STP|AFRICA|Sao Tome|ساو تومي
SV|SLV|LATIN_AMERICA|San Salvador|سان سلفادور
SX|SXM|LATIN_AMERICA||
SY|SYR|MENA|Damascus|دمشق
SZ|SWZ|AFRICA|Mbabane|مباباني
TC|TCA|LATIN_AMERICA||
TD|TCD|AFRICA|N'Djamena|نجامينا
TF|ATF|ANTARCTICA||
TG|TGO|AFRICA|Lome|لومي
TH|THA|SOUTHEAST_ASIA|Bangkok|بانكوك
TJ|TJK|CAUCASUS_CENTRAL_ASIA|Dushanbe|دوشنبه
TK|TKL|OCEANIA||
TL|TLS|SOUTHEAST_ASIA|Dili|ديلي
TM|TKM|CAUCASUS_CENTRAL_ASIA|Ashgabat|عشق آباد
TN|TUN|MENA|Tunis|تونس
TO|TON|OCEANIA|Nuku'alofa|نوكوالوفا
TR|TUR|MENA|Ankara|أنقرة
TT|TTO|LATIN_AMERICA|Port of Spain|بورت أوف سبين
TV|TUV|OCEANIA|Funafuti|فونافوتي
TW|TWN|EAST_ASIA|Taipei|تايبيه
TZ|TZA|AFRICA|Dodoma|دودوما
UA|UKR|EUROPE|Kyiv|كييف
UG|UGA|AFRICA|Kampala|كمبالا
UM|UMI|OCEANIA||
US|USA|NORTH_AMERICA|Washington|واشنطن
UY|URY|LATIN_AMERICA|Montevideo|مونتيفيديو
UZ|UZB|CAUCASUS_CENTRAL_ASIA|Tashkent|طشقند
VA|VAT|EUROPE|Vatican City|مدينة الفاتيكان
VC|VCT|LATIN_AMERICA|Kingstown|كينغزتاون
VE|VEN|LATIN_AMERICA|Caracas|كاراكاس
VG|VGB|LATIN_AMERICA||
VI|VIR|LATIN_AMERICA||
VN|VNM|SOUTHEAST_ASIA|Hanoi|هانوي
VU|VUT|OCEANIA|Port Vila|بورت فيلا
WF|WLF|OCEANIA||
WS|WSM|OCEANIA|Apia|آبيا
XK|XKX|EUROPE|Pristina|بريشتينا
YE|YEM|MENA|Sanaa|صنعاء
YT|MYT|AFRICA||
ZA|ZAF|AFRICA|Pretoria|بريتوريا
ZM|ZMB|AFRICA|Lusaka|لوساكا
ZW|ZWE|AFRICA|Harare|هراري
"""

# English names where CLDR's short form is not what the entity id should be built from.
NAME_EN = {
    "AG": "Antigua and Barbuda", "AX": "Aland Islands", "BA": "Bosnia and Herzegovina",
    "BL": "Saint Barthelemy", "CD": "DR Congo", "CG": "Republic of the Congo", "CI": "Ivory Coast",
    "GS": "South Georgia and the South Sandwich Islands", "HK": "Hong Kong",
    "HM": "Heard and McDonald Islands", "KN": "Saint Kitts and Nevis", "LC": "Saint Lucia",
    "MF": "Saint Martin", "MM": "Myanmar", "MO": "Macao", "PM": "Saint Pierre and Miquelon",
    "PS": "Palestine", "SH": "Saint Helena", "SJ": "Svalbard and Jan Mayen",
    "ST": "Sao Tome and Principe", "TC": "Turks and Caicos Islands", "TR": "Turkey",
    "TT": "Trinidad and Tobago", "UM": "US Outlying Islands", "VA": "Vatican",
    "VC": "Saint Vincent and the Grenadines", "VI": "US Virgin Islands", "WF": "Wallis and Futuna",
    "TL": "East Timor",
}

# Arabic canonical names where CLDR's is a description rather than the name used in news.
NAME_AR = {
    "PS": "فلسطين", "MM": "ميانمار", "HK": "هونغ كونغ", "MO": "ماكاو", "CD": "الكونغو الديمقراطية",
    "CG": "الكونغو", "TL": "تيمور الشرقية", "MQ": "مارتينيك", "OM": "عُمان",
}

# Hand-curated spelling variants and long/short forms used in Arabic news (not capitals, not
# demonyms).  Forms that differ only by hamza/alef, ya/alef maqsura or ta marbuta need not be
# listed: normalize() folds them.
VARIANTS: dict[str, list[str]] = {
    # Gulf
    "QA": ["دولة قطر"],
    "SA": ["السعودية", "المملكة السعودية"],
    "AE": ["الإمارات", "دولة الإمارات", "دولة الإمارات العربية المتحدة", "الامارات العربية"],
    "KW": ["دولة الكويت"],
    "BH": ["مملكة البحرين"],
    "OM": ["عمان", "سلطنة عمان", "سلطنة عُمان"],
    # Levant, Iraq, Yemen
    "IQ": ["جمهورية العراق"],
    "SY": ["سورية", "الجمهورية العربية السورية"],
    "LB": ["الجمهورية اللبنانية"],
    "JO": ["المملكة الأردنية الهاشمية", "المملكة الأردنية"],
    "PS": ["دولة فلسطين", "الأراضي الفلسطينية", "الأراضي الفلسطينية المحتلة", "الأراضي المحتلة"],
    "IL": ["دولة إسرائيل"],
    "YE": ["الجمهورية اليمنية"],
    # North Africa
    "EG": ["جمهورية مصر العربية", "جمهورية مصر"],
    "LY": ["دولة ليبيا"],
    "TN": ["الجمهورية التونسية"],
    "DZ": ["الجمهورية الجزائرية"],
    "MA": ["المملكة المغربية"],
    "MR": ["موريتانيه", "الجمهورية الإسلامية الموريتانية"],
    "SD": ["جمهورية السودان"],
    "SS": ["دولة جنوب السودان"],
    "EH": ["الصحراء المغربية"],
    # Horn of Africa
    "SO": ["جمهورية الصومال"],
    "DJ": ["جمهورية جيبوتي"],
    "ER": ["أريتريا", "ارتيريا"],
    "ET": ["أثيوبيا", "الحبشة"],
    "KM": ["القمر المتحدة", "جمهورية القمر المتحدة"],
    "KE": ["كينيا"],
    # Turkey, Iran, neighbours
    "TR": ["الجمهورية التركية", "جمهورية تركيا"],
    "IR": ["الجمهورية الإسلامية الإيرانية", "الجمهورية الإسلامية في إيران"],
    "AF": ["جمهورية أفغانستان", "إمارة أفغانستان الإسلامية"],
    "PK": ["جمهورية باكستان الإسلامية"],
    "AZ": ["جمهورية أذربيجان"],
    "AM": ["أرمينية"],
    "GE": ["جورجيا"],
    "CY": ["جمهورية قبرص"],
    # Major powers, Europe
    "US": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
    "RU": ["روسيا الاتحادية", "الاتحاد الروسي"],
    "CN": ["جمهورية الصين الشعبية", "الصين الشعبية"],
    "FR": ["الجمهورية الفرنسية"],
    "GB": ["بريطانيا", "بريطانيا العظمى", "المملكة المتحدة لبريطانيا العظمى وإيرلندا الشمالية"],
    "DE": ["جمهورية ألمانيا الاتحادية", "ألمانيا الاتحادية"],
    "IT": ["الجمهورية الإيطالية"],
    "ES": ["المملكة الإسبانية"],
    "GR": ["الجمهورية اليونانية"],
    "NL": ["الأراضي المنخفضة"],
    "DK": ["الدنمارك", "الدنمرك"],
    "FI": ["فنلندة"],
    "HU": ["المجر"],
    "CZ": ["جمهورية التشيك", "تشيكيا"],
    "PL": ["بولونيا"],
    "BY": ["بيلاروسيا", "روسيا البيضاء"],
    "UA": ["اوكرانيا"],
    "BA": ["البوسنة"],
    "MK": ["مقدونيا"],
    "MD": ["مولدافيا"],
    "RO": ["رومانيا"],
    "IE": ["إيرلندا", "ايرلندا"],
    "CH": ["الاتحاد السويسري"],
    "VA": ["دولة الفاتيكان", "الكرسي الرسولي"],
    "XK": ["جمهورية كوسوفو"],
    # Asia, Americas, Africa
    "JP": [],
    "IN": ["جمهورية الهند"],
    "KP": ["كوريا الديمقراطية", "جمهورية كوريا الشعبية الديمقراطية"],
    "KR": ["جمهورية كوريا"],
    "BD": ["بنجلاديش", "بنغلادش"],
    "ID": ["إندونيسية"],
    "MY": ["ماليزية"],
    "KZ": ["قازاقستان"],
    "KG": ["قرغيزستان"],
    "UZ": ["أوزبكيستان"],
    "TM": ["تركمنستان"],
    "TJ": ["طاجكستان"],
    "AU": ["أوستراليا"],
    "BR": ["البرازيل"],
    "AR": ["الارجنتين"],
    "VE": ["جمهورية فنزويلا البوليفارية"],
    "ZA": ["جمهورية جنوب أفريقيا", "جنوب إفريقيا"],
    "CF": ["أفريقيا الوسطى"],
    "CD": ["جمهورية الكونغو الديمقراطية", "الكونغو كينشاسا"],
    "CG": ["جمهورية الكونغو", "الكونغو برازافيل"],
    "CI": ["كوت ديفوار"],
    "CV": ["كاب فيردي"],
    "SZ": ["سوازيلاند"],
    "NG": ["نيجريا"],
    "TD": ["تشاد"],
    "TZ": ["تنزانية"],
}
# these entries in VARIANTS only repeat the canonical name; harmless, dropped on output.

# Demonyms: iso3 -> (masculine forms, broken plurals, add regular plurals -ون/-ين).
# Feminine = masculine + ة on every word ending in ي ("كوري جنوبي" -> "كورية جنوبية").
# Left out on purpose: words that are common adjectives in their own right (مالي "financial",
# قمري "lunar"), and single-word forms shared by two states (كوري, كونغولي, غيني).
DEMONYMS: dict[str, tuple[list[str], list[str], bool]] = {
    "TUR": (["تركي"], ["أتراك"], False),
    "QAT": (["قطري"], [], True),
    "USA": (["أمريكي", "أميركي"], ["أمريكان", "أميركان"], True),
    "SAU": (["سعودي"], [], True),
    "EGY": (["مصري"], [], True),
    "GBR": (["بريطاني"], [], True),
    "ISR": (["إسرائيلي"], [], True),
    "ARE": (["إماراتي"], [], True),
    "KWT": (["كويتي"], [], True),
    "BHR": (["بحريني"], [], True),
    "OMN": (["عماني"], [], True),
    "YEM": (["يمني"], [], True),
    "IRQ": (["عراقي"], [], True),
    "SYR": (["سوري"], [], True),
    "LBN": (["لبناني"], [], True),
    "JOR": (["أردني"], [], True),
    "PSE": (["فلسطيني"], [], True),
    "LBY": (["ليبي"], [], True),
    "TUN": (["تونسي"], ["توانسة"], True),
    "DZA": (["جزائري"], [], True),
    "MAR": (["مغربي"], ["مغاربة"], True),
    "MRT": (["موريتاني"], [], True),
    "SDN": (["سوداني"], [], True),
    "SSD": (["جنوب سوداني"], [], True),
    "SOM": (["صومالي"], [], True),
    "DJI": (["جيبوتي"], [], True),
    "ERI": (["إريتري", "أريتري"], [], True),
    "ETH": (["إثيوبي", "أثيوبي"], [], True),
    "IRN": (["إيراني"], [], True),
    "AFG": (["أفغاني"], ["أفغان"], True),
    "PAK": (["باكستاني"], [], True),
    "IND": (["هندي"], ["هنود"], True),
    "CHN": (["صيني"], [], True),
    "JPN": (["ياباني"], [], True),
    "KOR": (["كوري جنوبي"], [], True),
    "PRK": (["كوري شمالي"], [], True),
    "RUS": (["روسي"], ["روس"], False),
    "FRA": (["فرنسي"], [], True),
    "DEU": (["ألماني"], ["ألمان"], False),
    "ITA": (["إيطالي"], [], True),
    "ESP": (["إسباني"], ["إسبان"], True),
    "PRT": (["برتغالي"], [], True),
    "GRC": (["يوناني"], [], True),
    "CYP": (["قبرصي"], ["قبارصة"], True),
    "NLD": (["هولندي"], [], True),
    "BEL": (["بلجيكي"], [], True),
    "CHE": (["سويسري"], [], True),
    "AUT": (["نمساوي"], [], True),
    "SWE": (["سويدي"], [], True),
    "NOR": (["نرويجي"], [], True),
    "DNK": (["دنماركي", "دانماركي"], [], True),
    "FIN": (["فنلندي"], [], True),
    "POL": (["بولندي"], [], True),
    "CZE": (["تشيكي"], [], True),
    "SVK": (["سلوفاكي"], [], True),
    "HUN": (["مجري", "هنغاري"], [], True),
    "ROU": (["روماني"], [], True),
    "BGR": (["بلغاري"], [], True),
    "SRB": (["صربي"], [], True),
    "HRV": (["كرواتي"], [], True),
    "BIH": (["بوسني"], [], True),
    "ALB": (["ألباني"], [], True),
    "MKD": (["مقدوني"], [], True),
    "SVN": (["سلوفيني"], [], True),
    "XKX": (["كوسوفي"], [], True),
    "UKR": (["أوكراني"], [], True),
    "BLR": (["بيلاروسي"], [], True),
    "MDA": (["مولدوفي"], [], True),
    "GEO": (["جورجي"], [], True),
    "ARM": (["أرميني"], ["أرمن"], True),
    "AZE": (["أذربيجاني", "أذري"], [], True),
    "KAZ": (["كازاخستاني", "كازاخي"], [], True),
    "UZB": (["أوزبكستاني", "أوزبكي"], [], True),
    "TKM": (["تركمانستاني"], [], True),
    "KGZ": (["قرغيزي", "قيرغيزي"], [], True),
    "TJK": (["طاجيكي", "طاجيكستاني"], [], True),
    "IRL": (["أيرلندي"], [], True),
    "ISL": (["آيسلندي"], [], True),
    "LUX": (["لوكسمبورغي"], [], True),
    "MLT": (["مالطي"], [], True),
    "EST": (["إستوني"], [], True),
    "LVA": (["لاتفي"], [], True),
    "LTU": (["ليتواني"], [], True),
    "CAN": (["كندي"], [], True),
    "MEX": (["مكسيكي"], [], True),
    "BRA": (["برازيلي"], [], True),
    "ARG": (["أرجنتيني"], [], True),
    "VEN": (["فنزويلي"], [], True),
    "CUB": (["كوبي"], [], True),
    "COL": (["كولومبي"], [], True),
    "CHL": (["تشيلي"], [], True),
    "PER": (["بيروفي"], [], True),
    "AUS": (["أسترالي"], [], True),
    "NZL": (["نيوزيلندي"], [], True),
    "IDN": (["إندونيسي"], [], True),
    "MYS": (["ماليزي"], [], True),
    "PHL": (["فلبيني"], [], True),
    "THA": (["تايلاندي"], [], True),
    "VNM": (["فيتنامي"], [], True),
    "BGD": (["بنغلاديشي"], [], True),
    "LKA": (["سريلانكي"], [], True),
    "NPL": (["نيبالي"], [], True),
    "KEN": (["كيني"], [], True),
    "UGA": (["أوغندي"], [], True),
    "TZA": (["تنزاني"], [], True),
    "RWA": (["رواندي"], [], True),
    "NGA": (["نيجيري"], [], True),
    "NER": (["نيجري"], [], True),
    "TCD": (["تشادي"], [], True),
    "SEN": (["سنغالي"], [], True),
    "GHA": (["غاني"], [], True),
    "CIV": (["إيفواري"], [], True),
    "CMR": (["كاميروني"], [], True),
    "ZAF": (["جنوب أفريقي"], [], True),
    "ZWE": (["زيمبابوي"], [], True),
    "MOZ": (["موزمبيقي"], [], True),
    "AGO": (["أنغولي"], [], True),
    "MDG": (["مدغشقري"], [], True),
    "TWN": (["تايواني"], [], True),
    "MNG": (["منغولي"], [], True),
    "SGP": (["سنغافوري"], [], True),
}

# Capital places: extra Arabic variants, and Wikidata ids only where certain.
CAPITAL_VARIANTS: dict[str, list[str]] = {
    "AE": ["أبو ظبي"], "US": ["واشنطن العاصمة", "واشنطن دي سي"], "CN": ["بيجين", "بيجينغ"],
    "DZ": ["الجزائر العاصمة", "مدينة الجزائر"], "TN": ["تونس العاصمة"], "KW": ["الكويت العاصمة"],
    "IN": ["نيو دلهي"], "PK": ["إسلام أباد", "اسلام اباد"], "KR": ["سيئول"],
    "YE": ["صنعا"], "SO": ["مقديشيو"], "ER": ["أسمرا"], "ET": ["أديس ابابا"], "KZ": ["نور سلطان"],
    "MR": ["انواكشوط"], "TD": ["انجامينا", "نجامنا"], "UA": ["كييف"], "BE": ["بروكسيل"],
    "DK": ["كوبنهاجن"], "MX": ["مدينة مكسيكو"], "GT": ["مدينة غواتيمالا"], "PA": ["بنما سيتي"],
    "DJ": ["مدينة جيبوتي"], "SG": [], "VA": ["الفاتيكان"], "TM": ["عشق أباد", "عشقباد"],
    "AZ": [], "AT": ["فيينّا"], "IR": ["تهران"], "JO": ["عمان"], "MA": [], "BH": [],
    "EG": ["قاهرة المعز"], "CH": ["بيرن"], "RU": [], "GB": [], "KP": ["بيونغيانغ"],
    "BD": ["دكّا", "داكا"], "AF": [], "MM": ["نايبيتاو"], "CD": [], "LK": ["كوتي"],
    "LY": ["طرابلس الغرب"], "TR": [], "SA": [], "SD": [], "SY": ["الشام"],
}
# Checked against an OSM-derived table of capitals with their wikidata tags; where two sources
# disagreed (Tegucigalpa) or the id names the state itself (Singapore, Monaco, Vatican) none is given.
CAPITAL_WIKIDATA = {
    "AF": "Q5838", "AL": "Q19689", "DE": "Q64", "DZ": "Q3561", "AD": "Q1863", "AO": "Q3897", "AG": "Q36262",
    "SA": "Q3692", "AR": "Q1486", "AM": "Q1953", "AU": "Q3114", "AT": "Q1741", "AZ": "Q9248", "BS": "Q2467",
    "BH": "Q3882", "BD": "Q1354", "BB": "Q36168", "BE": "Q239", "BZ": "Q3043", "BJ": "Q3799", "BT": "Q9270",
    "BY": "Q2280", "BO": "Q2907", "BA": "Q11194", "BW": "Q3919", "BR": "Q2844", "BN": "Q9279", "BG": "Q472",
    "BF": "Q3777", "BI": "Q167551", "KH": "Q1850", "CM": "Q3808", "CA": "Q1930", "CV": "Q3751", "CO": "Q2841",
    "KM": "Q3901", "CG": "Q3844", "KP": "Q18808", "KR": "Q8684", "CI": "Q3768", "CR": "Q3070", "HR": "Q1435",
    "CU": "Q1563", "DK": "Q1748", "DJ": "Q3604", "DM": "Q36281", "EG": "Q85", "SV": "Q3110", "AE": "Q1519",
    "EC": "Q2900", "ER": "Q3642", "SK": "Q1780", "SI": "Q437", "ES": "Q2807", "US": "Q61", "EE": "Q1770",
    "ET": "Q3624", "FJ": "Q38807", "PH": "Q1461", "FI": "Q1757", "FR": "Q90", "GA": "Q3825", "GM": "Q3726",
    "GE": "Q994", "GH": "Q3761", "GR": "Q1524", "GD": "Q41547", "GL": "Q226", "GT": "Q1555", "GN": "Q3733",
    "GW": "Q3739", "GQ": "Q3818", "GY": "Q10717", "HT": "Q34261", "HU": "Q1781", "YE": "Q2471", "IN": "Q987",
    "ID": "Q3630", "IR": "Q3616", "IQ": "Q1530", "IE": "Q1761", "IS": "Q1764", "IT": "Q220", "JM": "Q34692",
    "JP": "Q1490", "JO": "Q3805", "KZ": "Q1520", "KE": "Q3870", "KG": "Q9361", "XK": "Q25270", "KW": "Q35178",
    "LA": "Q9326", "LS": "Q3909", "LV": "Q1773", "LB": "Q3820", "LR": "Q3748", "LY": "Q3579", "LI": "Q1844",
    "LT": "Q216", "LU": "Q1842", "MK": "Q384", "MG": "Q3915", "MY": "Q1865", "MW": "Q3876", "MV": "Q9347",
    "ML": "Q3703", "MT": "Q23800", "MA": "Q3551", "MU": "Q3929", "MR": "Q3688", "MX": "Q1489", "FM": "Q42751",
    "MZ": "Q3889", "MD": "Q21197", "MN": "Q23430", "ME": "Q23564", "MM": "Q37400", "NA": "Q3935", "NR": "Q31026",
    "NP": "Q3037", "NI": "Q3274", "NE": "Q3674", "NG": "Q3787", "NO": "Q585", "NZ": "Q23661", "OM": "Q3826",
    "NL": "Q727", "PK": "Q1362", "PW": "Q515229", "PA": "Q3306", "PG": "Q36526", "PY": "Q2933", "PE": "Q2868",
    "PL": "Q270", "PT": "Q597", "QA": "Q3861", "GB": "Q84", "CF": "Q3832", "CD": "Q3838", "DO": "Q34820",
    "RO": "Q19660", "RU": "Q649", "RW": "Q3859", "KN": "Q41295", "LC": "Q41699", "VC": "Q41474", "SB": "Q40921",
    "WS": "Q36260", "SM": "Q1848", "ST": "Q3932", "SN": "Q3718", "RS": "Q3711", "SC": "Q3940", "SL": "Q3780",
    "SY": "Q3766", "LK": "Q41963", "ZA": "Q3926", "SD": "Q1963", "SS": "Q1947", "SE": "Q1754", "CH": "Q70",
    "SR": "Q3001", "SZ": "Q3904", "TJ": "Q9365", "TH": "Q1861", "TW": "Q1867", "TZ": "Q3866", "TL": "Q9310",
    "TG": "Q3792", "TO": "Q38834", "TT": "Q39178", "TN": "Q3572", "TM": "Q23438", "TR": "Q3640", "TV": "Q34126",
    "TD": "Q3659", "CZ": "Q1085", "UA": "Q1899", "UG": "Q3894", "UY": "Q1335", "UZ": "Q269", "VU": "Q37806",
    "VE": "Q1533", "VN": "Q1858", "ZM": "Q3881", "ZW": "Q3921", "CN": "Q956", "CY": "Q3856", "CL": "Q2887",
}
# Capital place ids that the English-name slug would get wrong or make clash with a country id.
CAPITAL_ID = {"LY": "tripoli_libya", "US": "washington", "SG": "singapore_city", "MC": "monaco_city",
              "DJ": "djibouti_city", "LU": "luxembourg_city", "SM": "san_marino_city",
              "VA": "vatican_city", "KW": "kuwait_city"}

EXCLUDE = {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}


def slug(text: str) -> str:
    """Lower-case ASCII slug: 'Côte d’Ivoire' -> 'cote_divoire' (the stable entity-id scheme;
    must stay identical to :func:`marsad.knowledge.places.slug`)."""
    text = text.replace("'", "").replace("\u2019", "")
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


def _inflect(form: str, suffix: str) -> str:
    """Add ``suffix`` to every word of a nisba phrase that ends in ي."""
    return " ".join(w + suffix if w.endswith("ي") else w for w in form.split())


def demonym_cells(iso3: str) -> tuple[str, str, str]:
    masc, broken, regular = DEMONYMS.get(iso3, ([], [], False))
    fem = [_inflect(m, "ة") for m in masc]
    plural = [p for m in masc for p in (_inflect(m, "ون"), _inflect(m, "ين"))] if regular else []
    return "|".join(masc), "|".join(fem), "|".join(dict.fromkeys(plural + broken))


def rows() -> list[dict[str, str]]:
    ar = Locale("ar").territories
    en = Locale("en").territories
    out = []
    for line in ISO.strip().splitlines():
        iso2, iso3, region, cap_en, cap_ar = line.split("|")
        name_ar = NAME_AR.get(iso2) or ar[iso2]
        variants = [v for v in dict.fromkeys(VARIANTS.get(iso2, [])) if v != name_ar]
        if name_ar != ar[iso2] and ar[iso2] not in variants and "(" not in ar[iso2] and " - " not in ar[iso2]:
            variants.insert(0, ar[iso2])
        m, f, p = demonym_cells(iso3)
        out.append({
            "iso3": iso3, "iso2": iso2, "name_en": NAME_EN.get(iso2) or en[iso2], "name_ar": name_ar,
            "variants": "|".join(variants), "demonym_m": m, "demonym_f": f, "demonym_pl": p,
            "capital_ar": cap_ar, "capital_en": cap_en, "region": region,
        })
    return out


COLUMNS = ["iso3", "iso2", "name_en", "name_ar", "variants", "demonym_m", "demonym_f", "demonym_pl",
           "capital_ar", "capital_en", "region"]


def write_countries(data: list[dict[str, str]]) -> None:
    lines = [
        "# Countries and territories (ISO 3166-1 + Kosovo XKX). GENERATED by scripts/build_countries.py:",
        "# edit the tables there and re-run. name_ar from CLDR unless curated; variants, demonyms,",
        "# capitals and regions hand-curated. Demonyms carry no article. Capitals of ISR and PSE are",
        "# left empty on purpose (contested); see jerusalem / tel_aviv / ramallah in places.tsv.",
        "\t".join(COLUMNS),
    ]
    lines += ["\t".join(r[c] for c in COLUMNS) for r in data]
    (KNOWLEDGE / "countries.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_capitals(data: list[dict[str, str]]) -> None:
    """Rewrite the generated capitals block of places.tsv, keeping every hand-written line."""
    path = KNOWLEDGE / "places.tsv"
    country_ids = {slug(r["name_en"]) for r in data}
    block = ["# BEGIN capitals (generated by scripts/build_countries.py; edit there)"]
    for r in data:
        if not r["capital_ar"]:
            continue
        pid = CAPITAL_ID.get(r["iso2"]) or slug(r["capital_en"])
        if pid in country_ids:
            pid += "_city"
        variants = [v for v in CAPITAL_VARIANTS.get(r["iso2"], []) if v != r["capital_ar"]]
        block.append("\t".join([pid, "GPE", r["capital_ar"], "|".join(variants), r["capital_en"],
                                r["iso3"], CAPITAL_WIKIDATA.get(r["iso2"], ""), ""]))
    block.append("# END capitals")
    header = "id\ttype\tname_ar\tvariants\tname_en\tcountry\twikidata\tparent"
    text = path.read_text(encoding="utf-8").splitlines() if path.exists() else [header]
    try:
        start = text.index(block[0])
        end = text.index(block[-1], start)
        text[start:end + 1] = block
    except ValueError:
        at = text.index(header) + 1
        text[at:at] = block
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def main() -> None:
    data = rows()
    write_countries(data)
    write_capitals(data)
    print(f"wrote {len(data)} countries")


if __name__ == "__main__":
    main()
