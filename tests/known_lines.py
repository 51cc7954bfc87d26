"""An engine that knows its lines: each source sentence has a fixed translation, one of
them wrong (a number changed), so a test knows which sentence the checks must put first."""

from __future__ import annotations

from collections.abc import Sequence

from tarjama.engines import Hypothesis

from .fakes import FakeEngine

GOOD = "قال وزير النقل إن الميناء الجديد سيفتح في الربيع."
BAD = "وبلغت كلفة المشروع 3.5 مليار دولار."
ALSO_GOOD = "وأضاف أن الأعمال بدأت قبل عامين."
LINES = {
    GOOD: "The transport minister said the new port would open in the spring.",
    BAD: "The project cost 2.5 billion dollars.",  # 3.5 became 2.5: a numbers error
    ALSO_GOOD: "He added that the work began two years ago.",
}
#: A line the model translates right but is unsure of (-3.0 per token).
UNSURE = "ولم يعلق المتحدث على التقارير."
UNSURE_LINE = "The spokesman did not comment on the reports."
#: Three paragraphs, the wrong line in the second.
ARTICLE = f"{GOOD}\n{ALSO_GOOD} {BAD}\n{ALSO_GOOD}\n"


class KnownLinesEngine(FakeEngine):
    """Translates the sentences of :data:`LINES` (a sure model: -0.3 per token) and
    :data:`UNSURE` (unsure: -3.0); anything else comes back as the fake engine writes it."""

    name = "known-lines"

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        self.calls.append(list(texts))
        return [
            Hypothesis(LINES[t], -0.3)
            if t in LINES
            else Hypothesis(UNSURE_LINE, -3.0)
            if t == UNSURE
            else Hypothesis(f"<{t}>", -0.5)
            for t in texts
        ]
