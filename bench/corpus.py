"""A synthetic corpus of monitoring reports for the extraction benchmark.

Reports are assembled from our own sentence templates with names, places,
counts, amounts and attribution styles drawn from small lists, so the corpus
exercises every rule (quotes over paragraphs, "according to", nested
sources, protests in several cities, fines in several currencies) without
copying any real article. ``real_bodies`` adds the article bodies of the
shared article-extraction benchmark when that folder is present.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

FIRST = ["Ahmet", "Gulnar", "Li", "Wang", "Tenzin", "Maria", "Yusuf", "Aigerim", "Chen",
         "Dilnur", "Pavel", "Samira", "Hoang", "Reza", "Nadia", "Tashi", "Erlan", "Mei",
         "Bahram", "Olga", "Nguyen", "Abdul", "Zhang", "Fatima", "Karma", "Daniel"]
LAST = ["Tursun", "Ablimit", "Jian", "Yi", "Norbu", "Ivanova", "Kaya", "Serikbayeva",
        "Guangcheng", "Hasan", "Petrov", "Karimi", "Van Minh", "Sadeghi", "Bekova",
        "Dorje", "Omarov", "Lin", "Rahimi", "Smirnova", "Thi Lan", "Rahman", "Wei",
        "Mahmoud", "Lhamo", "Osei"]
ORGS = ["Faith Freedom Monitor", "the Tarim Rights Project", "Steppe Watch",
        "the Mountain Testimony Archive", "Open Doors Network", "Conscience Aid",
        "the Baltic Human Rights Committee", "Harbor Legal Foundation"]
OUTLETS = ["the Daily Ledger", "Meridian News Agency", "Radio Free Steppe", "Time",
           "the Evening Courier", "Frontline Weekly"]
PLACES = [("Kashgar", "Xinjiang"), ("Hotan", "Xinjiang"), ("Urumqi", "Xinjiang"),
          ("Lhasa", "Tibet"), ("Chengdu", "Sichuan"), ("Almaty", "Kazakhstan"),
          ("Shiraz", "Iran"), ("Tehran", "Iran"), ("Asmara", "Eritrea"),
          ("Penza", "Russia"), ("Hanoi", "Vietnam"), ("Istanbul", "Turkey")]
DISTRICTS = ["Tianshan District", "Wuhou District", "Chengguan District", "Karakax County",
             "Yarkant County", "Sertar County", "Medeu District", "Narmak District"]
GROUPS = ["Uyghur farmers", "Kazakh citizens", "house church members", "Tibetan monks",
          "Baha'i students", "Hmong Protestants", "Jehovah's Witnesses", "Hui villagers"]
FACILITIES = ["detention centre", "re-education camp", "prison", "police station",
              "psychiatric hospital", "pre-trial detention centre"]
MONEY = [("{n:,} yuan", 500, 50000), ("${n:,}", 100, 20000), ("{n:,} tenge", 10000, 500000),
         ("€{n:,}", 100, 9000), ("{n:,} rials", 1000000, 900000000), ("RMB {n:,}", 200, 30000)]
WHEN = ["last month", "on Tuesday", "in March 2021", "earlier this year", "in recent weeks",
        "on 4 January", "last week", "in 2019"]
NUMBER_WORDS = ["two", "three", "five", "twelve", "twenty", "dozens of", "more than a hundred",
                "at least 30", "hundreds of", "14", "8"]


def _person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


def _money(r: random.Random) -> str:
    fmt, lo, hi = r.choice(MONEY)
    return fmt.format(n=r.randrange(lo, hi, 50))


def report(r: random.Random) -> str:
    """One report of five to nine paragraphs."""
    victim, witness, official = _person(r), _person(r), _person(r)
    city, region = r.choice(PLACES)
    org, outlet = r.choice(ORGS), r.choice(OUTLETS)
    group, facility = r.choice(GROUPS), r.choice(FACILITIES)
    n, when, district = r.choice(NUMBER_WORDS), r.choice(WHEN), r.choice(DISTRICTS)
    paras = [
        f"Police in {city} detained {n} {group} {when}, {org} said in a statement.",
        f"{victim}, a teacher from {district}, was taken to a {facility} in {city} and has "
        f"not been heard from since, according to a relative who spoke to {outlet}.",
        f'"They came at night and searched every room. They took his books and his phone," '
        f"{witness} told {outlet}.",
        f'"We asked at the {facility} every day. Nobody would tell us where he was.',
        f'"Then an officer demanded {_money(r)} for his release," {witness} said.',
        f"{org} said its sources had described beatings and sleep deprivation at the "
        f"{facility}, where detainees were held for {r.choice(['three', 'six', 'ten'])} months.",
        f"Officials in {region} denied that anyone had been punished for religious belief. "
        f"Deputy director {official} said the detainees had broken the law.",
        f"{r.choice(['Hundreds of', 'About fifty', 'More than 200'])} protesters gathered "
        f"outside the consulate in {r.choice(PLACES)[0]} and in front of the courthouse in "
        f"{r.choice(PLACES)[0]} to demand the release of {group}.",
        f"In a commentary published by {outlet}, {_person(r)} wrote that the campaign "
        f"against {group} had intensified since {r.choice(['2017', '2018', '2020'])}.",
        f"The families were each fined {_money(r)} ({_money(r)}) and told not to speak "
        f"to foreign media, the report said.",
        f"{org} believes that at least {r.randrange(5, 400)} people remain in custody in "
        f"{region}. Reportedly, some were moved to a {facility} in {district}.",
    ]
    keep = [0, 1] + sorted(r.sample(range(2, len(paras)), r.randrange(4, 8)))
    if 3 in keep and 4 not in keep:
        keep.append(4)
    return "\n".join(paras[i] for i in sorted(set(keep)))


def synthetic(n: int, seed: int = 7) -> list[str]:
    """``n`` reports, deterministic for a seed."""
    r = random.Random(seed)
    return [report(r) for _ in range(n)]


SHARED_BENCH = (Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
                / "article-extraction" / "ground-truth.json")


def real_bodies(path: Path = SHARED_BENCH) -> list[str]:
    """Real news article bodies from the shared benchmark, or [] when absent."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [v["articleBody"] for v in data.values() if v.get("articleBody")]
