"""Reading report files: text, Markdown, HTML, boilerplate, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from attest.errors import UnreadableFile
from attest.ingest.boilerplate import noise_rule, split_boilerplate
from attest.ingest.pipeline import expand_paths, read_bytes, read_file

FIXTURES = Path(__file__).parent / "fixtures"


def test_text_file_keeps_article_and_lists_noise() -> None:
    doc = read_file(FIXTURES / "release_with_noise.txt")
    assert doc.media_type == "text/plain"
    assert "Daniyar Seitkali, 150,000 tenge" in doc.clean_text
    assert doc.boilerplate == [
        "Home | About us | Our work | Reports | Donate",
        "Skip to content",
        "READ MORE: Fines for unregistered worship rose sharply last year",
        "Advertisement - story continues below",
        "Share this:",
        "Subscribe to our newsletter",
    ]
    for line in doc.boilerplate:
        assert line not in doc.clean_text
    # headline and dateline are document text
    assert doc.clean_text.startswith("Forty worshippers questioned")
    assert "Freedom of Belief Monitor, 2 April 2024" in doc.clean_text


def test_html_article_by_trafilatura_with_metadata() -> None:
    doc = read_file(FIXTURES / "pastor_detained.html")
    assert doc.media_type == "text/html"
    assert doc.title == "Pastor held after raid on home gathering in Kunming"
    assert doc.url == "https://news.example.org/2024/03/pastor-held-kunming"
    assert doc.published == "2024-03-18"
    assert doc.language == "en"
    assert "detained a house-church pastor, Luo Wenhai" in doc.clean_text
    assert "3,000 yuan" in doc.clean_text
    assert "Advertisement - story continues below" not in doc.clean_text
    assert "Advertisement - story continues below" in doc.boilerplate
    assert any(line.startswith("TRENDING:") for line in doc.boilerplate)
    assert "Subscribe to our newsletter" in doc.boilerplate
    assert "Church leaders sentenced in Guiyang" not in doc.clean_text


def test_seed_report_boilerplate(seed_text: str) -> None:
    clean, removed = split_boilerplate(seed_text)
    assert removed == [
        "Advertisement - story continues below",
        "TRENDING: North Korea deports runaway U.S. soldier after he broke the law there",
    ]
    article_lines = [ln for ln in seed_text.splitlines() if ln.strip() and ln.strip() not in removed]
    assert clean.splitlines() == article_lines  # no article line removed


@pytest.mark.parametrize(
    "line",
    [
        "The officers told him to share the names of everyone who attended.",
        "Advertisement posters for the rally were torn down by police.",
        "Search of the apartment lasted four hours, his wife said.",
        "Menu items at the camp canteen were written only in Chinese.",
        "Related to the case, two more pastors were summoned on Monday.",
    ],
)
def test_sentences_that_mention_noise_words_are_kept(line: str) -> None:
    assert noise_rule(line) is None


def test_markdown_front_matter_and_markup(tmp_path: Path) -> None:
    path = tmp_path / "release.md"
    path.write_text(
        "---\ntitle: Monks summoned in Ngaba\nurl: https://ngo.example/ngaba\ndate: 2024-05-02\n---\n"
        "# Monks summoned in Ngaba\n\n**Share this:** Facebook | X | Email\n\n"
        "Three monks of Kirti monastery were *summoned* by police, a [relative](https://x) said.\n",
        encoding="utf-8",
    )
    doc = read_file(path)
    assert doc.title == "Monks summoned in Ngaba"
    assert doc.url == "https://ngo.example/ngaba"
    assert doc.published == "2024-05-02"
    assert "Three monks of Kirti monastery were summoned by police, a relative said." in doc.clean_text
    assert "Share this: Facebook | X | Email" in doc.boilerplate


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("junk.txt", bytes(range(256)) * 8, "binary content"),
        ("latin1.txt", "Ürümqi detainee list".encode("latin-1"), "not UTF-8 text (byte 0xdc at offset 0)"),
        ("scan.pdf", b"%PDF-1.7\n...", "unsupported file type .pdf"),
        ("page.html", b"<html><body><nav>Home</nav></body></html>", "no report text left"),
    ],
)
def test_bad_files_name_the_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFile) as info:
        read_bytes(data, name)
    assert reason in info.value.reason
    assert str(info.value).startswith(name)


def test_utf16_with_bom_is_read() -> None:
    data = "Detained in Aksu: Memet Tursun.\n".encode("utf-16")
    assert read_bytes(data, "list.txt").clean_text == "Detained in Aksu: Memet Tursun."


def test_same_bytes_same_hash() -> None:
    a = read_bytes(b"Police detained ten people.\n", "a.txt")
    b = read_bytes(b"Police detained ten people.\n", "b.txt")
    assert a.sha256 == b.sha256 and len(a.sha256) == 64


def test_expand_paths_recurses_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "sub" / "deeper" / "b.md").write_text("y")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("z")
    found = [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])]
    assert found == ["a.txt", "sub/deeper/b.md"]


def test_dateline_with_separators_is_text_but_menu_is_noise() -> None:
    assert noise_rule("Daily Courier | World | 3 March 2022") is None
    assert noise_rule("News | World | Opinion | Video") == "navigation"


@pytest.mark.parametrize(
    "line",
    [
        "Take action: email your representative about the detained teachers",
        "Sign our petition for the release of the Almaty protesters",
        "Follow the Steppe Observer on Telegram",
        "Download PDF | Print | Share",
        "Newsletter: five stories on religious freedom, every Monday",
    ],
)
def test_calls_to_action_and_widget_rows_are_noise(line: str) -> None:
    assert noise_rule(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Relatives said they would follow the case on the court's website until the verdict.",
        "Police told her to take action against her own son or lose her job.",
        "The petition, signed by 300 parishioners, was confiscated at the door.",
    ],
)
def test_sentences_near_calls_to_action_are_text(line: str) -> None:
    assert noise_rule(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "RELIGIOUS FREEDOM WATCH — XINJIANG",
        "MORE NEWS IN BRIEF",
        "News in brief | Asia",
        "Read next: Court upholds sentences of four church elders",
        "Support independent Tibetan-language reporting. Give monthly.",
        "Please pray for the families of the detained elders.",
    ],
)
def test_labels_teasers_and_appeals_are_noise(line: str) -> None:
    assert noise_rule(line) is not None


@pytest.mark.parametrize(
    "line",
    ["LHASA", "URUMQI, China —", '"Please pray for us," her mother said.', "NGO: 40 held in raid"],
)
def test_datelines_and_quotes_are_text(line: str) -> None:
    assert noise_rule(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Read more of the Courier's reporting on Tibet",
        "Related reports: Two pastors fined in Xiamen | Elder detained in Chengdu",
        "WORLD | RELIGION",
        "Pray for the detained believers — join our weekly prayer call",
    ],
)
def test_more_teasers_and_labels_are_noise(line: str) -> None:
    assert noise_rule(line) is not None


def test_sentence_starting_with_read_more_is_text() -> None:
    line = "Read more than twenty pages of the verdict, his lawyer said the charges were vague."
    assert noise_rule(line) is None
