"""`tarjama memory show|edit|remove|restore|unapprove|history`, search by either side,
export with tombstones, and a picky import: a tarjama-made XLIFF brings in nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from tarjama.archive import Entry, TranslationMemory

from ..commands import tarjama
from ..formats import samples

SOURCE = "قال الوزير إن الميناء سيفتح الأسبوع المقبل"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "tm.sqlite"
    with TranslationMemory(path, create=True) as tm:
        tm.add(Entry(SOURCE, "The port opens next week", origin="archive#1"))
    return path


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    r = tarjama(*args, home=home)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def test_find_remove_restore_and_the_history(db: Path, home: Path) -> None:
    code, out, _ = _run(
        home, "memory", "search", "PORT", "--side", "target", "--memory", str(db), "-f", "json"
    )
    assert code == 0
    (entry,) = json.loads(out)["entries"]
    ident = str(entry["id"])
    assert _run(home, "memory", "remove", ident, "--by", "lina", "--memory", str(db))[0] == 0
    code, out, _ = _run(home, "memory", "search", SOURCE, "--memory", str(db))
    assert (code, out.strip()) == (1, "no match")
    code, out, _ = _run(home, "memory", "show", ident, "--memory", str(db), "-f", "json")
    assert json.loads(out)["removed"] is True
    assert _run(home, "memory", "restore", ident, "--by", "omar", "--memory", str(db))[0] == 0
    code, out, _ = _run(home, "memory", "search", SOURCE, "--memory", str(db))
    assert code == 0 and out.startswith("exact: The port opens next week")
    code, out, _ = _run(home, "memory", "history", ident, "--memory", str(db), "-f", "json")
    events = json.loads(out)["history"]
    assert [(e["action"], e["actor"]) for e in events] == [
        ("created", ""), ("removed", "lina"), ("restored", "omar"),
    ]  # fmt: skip


def test_edit_then_unapprove(db: Path, home: Path) -> None:
    code, out, _ = _run(
        home, "memory", "edit", "1", "--target", "The port will open", "--by", "lina",
        "--memory", str(db),
    )  # fmt: skip
    assert code == 0 and "origin editor" in out and "The port will open" in out
    code, out, _ = _run(home, "memory", "unapprove", "1", "--memory", str(db), "-f", "json")
    assert code == 0 and json.loads(out)["origin"] == "archive#1"
    code, out, _ = _run(home, "memory", "history", "1", "--memory", str(db))
    assert [line.split()[1] for line in out.splitlines()] == ["created", "edited", "unapproved"]


@pytest.mark.parametrize(
    "args",
    [("show", "99"), ("unapprove", "1"), ("edit", "1"), ("history", "0")],
)
def test_a_wrong_id_or_act_is_one_line_and_exit_2(
    db: Path, home: Path, args: tuple[str, ...]
) -> None:
    code, out, err = _run(home, "memory", *args, "--memory", str(db))
    assert code == 2 and out == "" and len(err.splitlines()) == 1


def test_export_leaves_out_or_marks_tombstones(db: Path, home: Path, tmp_path: Path) -> None:
    _run(home, "memory", "remove", "1", "--memory", str(db))
    live, all_ = tmp_path / "live.tsv", tmp_path / "all.tsv"
    assert _run(home, "memory", "export", str(live), "--memory", str(db))[0] == 0
    assert (
        _run(home, "memory", "export", str(all_), "--include-removed", "--memory", str(db))[0] == 0
    )
    assert len(live.read_text(encoding="utf-8").splitlines()) == 1
    assert all_.read_text(encoding="utf-8").splitlines()[1].endswith("\t1")


@pytest.mark.parametrize("kind", ["xliff", "xliff2"])
def test_a_tarjama_made_xliff_imports_nothing_and_says_so(
    copy_model_dir: Path, home: Path, tmp_path: Path, kind: str
) -> None:
    name, build = samples.SAMPLES[kind]
    # Only units for tarjama to translate: the sample's already translated ones left out.
    root = etree.fromstring(build())
    for done in root.xpath(
        ".//*[local-name()='trans-unit'][@approved='yes']"
        " | .//*[local-name()='unit'][*[local-name()='segment'][@state!='initial']]"
    ):
        done.getparent().remove(done)
    (tmp_path / name).write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    r = tarjama("translate", name, "--model", str(copy_model_dir), home=home, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    made = tmp_path / name.replace(".", ".en.", 1)
    units = made.read_bytes().count(b"<target")
    assert units > 0
    db = tmp_path / "new.sqlite"
    code, _, err = _run(home, "memory", "import", str(made), "--memory", str(db), "-q")
    assert code == 0
    assert err.splitlines()[0].startswith("0 added, 0 already present")
    assert (
        f"{units} skipped: machine translation or unreviewed; "
        "--include-unreviewed takes them as suggestions"
    ) in err
    code, _, err = _run(
        home, "memory", "import", str(made), "--memory", str(db), "-q", "--include-unreviewed"
    )
    assert err.startswith(f"{units} added")
    with TranslationMemory(db) as tm:
        assert tm.stats().suggestions == units
        # Suggestions: never an exact match.
        assert all(tm.lookup(e.source) is None for e in tm.entries())


def _xliff12(state: str, qualifier: str = "", approved: str = "") -> str:
    q = f' state-qualifier="{qualifier}"' if qualifier else ""
    a = f' approved="{approved}"' if approved else ""
    st = f' state="{state}"' if state else ""
    return (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x"'
        ' source-language="ar" target-language="en" datatype="plaintext"><body>'
        f'<trans-unit id="1"{a}><source>{SOURCE}</source><target{st}{q}>The port</target>'
        "</trans-unit></body></file></xliff>"
    )


def _xliff20(state: str, substate: str = "") -> str:
    sub = f' subState="{substate}"' if substate else ""
    return (
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar"'
        f' trgLang="en"><file id="f"><unit id="u"><segment state="{state}"{sub}>'
        f"<source>{SOURCE}</source><target>The port</target></segment></unit></file></xliff>"
    )


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        (_xliff12("translated"), True),
        (_xliff12("signed-off"), True),
        (_xliff12("final"), True),
        (_xliff12("", approved="yes"), True),
        (_xliff12(""), False),
        (_xliff12("needs-review-translation"), False),
        (_xliff12("needs-translation"), False),
        (_xliff12("translated", "leveraged-mt"), False),
        (_xliff12("final", "mt-suggestion"), False),
        (_xliff20("reviewed"), True),
        (_xliff20("final"), True),
        (_xliff20("translated"), False),
        (_xliff20("initial"), False),
        (_xliff20("final", "tarjama:review"), False),
    ],
)
def test_which_xliff_targets_are_taken(home: Path, tmp_path: Path, text: str, taken: bool) -> None:
    path = tmp_path / "in.xlf"
    path.write_text(text, encoding="utf-8")
    code, _, err = _run(
        home, "memory", "import", str(path), "--memory", str(tmp_path / "m.sqlite"), "-q"
    )
    assert code == 0
    assert err.startswith("1 added" if taken else "0 added")
    assert ("1 skipped: machine translation" in err) is not taken
