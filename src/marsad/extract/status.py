"""Event status: asserted, planned, negated or hypothetical, from cues in status_cues.tsv.

Why cues with a scope: Arabic marks status with particles and auxiliary verbs near the trigger
(سـ/سوف/لم/لن/قد/إذا/من المقرر أن/يعتزم), so a window of a few words before (or, for noun
triggers, after: الزيارة المرتقبة) the trigger in the same sentence is enough and explainable.
"""

from __future__ import annotations

from marsad.doc import Doc, Event
from marsad.extract.triggers import CueLexicon, Words
from marsad.knowledge import read_tsv

PRECEDENCE = {"negated": 3, "hypothetical": 2, "planned": 1, "asserted": 0}


class StatusTagger:
    """Sets ``event.status`` from the cues around each event's trigger."""

    name = "status"

    def __init__(self) -> None:
        rows = list(read_tsv("status_cues.tsv", ["cue", "status", "scope", "window", "pos"]))
        self.prefix_cues = [r for r in rows if r["scope"] == "prefix"]
        self.cues = CueLexicon([r for r in rows if r["scope"] != "prefix"])
        self.max_window = max((int(r["window"] or 0) for r in rows), default=0)

    def __call__(self, doc: Doc) -> Doc:
        self.tag(doc, doc.events)
        return doc

    def tag(self, doc: Doc, events: list[Event], words: Words | None = None) -> None:
        words = words or Words.of(doc)
        from marsad.extract.events import trigger_word

        for ev in events:
            if not words.tokens:
                continue
            ev.status = self.status_of(words, trigger_word(ev, words), ev.trigger.attrs or {})

    def status_of(self, words: Words, i: int, attrs: dict) -> str:
        """The status of the trigger at word ``i`` (``attrs``: pos, tense, prefixes)."""
        pos = attrs.get("pos", "")
        tense = attrs.get("tense", "")
        best = "asserted"

        def consider(status: str) -> None:
            nonlocal best
            if PRECEDENCE.get(status, 0) > PRECEDENCE[best]:
                best = status

        def applies(row: dict[str, str]) -> bool:
            want = row.get("pos") or "any"
            return want == "any" or want == pos or (want == "noun" and pos == "form")

        prefixes = attrs.get("prefixes", "")
        for row in self.prefix_cues:
            if row["cue"] in prefixes and applies(row):
                if row["cue"] == "س" and tense != "pres":
                    continue
                consider(row["status"])
        s = words.sent[i]
        lo = max(0, i - self.max_window - 3)
        hi = min(len(words), i + self.max_window + 1)
        for j in range(lo, hi):
            if words.sent[j] != s or j == i:
                continue
            for cue in self.cues.at(words, j):
                row = cue.row
                if not applies(row):
                    continue
                win = int(row["window"] or 0)
                end = j + len(cue.seq.words) - 1
                scope = row["scope"]
                if scope.startswith("before") and end < i and i - end <= win:
                    if scope == "before-pres" and tense != "pres":
                        continue
                    if scope == "before-past" and tense != "past":
                        continue
                    consider(row["status"])
                elif scope == "after" and j > i and j - i <= win:
                    consider(row["status"])
        return best
