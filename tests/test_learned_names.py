"""The names a newsroom's archive taught its memory's lexicon join the gazetteer: a name
spelt otherwise than the archive spells it is flagged, naming the archive's spelling,
wherever the workspace checks (a translation, `tarjama check`, a batch job's recipe)."""

from __future__ import annotations

import random
from pathlib import Path

from tarjama.archive import TranslationMemory
from tarjama.archive.lexicon import MIN_LINKS, Lexicon
from tarjama.document import Issue
from tarjama.fidelity.learned import learned_names
from tarjama.text import romanize
from tarjama.workspace import Workspace

from .fakes import FakeEngine

ARABIC = "قال سالم النعيمي إن الميناء سيفتح في الربيع."
MISSPELT = "Salem Nuaimi said the port would open in the spring."
RIGHT = "Salem Naimi said the port would open in the spring."
_LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمنهي"


def archive_links(n: int = MIN_LINKS + 20) -> list[tuple[str, str]]:
    """Linked sentence pairs as an archive import learns from: a dozen name the
    newsroom's Naimi (النعيمي), the rest are filler words that pair with nothing."""
    rng = random.Random(7)

    def filler(letters: str, k: int) -> list[str]:
        return ["".join(rng.choice(letters) for _ in range(5)) for _ in range(k)]

    links = []
    for i in range(n):
        ar, en = filler(_LETTERS, 3), filler("bcdfgjklmnpqrstvwxz", 3)
        if i % 10 == 0:
            ar, en = [*ar, "النعيمي"], [*en, "Naimi"]
        links.append((" ".join(ar), " ".join(en)))
    return links


def memory_with_lexicon(path: Path) -> Path:
    lexicon = Lexicon("ar", "en")
    lexicon.learn(archive_links())
    assert lexicon.active  # enough links for the lexicon to say anything
    with TranslationMemory.open(path, create=True) as tm:
        tm.add_to_lexicon(lexicon)
    return path


def naimi_issues(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.check == "names" and "Naimi" in i.message]


def test_a_learned_lexicons_names_are_found_and_its_words_are_not() -> None:
    pairs = [("نعيمي", "naimi"), ("نغازي", "benghazi"), ("مستشفى", "hospital"), ("ميناء", "port")]
    # بنغازي is stored without its first letter, read as a proclitic: put back, it sounds
    # like Benghazi; a translation (hospital, port) does not sound like its source.
    found = learned_names(pairs, romanize.transliterate)
    assert found == [("نعيمي", "Naimi"), ("بنغازي", "Benghazi")]
    assert learned_names(pairs, None) == []  # no transliterator, nothing to compare


def test_a_misspelt_name_the_archive_knows_is_flagged_with_its_spelling(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ws = Workspace.open(home)
    before = ws.check(ARABIC, MISSPELT)
    assert naimi_issues(before) == []  # without the archive, Nuaimi sounds right
    memory_with_lexicon(home / "memory.sqlite")
    found = naimi_issues(ws.check(ARABIC, MISSPELT))
    assert [(i.severity, i.source_text) for i in found] == [("warning", "النعيمي")]
    assert found[0].message == "name 'النعيمي' is written 'Naimi' in English"
    assert "“Naimi”" in found[0].plain
    assert naimi_issues(ws.check(ARABIC, RIGHT)) == []  # the archive's spelling passes


def test_a_translator_checks_with_the_lexicon_of_its_memory(tmp_path: Path) -> None:
    memory = memory_with_lexicon(tmp_path / "archive.sqlite")
    ws = Workspace.open(tmp_path / "home")
    assert naimi_issues(ws.check(ARABIC, MISSPELT)) == []  # the home has no memory
    with TranslationMemory.open(memory) as tm:
        translator = ws.translator(FakeEngine(), source="ar", target="en", memory=tm)
        assert translator.names is not None
        lost, _ = translator.names.unmatched(ARABIC, MISSPELT)
    assert [(n.text, n.expected) for n in lost if n.expected] == [("النعيمي", "Naimi")]
