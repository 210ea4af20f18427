#!/usr/bin/env python3
"""Write the data tables of the fictional Strathlinn sample partnership.

Strathlinn Health and Social Care Partnership, its council, health board,
localities, services, providers and every figure written here are invented.
The Scotland comparators are illustrative values of a plausible size, not
Public Health Scotland's published figures.

The script is deterministic: almost every number is set by hand in the tables
below; the only randomness is a small, seeded jitter on the finance budgets.
Run it from the repository root:

    python3 scripts/make_sample_data.py            # writes sample_inputs/data/*.csv
    python3 scripts/make_sample_data.py --check    # also prints the totals

Only the standard library is needed to write the files; --check uses pandas.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sample_inputs" / "data"

SEED = 2024
YEARS = ["2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
SURVEY_YEARS = ["2017/18", "2019/20", "2021/22", "2023/24"]
CAL_YEARS = ["2017", "2018", "2019", "2020", "2021", "2022", "2023"]
# NI-12 to NI-16: financial years to 2022/23, then calendar year 2023 as the
# stand-in for 2023/24 (PHS advice for 2023/24 reports; no 2023/24 FY row).
SMR_PERIODS = YEARS[:-1] + ["2023"]


# --------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------

# NI-1 to NI-9 (Health and Care Experience survey), percentages, one decimal,
# survey years only. Each entry: (Strathlinn values, Scotland values) in the
# order of SURVEY_YEARS. 2023/24 values of NI-2, 3, 4, 5, 7 and 9 follow the
# survey's changed wording and are lower, as nationally.
SURVEY = {
    "NI-1": ([94.1, 93.6, 91.8, 91.2], [93.0, 92.9, 90.9, 90.7]),
    "NI-2": ([82.4, 81.0, 79.6, 71.1], [81.1, 80.8, 78.8, 72.4]),
    "NI-3": ([76.8, 74.2, 69.3, 60.8], [75.6, 75.4, 70.6, 59.6]),
    "NI-4": ([75.9, 72.8, 67.5, 62.7], [74.3, 73.5, 66.4, 61.4]),
    "NI-5": ([81.7, 80.9, 74.1, 71.4], [80.2, 80.2, 75.3, 70.0]),
    "NI-6": ([84.9, 80.6, 69.2, 70.4], [82.7, 78.7, 66.5, 68.5]),
    "NI-7": ([79.1, 80.4, 77.2, 68.9], [80.0, 80.0, 78.1, 69.8]),
    "NI-8": ([38.2, 35.1, 28.4, 32.6], [36.6, 34.3, 29.7, 31.2]),
    "NI-9": ([84.5, 83.9, 81.2, 74.0], [83.2, 82.8, 79.7, 72.7]),
}
# Half-width of each survey indicator's 95% confidence interval, in percentage
# points (PHS publishes lower_ci and upper_ci with the survey results). With
# these, Scotland's 2023/24 figure lies inside every interval except NI-6's:
# NI-6 is better than Scotland by the interval rule although within the 5%
# margin, which shows the two rules differ.
SURVEY_CI = {"NI-1": 1.2, "NI-2": 2.4, "NI-3": 2.9, "NI-4": 2.6, "NI-5": 2.7,
             "NI-6": 1.4, "NI-7": 2.5, "NI-8": 2.8, "NI-9": 2.2}

# NI-11 premature mortality, age-standardised rate per 100,000 under 75,
# calendar years 2017 to 2023 (no numerator: the rate is standardised).
NI11 = ([401, 396, 408, 431, 447, 419, 412], [425, 432, 426, 457, 466, 442, 442])

# Populations behind the rates, one per period in SMR_PERIODS / YEARS.
ADULTS_18 = [122_410, 122_760, 123_120, 123_290, 123_540, 123_880, 124_060]
AGED_65 = [28_640, 29_050, 29_480, 29_890, 30_270, 30_710, 31_150]
AGED_75_FY = [12_310, 12_540, 12_790, 13_060, 13_360, 13_720, 14_060]
DISCHARGES = [15_820, 16_040, 16_310, 13_260, 14_870, 15_390, 15_610]

# Rates targeted per period of SMR_PERIODS: (Strathlinn, Scotland). The
# published value is recomputed from a whole-number numerator.
NI12 = ([11_420, 11_610, 11_890, 10_110, 11_020, 10_870, 11_240],
        [12_183, 12_277, 12_525, 10_957, 11_636, 11_155, 11_707])
NI13 = ([112_300, 113_900, 114_600, 92_800, 104_900, 111_700, 110_200],
        [117_920, 119_083, 118_288, 98_097, 109_431, 113_134, 112_458])
NI14 = ([96.4, 98.7, 100.2, 113.5, 104.6, 99.8, 101.3],
        [103.0, 103.0, 105.0, 120.1, 109.8, 101.9, 102.5])
NI15 = ([87.6, 88.3, 88.9, 90.7, 90.1, 89.6, 89.9],
        [88.0, 88.0, 88.2, 90.2, 89.7, 88.9, 89.0])
NI16 = ([23.6, 23.9, 23.1, 22.4, 22.9, 22.1, 21.8],
        [22.7, 22.5, 22.8, 21.7, 22.2, 22.6, 22.9])
# Calendar year 2022 of NI-12, 13, 15 and 16, (Strathlinn, Scotland) and the population behind
# the rate: PHS publishes the calendar years, so the calendar-year stand-in for 2023/24 is trended
# like for like. NI-14 has none, so its trend is indicative (docs/indicators.md).
CY2022 = {"NI-12": (10_950, 11_290, 123_840), "NI-13": (109_800, 111_900, 123_840),
          "NI-15": (89.8, 89.1, None), "NI-16": (22.5, 22.5, 30_490)}
# NI-17 and NI-19: financial years 2017/18 to 2023/24.
NI17 = ([87.5, 83.3, 84.6, 86.7, 78.9, 73.7, 79.4],
        [85.4, 82.2, 81.8, 82.5, 75.8, 75.2, 77.1])
NI19 = ([655, 702, 688, 415, 704, 948, 861],
        [762, 793, 774, 484, 748, 919, 902])
NI19_QUALIFIER = {"2022/23": "r", "2023/24": "p"}
# NI-18: calendar years 2017 to 2023.
NI18 = ([58.9, 60.2, 61.5, 62.8, 63.4, 64.9, 65.3],
        [61.0, 62.1, 63.0, 63.0, 64.8, 64.6, 64.2])
# NI-20: financial years 2017/18 to 2019/20 only (not updated since).
NI20 = ([23.1, 22.8, 23.4], [24.1, 24.0, 24.2])

# Locality figures for calendar year 2023: (locality, numerator, denominator).
NI12_LOCALITIES = [("Linnhaven Coast", 3210, 27800), ("Kirkbrae and Glen", 2020, 20300),
                   ("Strathlinn Town", 5900, 49900), ("Upper Strathlinn", 2814, 26060)]
NI16_LOCALITIES = [("Linnhaven Coast", 201, 8100), ("Kirkbrae and Glen", 118, 6350),
                   ("Strathlinn Town", 236, 9900), ("Upper Strathlinn", 124, 6800)]
# L-1, the sample's local indicator (people waiting over six weeks for care at
# home at 31 March): the partnership from 2019/20, the localities in 2023/24.
L1 = dict(zip(YEARS[2:], [64, 88, 121, 97, 58]))
L1_LOCALITIES = [("Linnhaven Coast", 21), ("Kirkbrae and Glen", 6), ("Strathlinn Town", 19),
                 ("Upper Strathlinn", 12)]
# L-2, the local measure for outcome 8 (engaged workforce): the iMatter employee engagement
# index of the partnership's teams; the survey did not run in 2020/21.
L2 = {"2018/19": 76, "2019/20": 77, "2021/22": 74, "2022/23": 75, "2023/24": 77}


def rate_rows(ind, periods, targets, scotland, denominators, per, decimals):
    """Rows whose value is recomputed from a whole numerator and denominator."""
    rows = []
    for period, target, scot, den in zip(periods, targets, scotland, denominators):
        num = round(target * den / per)
        value = round(num / den * per, decimals)
        rows.append(dict(indicator=ind, period=period,
                         value=fmt(value, decimals), scotland=fmt(scot, decimals),
                         numerator=num, denominator=den, qualifier=""))
    return rows


def plain_rows(ind, periods, values, scotland, decimals, qualifiers=None):
    qualifiers = qualifiers or {}
    return [dict(indicator=ind, period=p, value=fmt(v, decimals),
                 scotland=fmt(s, decimals), numerator="", denominator="",
                 qualifier=qualifiers.get(p, ""))
            for p, v, s in zip(periods, values, scotland)]


def with_cy2022(code, series, denominators=None):
    """Return the SMR periods, values, Scotland values (and populations) with calendar year 2022
    placed before the calendar year 2023 that stands in for 2023/24."""
    ours, scot, den = CY2022[code]
    out = [SMR_PERIODS[:-1] + ["2022"] + SMR_PERIODS[-1:],
           [*series[0][:-1], ours, series[0][-1]], [*series[1][:-1], scot, series[1][-1]]]
    if denominators is not None:
        out.append([*denominators[:-1], den, denominators[-1]])
    return out


def fmt(x, decimals):
    return f"{x:.{decimals}f}" if decimals else str(int(round(x)))


def with_interval(rows, half_width):
    """Add 95% confidence limits of +/- half_width around each row's value."""
    for row in rows:
        value = float(row["value"])
        row["lower_ci"] = fmt(value - half_width, 1)
        row["upper_ci"] = fmt(value + half_width, 1)
    return rows


def locality_indicator_rows(ind, period, figures, per, decimals):
    rows = []
    for locality, num, den in figures:
        rows.append(dict(indicator=ind, period=period, value=fmt(num / den * per, decimals),
                         scotland="", numerator=num, denominator=den, qualifier="",
                         locality=locality))
    return rows


def local_indicator_rows():
    rows = [dict(indicator="L-1", period=p, value=n, numerator=n) for p, n in L1.items()]
    rows += [dict(indicator="L-1", period=YEARS[-1], value=n, numerator=n, locality=loc)
             for loc, n in L1_LOCALITIES]
    rows += [dict(indicator="L-2", period=p, value=n) for p, n in L2.items()]
    return rows


def indicator_rows():
    rows = []
    for ind, (ours, scot) in SURVEY.items():
        rows += with_interval(plain_rows(ind, SURVEY_YEARS, ours, scot, 1), SURVEY_CI[ind])
    # NI-10 has no national data: no rows.
    rows += plain_rows("NI-11", CAL_YEARS, *NI11, 0)
    rows += rate_rows("NI-12", *with_cy2022("NI-12", NI12, ADULTS_18), 100_000, 0)
    rows += rate_rows("NI-13", *with_cy2022("NI-13", NI13, ADULTS_18), 100_000, 0)
    rows += rate_rows("NI-14", SMR_PERIODS, *NI14, DISCHARGES, 1_000, 1)
    rows += plain_rows("NI-15", *with_cy2022("NI-15", NI15), 1)
    rows += rate_rows("NI-16", *with_cy2022("NI-16", NI16, AGED_65), 1_000, 1)
    rows += plain_rows("NI-17", YEARS, *NI17, 1)
    rows += plain_rows("NI-18", CAL_YEARS, *NI18, 1)
    ni19 = rate_rows("NI-19", YEARS, *NI19, AGED_75_FY, 1_000, 0)
    for row in ni19:
        row["qualifier"] = NI19_QUALIFIER.get(row["period"], "")
    rows += ni19
    rows += plain_rows("NI-20", YEARS[:3], *NI20, 1)
    # NI-21, NI-22 and NI-23 are not reported nationally: no rows.
    rows += locality_indicator_rows("NI-12", "2023", NI12_LOCALITIES, 100_000, 0)
    rows += locality_indicator_rows("NI-16", "2023", NI16_LOCALITIES, 1_000, 1)
    rows += local_indicator_rows()
    return rows


# --------------------------------------------------------------------------
# Finance (£000)
# --------------------------------------------------------------------------

# Service line: (relative size in 2017/18, relative size in 2023/24). The
# shares move from hospital and care homes towards community services and
# care at home.
SERVICE_LINES = {
    "Community health services": (22_000, 31_500),
    "Primary care (GMS)": (24_500, 30_800),
    "Prescribing": (30_500, 39_200),
    "Mental health services": (13_800, 18_600),
    "Learning disability services": (17_600, 24_100),
    "Hospital set-aside (unscheduled care)": (27_000, 30_500),
    "Hospital inpatient (community and hosted)": (11_500, 12_200),
    "Care homes": (36_500, 40_500),
    "Care at home": (25_000, 38_800),
    "Support for unpaid carers": (2_400, 4_300),
    "Day services and self-directed support": (12_600, 16_500),
    "Social work and assessment": (9_200, 12_400),
}
LINES = list(SERVICE_LINES)

# Total budget in the annual financial statement, by year (£000).
TOTAL_BUDGET = [240_000, 246_900, 254_300, 262_500, 273_900, 289_400, 309_800]

# Outturn minus budget (£000; positive = overspend), in the order of LINES.
# The set-aside budget is, as in practice, set equal to the actual cost.
VARIANCE = {
    "2017/18": [-310, 40, 620, -270, 180, 0, -90, 410, -520, -60, -140, -210],
    "2018/19": [-180, -60, 940, -310, 330, 0, -120, 280, -460, -80, -200, -90],
    "2019/20": [-240, 30, 410, -350, 260, 0, 90, 520, -610, -140, -170, -150],
    "2020/21": [-820, -150, -640, -580, -420, 0, -260, -1350, -310, -470, -1920, -380],
    "2021/22": [-690, -210, -310, -720, 240, 0, -180, -980, -640, -410, -1260, -450],
    "2022/23": [-450, -90, 1260, -510, 390, 0, -140, 620, -730, -290, -560, -330],
    "2023/24": [-380, -120, 1850, -410, -190, 0, -150, 1420, -520, -310, -280, -360],
}

# Reasons for variances above the threshold: (line, "over"/"under") gives the
# usual reason; (line, year) overrides it for a particular year.
REASONS = {
    ("Community health services", "under"):
        "Vacancies in district nursing and community rehabilitation teams took longer than planned to fill.",
    ("Community health services", "2020/21"):
        "Staff redeployed to the COVID-19 response were paid from the Scottish Government's COVID-19 funding, releasing core budget.",
    ("Community health services", "2021/22"):
        "Vacancies in community nursing and allied health professional teams, and new Scottish Government funded posts filled late in the year.",
    ("Prescribing", "over"):
        "More items were prescribed than planned and several generic medicines cost more than the tariff price assumed in the budget.",
    ("Prescribing", "2018/19"):
        "Short supply of several common generic medicines raised their prices well above the tariff assumed in the budget.",
    ("Prescribing", "2022/23"):
        "Drug prices rose with general inflation and several medicines were in short supply, pushing the average cost per item above budget.",
    ("Prescribing", "2023/24"):
        "The number of items prescribed grew by 3.1% and the average cost per item stayed high because common generic medicines were in short supply.",
    ("Prescribing", "2020/21"):
        "Fewer items were prescribed in the first months of the pandemic and the prices of some medicines fell back.",
    ("Prescribing", "2021/22"):
        "Savings from switching to lower-cost inhalers and formulary medicines, and fewer items prescribed than forecast.",
    ("Mental health services", "under"):
        "Vacancies in community mental health teams and the psychological therapies service during the year.",
    ("Mental health services", "2020/21"):
        "Vacancies, and mental health projects paused during the pandemic restrictions.",
    ("Mental health services", "2021/22"):
        "Vacancies, and Mental Health Recovery and Renewal Fund projects that started later than planned.",
    ("Learning disability services", "over"):
        "Packages of care for young people moving on from children's services cost more than planned.",
    ("Learning disability services", "2020/21"):
        "Day opportunities and respite for people with a learning disability ran at reduced capacity under COVID-19 restrictions.",
    ("Hospital inpatient (community and hosted)", "2020/21"):
        "Beds at Strathlinn Community Hospital were temporarily reduced for infection control, lowering staffing and supplies costs.",
    ("Care homes", "over"):
        "More people than planned were placed in care homes and the average cost of a placement rose.",
    ("Care homes", "2022/23"):
        "The National Care Home Contract rate rose by more than the uplift assumed in the budget.",
    ("Care homes", "2023/24"):
        "More older people than planned were placed in nursing homes while care at home capacity was short, and the National Care Home Contract uplift was above the budgeted figure.",
    ("Care homes", "2020/21"):
        "Fewer people were admitted to care homes during the pandemic and vacant beds were not all filled.",
    ("Care homes", "2021/22"):
        "Care home occupancy stayed below pre-pandemic levels for much of the year.",
    ("Care at home", "under"):
        "Recruitment difficulties meant fewer hours of care at home were delivered than budgeted.",
    ("Care at home", "2020/21"):
        "Some people paused their care at home during the first lockdown, reducing the hours delivered.",
    ("Care at home", "2023/24"):
        "Vacancies in the in-house care at home service; some unmet need was met by care home placements instead.",
    ("Support for unpaid carers", "under"):
        "Short breaks projects commissioned from voluntary sector partners started later than planned.",
    ("Support for unpaid carers", "2020/21"):
        "Short breaks and respite services could not run normally under the pandemic restrictions.",
    ("Support for unpaid carers", "2021/22"):
        "Short breaks recovered slowly after the pandemic and part of the Carers Act funding was carried forward in reserves.",
    ("Support for unpaid carers", "2023/24"):
        "Two new short breaks projects started in the autumn rather than in April as planned.",
    ("Day services and self-directed support", "under"):
        "Fewer people than planned took up direct payments under self-directed support.",
    ("Day services and self-directed support", "2020/21"):
        "Building-based day services closed or ran at reduced capacity for most of the year under COVID-19 restrictions.",
    ("Day services and self-directed support", "2021/22"):
        "Day services reopened gradually and with fewer places because of physical distancing.",
    ("Day services and self-directed support", "2022/23"):
        "Attendance at day centres stayed below pre-pandemic levels as more people chose direct payments instead.",
    ("Day services and self-directed support", "2023/24"):
        "Attendance at day centres was lower than budgeted while the Linnhaven day service prepared to move.",
    ("Social work and assessment", "under"):
        "Vacancies in social work teams during the year.",
    ("Social work and assessment", "2020/21"):
        "Vacancies in social work teams, and lower travel and training costs during the pandemic.",
}

THRESHOLD = 250  # must match [report] variance_threshold in apr.toml


def budgets():
    """Budget by year and line: shares interpolated, jittered, scaled to the total."""
    rng = random.Random(SEED)
    start_total = sum(a for a, _ in SERVICE_LINES.values())
    end_total = sum(b for _, b in SERVICE_LINES.values())
    out = {}
    for i, year in enumerate(YEARS):
        t = i / (len(YEARS) - 1)
        weights = []
        for line, (a, b) in SERVICE_LINES.items():
            share = (1 - t) * a / start_total + t * b / end_total
            jitter = 1.0 if i in (0, len(YEARS) - 1) else 1 + rng.uniform(-0.006, 0.006)
            weights.append(share * jitter)
        scale = TOTAL_BUDGET[i] / sum(weights)
        amounts = [round(w * scale) for w in weights]
        # Put any rounding difference on the largest line so the total is exact.
        amounts[amounts.index(max(amounts))] += TOTAL_BUDGET[i] - sum(amounts)
        out[year] = dict(zip(LINES, amounts))
    return out


def reason_for(line, year, variance):
    if abs(variance) <= THRESHOLD:
        return ""
    key = (line, year) if (line, year) in REASONS else (line, "over" if variance > 0 else "under")
    if key not in REASONS:
        raise SystemExit(f"no reason for {line} {year} variance {variance}")
    return REASONS[key]


# The partner body that delegates each line; the accounts list NHS Linnshire's lines first.
NHS, COUNCIL = "NHS Linnshire", "Strathlinn Council"
COUNCIL_LINES = {"Learning disability services", "Care homes", "Care at home",
                 "Support for unpaid carers", "Day services and self-directed support",
                 "Social work and assessment"}

# 2023/24 is given as the audited accounts publish it: the final budget (total paid to or set
# aside) apart from the annual financial statement, and the variance as published.
# In-year allocations (£000): NHS Linnshire's late allocation for the Primary Care Improvement
# Fund, received in March and carried forward in its earmarked reserve.
ALLOCATIONS = {"2023/24": {"Primary care (GMS)": 1_200}}
# The accounts compute variances from figures in pounds, so a published variance can differ
# by 1 from the difference of the rounded budget and outturn.
PUBLISHED_VARIANCE_ADJUST = {"2023/24": {"Mental health services": 1}}


def body_of(line):
    return COUNCIL if line in COUNCIL_LINES else NHS


def finance_rows():
    rows = []
    budget = budgets()
    for year in YEARS:
        year_rows = []
        for line, variance in zip(LINES, VARIANCE[year]):
            b = budget[year][line]
            row = dict(year=year, service_line=line, budget=b, outturn=b + variance,
                       reason=reason_for(line, year, variance), body=body_of(line))
            if year in ALLOCATIONS:
                row["final_budget"] = b + ALLOCATIONS[year].get(line, 0)
                row["variance"] = -variance + PUBLISHED_VARIANCE_ADJUST[year].get(line, 0)
            year_rows.append(row)
        rows += sorted(year_rows, key=lambda r: r["body"] != NHS)   # stable: NHS first
    return rows


# --------------------------------------------------------------------------
# Localities
# --------------------------------------------------------------------------

# Locality: (population 2017/18, population 2023/24, share of allocated spend
# in 2017/18, share in 2023/24). Populations sum to 151,300 in 2023/24.
LOCALITIES = {
    "Linnhaven Coast": (33_400, 33_900, 0.238, 0.243),
    "Kirkbrae and Glen": (24_900, 24_600, 0.178, 0.174),
    "Strathlinn Town": (59_800, 61_200, 0.372, 0.377),
    "Upper Strathlinn": (32_100, 31_600, 0.212, 0.206),
}
# Share of total outturn attributed to localities; the rest is partnership-wide
# (set-aside, hosted services, strategic and business support).
ALLOCATED = [0.862, 0.865, 0.866, 0.858, 0.864, 0.871, 0.874]


def locality_rows(finance):
    outturn = {y: sum(r["outturn"] for r in finance if r["year"] == y) for y in YEARS}
    rows = []
    for i, year in enumerate(YEARS):
        t = i / (len(YEARS) - 1)
        pool = outturn[year] * ALLOCATED[i]
        for name, (p0, p1, s0, s1) in LOCALITIES.items():
            pop = round(((1 - t) * p0 + t * p1) / 10) * 10
            share = (1 - t) * s0 + t * s1
            rows.append(dict(locality=name, year=year, population=pop, spend=round(pool * share)))
    return rows


# --------------------------------------------------------------------------
# Inspections published in 2023/24 (all services and providers fictional)
# --------------------------------------------------------------------------

INSPECTIONS = [
    dict(service="Harbourview Care Home, Linnhaven", provider="Harbourview Care Ltd",
         body="Care Inspectorate", date="2023-06-14",
         wellbeing=5, leadership=4, staff=4, setting=5, care_planning=5,
         requirements=0, recommendations=1,
         findings="Residents were warmly supported and enjoyed a varied programme of activities, including regular trips along the coast. Quality assurance audits were not always followed through to action.",
         response="The provider introduced a monthly action tracker for audits; the partnership's care home support team reviewed it at its September visit."),
    dict(service="Kirkbrae Day Opportunities", provider="Glen Community Trust",
         body="Care Inspectorate", date="2023-08-09",
         wellbeing=5, leadership=5, staff=5, setting=4, care_planning=5,
         requirements=0, recommendations=1,
         findings="People valued the service highly and were involved in planning their own activities. The kitchen area needed refurbishment to support cookery sessions.",
         response="The partnership contributed to the cost of a new accessible kitchen, completed in January 2024."),
    dict(service="Glenbrae House (care home for older people), Strathlinn", provider="Strathlinn Council",
         body="Care Inspectorate", date="2023-09-05",
         wellbeing=4, leadership=4, staff=4, setting=4, care_planning=4,
         requirements=0, recommendations=2,
         findings="Care was kind and respectful and staff knew residents well. Personal plans did not always record people's wishes for the future, and some rooms needed redecoration.",
         response="Anticipatory care planning training was given to all senior carers, and redecoration was included in the redesign of Glenbrae House as an intermediate care unit."),
    dict(service="Mill Lade Nursing Home, Upper Strathlinn", provider="Caldermuir Care Homes Ltd",
         body="Care Inspectorate", date="2023-11-21",
         wellbeing=3, leadership=3, staff=3, setting=4, care_planning=3,
         requirements=3, recommendations=2,
         findings="Residents' nutrition and hydration were not monitored well enough, there was a high reliance on agency nurses, and management oversight of falls was weak.",
         response="The partnership paused new placements, and its care home support team and a senior nurse gave weekly support until the requirements were met at a follow-up visit in March 2024."),
    dict(service="Strathlinn Care at Home Service", provider="Strathlinn Council",
         body="Care Inspectorate", date="2024-01-17",
         wellbeing=5, leadership=4, staff=4, setting="", care_planning=4,
         requirements=0, recommendations=2,
         findings="People spoke highly of their carers and of the reablement team. Visit times were not always reliable in rural areas, and some care plans had not been reviewed within six months.",
         response="New rural rounds were set up in Upper Strathlinn and Kirkbrae and Glen, and a review officer was appointed to clear overdue reviews by June 2024."),
    dict(service="Ardlinn Lodge Care Home, Linnhaven", provider="Ardlinn Lodge Partnership",
         body="Care Inspectorate", date="2024-03-12",
         wellbeing=5, leadership=5, staff=4, setting=4, care_planning=5,
         requirements=0, recommendations=0,
         findings="A settled, well-led home where residents and relatives felt listened to. Staff training records were up to date and end of life care was very good.",
         response="The home's approach to end of life care was shared with other care homes through the partnership's care home network."),
    dict(service="Strathlinn Community Hospital", provider="NHS Linnshire",
         body="Healthcare Improvement Scotland", date="2023-10-12",
         wellbeing="", leadership="", staff="", setting="", care_planning="",
         requirements=4, recommendations=0,
         findings="Safe delivery of care inspection. Patients were treated with dignity and wards were clean, but some medicines storage, fluid balance charts and equipment cleaning checks did not meet standards.",
         response="An improvement plan was agreed with Healthcare Improvement Scotland; all four requirements were completed by February 2024 and are checked monthly by the senior charge nurses."),
    dict(service="Adult support and protection in Strathlinn", provider="Strathlinn HSCP, Strathlinn Council, NHS Linnshire and Police Scotland",
         body="Joint", date="2024-02-27",
         wellbeing="", leadership="", staff="", setting="", care_planning="",
         requirements="", recommendations=3,
         findings="Joint inspection by the Care Inspectorate and Healthcare Improvement Scotland, with HM Inspectorate of Constabulary in Scotland. Adults at risk were safer because of the help they received, and initial inquiries were timely; chronologies and the quality of risk assessments varied.",
         response="The Adult Protection Committee approved an improvement plan in March 2024, with new chronology guidance, multi-agency training on risk assessment and a case file audit programme."),
]


# --------------------------------------------------------------------------
# Significant decisions under section 36 in 2023/24
# --------------------------------------------------------------------------

DECISIONS = [
    dict(date="2023-08-30",
         decision="Redesign Glenbrae House, a 30-bed council care home for older people in Strathlinn Town, as a 20-bed intermediate care unit offering step-up and step-down care, with long-stay places provided in other local care homes.",
         reason="It changes how and where long-stay care home places are provided, affects current residents, their families and staff, and was not set out in the strategic plan, so the Board carried out a public consultation before deciding."),
    dict(date="2024-02-28",
         decision="Close the Shore Road day centre in Linnhaven and move the day service into the new Linnhaven Community Hub from June 2024.",
         reason="It changes the location and pattern of a building-based service used by about 45 people and their carers, and was not set out in the strategic plan, so people who use the service, carers and the community were consulted first."),
]


# --------------------------------------------------------------------------
# Ministerial Strategic Group (MSG) indicators, financial years 2017/18 (the
# baseline) to 2023/24: (Strathlinn values, Scotland values). Counts for a
# population of about 151,000; the Scotland figures are of a plausible size,
# not PHS's published ones. 2020/21 shows the fall in hospital use in the
# first year of COVID-19.
# --------------------------------------------------------------------------

MSG = {
    "MSG-1a": ([15210, 15480, 15390, 12630, 14210, 14520, 14380],
               [602400, 611900, 605300, 498700, 560800, 571200, 568900]),
    "MSG-2a": ([118400, 119900, 117200, 96300, 112800, 121500, 116900],
               [4412000, 4453000, 4380000, 3590000, 4215000, 4502000, 4388000]),
    "MSG-2b": ([6810, 6420, 5930, 4880, 4710, 4560, 4390],
               [232000, 219000, 205000, 171000, 164000, 158000, 152000]),
    "MSG-2c": ([21350, 20980, 20410, 18920, 19150, 18870, 18610],
               [828000, 815000, 797000, 741000, 752000, 738000, 731000]),
    "MSG-3a": ([41260, 42110, 42530, 30140, 38920, 40870, 41510],
               [1612000, 1648000, 1659000, 1178000, 1521000, 1598000, 1622000]),
    "MSG-3b": ([92.4, 90.8, 89.1, 91.6, 80.3, 72.8, 71.9],
               [91.3, 89.7, 87.6, 89.9, 77.8, 69.6, 68.9]),
    "MSG-4": ([13280, 12910, 12360, 8140, 13450, 16210, 15170],
              [507000, 491000, 478000, 311000, 531000, 648000, 612000]),
    "MSG-5": ([88.6, 88.9, 89.2, 91.0, 90.1, 89.4, 89.7],
              [87.9, 88.0, 88.3, 90.2, 89.5, 88.9, 89.1]),
    "MSG-6a": ([96.4, 96.4, 96.5, 96.7, 96.6, 96.6, 96.7],
               [96.1, 96.2, 96.2, 96.5, 96.4, 96.4, 96.5]),
    "MSG-6b": ([2.4, 2.4, 2.3, 2.2, 2.3, 2.3, 2.2],
               [2.6, 2.5, 2.5, 2.4, 2.4, 2.4, 2.3]),
}


def msg_rows():
    rows = []
    for code, (ours, scotland) in MSG.items():
        decimals = 1 if isinstance(ours[0], float) else 0
        for year, value, scot in zip(YEARS, ours, scotland):
            rows.append(dict(indicator=code, year=year, value=fmt(value, decimals),
                             scotland=fmt(scot, decimals)))
    return rows


# --------------------------------------------------------------------------

def write(name, rows, columns):
    path = DATA / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for row in rows:
            w.writerow(row)
    return path


def check():
    import pandas as pd

    fin = pd.read_csv(DATA / "finance.csv")
    fin["variance"] = fin["outturn"] - fin["budget"]
    totals = fin.groupby("year")[["budget", "outturn", "variance"]].sum()
    print("Finance totals (£000):")
    print(totals.to_string())
    big = fin[fin["variance"].abs() > THRESHOLD]
    assert big["reason"].notna().all(), "a variance above the threshold has no reason"
    small = fin[fin["variance"].abs() <= THRESHOLD]
    assert small["reason"].isna().all(), "a small variance has a reason"

    loc = pd.read_csv(DATA / "localities.csv")
    lt = loc.groupby("year")[["population", "spend"]].sum()
    lt["share_of_outturn"] = (lt["spend"] / totals["outturn"]).round(3)
    print("\nLocality totals:")
    print(lt.to_string())

    ind = pd.read_csv(DATA / "indicators.csv", dtype=str)
    print("\nIndicator periods:")
    print(ind.groupby("indicator", sort=False)["period"].agg(lambda s: " ".join(s)).to_string())
    for t in ("inspections", "significant_decisions"):
        print(f"\n{t}: {len(pd.read_csv(DATA / f'{t}.csv'))} rows")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print totals after writing (needs pandas)")
    args = ap.parse_args()
    DATA.mkdir(parents=True, exist_ok=True)
    finance = finance_rows()
    written = [
        write("indicators", indicator_rows(),
              ["indicator", "period", "value", "scotland", "numerator", "denominator", "qualifier",
               "locality", "lower_ci", "upper_ci"]),
        write("finance", finance, ["year", "service_line", "budget", "outturn", "reason",
                                   "body", "final_budget", "variance"]),
        write("localities", locality_rows(finance), ["locality", "year", "population", "spend"]),
        write("inspections", INSPECTIONS,
              ["service", "provider", "body", "date", "wellbeing", "leadership", "staff", "setting",
               "care_planning", "requirements", "recommendations", "findings", "response"]),
        write("significant_decisions", DECISIONS, ["date", "decision", "reason"]),
        write("msg", msg_rows(), ["indicator", "year", "value", "scotland"]),
    ]
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    if args.check:
        check()


if __name__ == "__main__":
    main()
