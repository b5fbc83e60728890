"""Name keys across scripts: tables of cases (with hard negatives) and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from attest.link.names import (
    cyrillic_to_latin,
    decode_transcription_pinyin,
    name_keys,
    token_skeleton,
    uyghur_to_latin,
)
from attest.link.tables import load_rows, load_table

# name, another rendering of the same name: strict skeletons must meet
SAME = [
    ("Ilham Tohti", "伊力哈木·土赫提"),
    ("Ilham Tohti", "Yilihamu Tuheti"),
    ("Ilham Tohti", "ئىلھام توختى"),
    ("Ilham Tohti", "Tohti Ilham"),
    ("Ilham Tohti", "Ilham Tokhti"),
    ("Ilham Tohti", "ILHAM  toxti"),
    ("Ilham Tohti", "伊力哈木•土赫提"),
    ("Sayragul Sauytbay", "Сайрагүл Сауытбай"),
    ("Sayragul Sauytbay", "Sairagul Sawutbay"),
    ("Sayragul Sauytbay", "沙依拉古丽·沙吾提拜"),
    ("Rahile Dawut", "热依拉·达吾提"),
    ("Uighur", "Uyghur"),
    ("Yerzhan", "Ержан"),
    ("Yerzhan", "Erjan"),
    ("Ilshat", "伊力夏提"),
    ("Ilshat", "Yilixiati"),
    ("Qayrat", "海拉提"),
    ("王小明", "Wang Xiaoming"),
    ("王小明", "Xiaoming Wang"),
    ("王小明", "Wang Xiao Ming"),
    ("欧阳娜娜", "Ouyang Nana"),
]
# Only the loose skeleton (h/kh/x ignored) meets
LOOSE = [
    ("Mehmet", "Memet"),
    ("Mehmet", "买买提"),
    ("Hasan", "Asan"),
    ("Tahir", "塔依尔"),
    ("Abdurehim Kerim", "阿不都热依木·克热木"),
]
# Different names that must not share a strict skeleton (hard negatives)
DIFFERENT = [
    ("Ilham Tohti", "Ilham Memet"),
    ("Ilham Tohti", "Enver Tohti"),
    ("Adil", "Tayir"),
    ("Gulnar", "Gulbahar"),
    ("Erlan", "Nurlan"),
    ("Wang Xiaoming", "Wang Xiaodong"),
    ("王小明", "李小明"),
    ("Zhang Wei", "Zhang Wen"),
    ("张伟", "章伟伟"),
    ("Kairat", "Marat"),
    ("Sauytbay", "Sauytbek"),
]


def shares(a: str, b: str, loose: bool = False) -> bool:
    ka, kb = name_keys(a), name_keys(b)
    left = ka.loose_skeletons if loose else ka.skeletons
    right = kb.loose_skeletons if loose else kb.skeletons
    return bool(set(left) & set(right))


@pytest.mark.parametrize(("a", "b"), SAME)
def test_renderings_of_one_name_share_a_strict_key(a: str, b: str) -> None:
    assert shares(a, b), (name_keys(a), name_keys(b))


@pytest.mark.parametrize(("a", "b"), LOOSE)
def test_h_variants_share_the_loose_key(a: str, b: str) -> None:
    assert shares(a, b, loose=True), (name_keys(a), name_keys(b))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_hard_negatives_do_not_share_a_strict_key(a: str, b: str) -> None:
    assert not shares(a, b), (name_keys(a), name_keys(b))


@pytest.mark.parametrize(
    ("arabic", "uly"),
    [
        ("ئىلھام توختى", "ilham toxti"),
        ("راھىلە داۋۇت", "rahile dawut"),
        ("گۈلنار", "gulnar"),
        ("مەمتىمىن", "memtimin"),
        ("ئۆمەر", "omer"),
        ("شەۋكەت", "shewket"),
        ("ﺋﯩﻠﮭﺎﻡ", "ilham"),  # presentation forms fold through NFKC
    ],
)
def test_uyghur_arabic_script_to_uly(arabic: str, uly: str) -> None:
    assert uyghur_to_latin(arabic) == uly


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Сайрагүл Сауытбай", "sayragul sauytbay"),
        ("Қайрат", "qayrat"),
        ("Ержан", "erzhan"),
        ("Бауыржан", "bauyrzhan"),
        ("Ғалым", "ghalym"),
        ("Михаил Ходорковский", "mikhail khodorkovskiy"),
    ],
)
def test_kazakh_and_russian_cyrillic_to_latin(cyrillic: str, latin: str) -> None:
    assert cyrillic_to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("chinese", "reading"),
    [
        ("伊力哈木·土赫提", ("ilham", "toxti")),
        ("买买提·吐尔逊", ("memet", "tursun")),
        ("王小明", ("wang", "xiaoming")),
        ("欧阳娜娜", ("ouyang", "nana")),
    ],
)
def test_chinese_readings(chinese: str, reading: tuple[str, ...]) -> None:
    assert name_keys(chinese).tokens == reading


def test_chinese_name_with_han_surname_keeps_the_transcription_reading() -> None:
    # 马 is a Han surname, but 马拉提 is the Kazakh name Marat.
    assert shares("马拉提", "Marat")


def test_pinyin_of_a_transcription_is_decoded() -> None:
    assert decode_transcription_pinyin("yilihamu") == "ilham"
    assert decode_transcription_pinyin("yilixiati") == "ilisat"
    assert decode_transcription_pinyin("xyz") is None


def test_scripts_are_reported() -> None:
    assert name_keys("Ilham ئىلھام 伊力哈木").scripts == ("Latn", "Arab", "Hani")


def test_empty_and_punctuation_only_names_have_no_keys() -> None:
    for name in ("", "   ", "·•-"):
        keys = name_keys(name)
        assert keys.tokens == () and keys.skeleton == ""


def test_tables_have_no_duplicate_keys_and_name_their_source() -> None:
    for table in ("uyghur_arabic", "kazakh_cyrillic", "zh_known_names", "han_surnames",
                  "sexes", "ethnicities"):
        assert load_table(table)
    for name in ("uyghur_arabic", "kazakh_cyrillic", "zh_transcription", "zh_known_names",
                 "han_surnames", "sexes", "ethnicities"):
        from attest.link.tables import DATA

        header = (DATA / f"{name}.tsv").read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith("# "), name
    chars = [row[0] for row in load_rows("zh_transcription")]
    assert len(chars) == len(set(chars))


NAME_CHARS = st.sampled_from(list("abdeghijklmnopqrstuwxyzöü") + ["ch", "sh", "zh", "gh"])
NAMES = st.lists(st.lists(NAME_CHARS, min_size=2, max_size=8).map("".join), min_size=1,
                 max_size=3).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(NAMES, st.sampled_from([str.upper, str.title, str.lower]), st.sampled_from([" ", "  ", " · "]))
def test_keys_are_stable_under_case_and_spacing(name: str, case, sep: str) -> None:
    variant = sep.join(case(part) for part in name.split())
    assert name_keys(variant).skeletons == name_keys(name).skeletons
    assert name_keys(variant).sorted_latin == name_keys(name).sorted_latin


@settings(max_examples=150, deadline=None)
@given(NAMES)
def test_keys_ignore_name_order(name: str) -> None:
    reversed_name = " ".join(reversed(name.split()))
    assert name_keys(reversed_name).skeleton == name_keys(name).skeleton


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_gets_keys_without_error(text: str) -> None:
    keys = name_keys(text)
    assert all(part for part in keys.tokens)
    for token in keys.tokens:
        assert token_skeleton(token)
