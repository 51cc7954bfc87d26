"""``tarjama translate --llm-post-edit``: the editor is refused in one line before the model
loads when it is no endpoint model, and when it does not translate the pair (it would edit
nothing, and the user would believe it had), as the server and batch refuse it."""

from __future__ import annotations

from pathlib import Path

from tarjama.workspace import Workspace

from ..commands import tarjama_text


def test_an_editor_that_does_not_translate_the_pair_is_refused(
    home: Path, copy_model_dir: Path
) -> None:
    ws = Workspace.open(home)
    ws.add_model(copy_model_dir, "nmt-en-ar", source="en", target="ar")
    ws.add_endpoint("llm", url="http://127.0.0.1:9/v1", model="m")  # never reached
    ran = tarjama_text(
        "translate", "--model", "nmt-en-ar", "--llm-post-edit", "llm", home=home,
        stdin="The plan is ready.\n",
    )  # fmt: skip
    assert ran.returncode == 2 and ran.stdout == ""
    assert "model 'llm' does not translate en->ar (it does: ar->en)" in ran.stderr
    assert len(ran.stderr.strip().splitlines()) == 1
    missing = tarjama_text(
        "translate", "--model", "nmt-en-ar", "--llm-post-edit", "nope", home=home,
        stdin="The plan is ready.\n",
    )  # fmt: skip
    assert missing.returncode == 2 and "unknown model 'nope'" in missing.stderr
