"""Sentences -> responsibility assignments.

Per document, in reading order:
- each clause is read by duty.ClauseReader (subject, cue, measure, role);
- a clause without a subject takes the nearest actor named before it in the
  same sentence;
- enumerated items (一要…二要…, 一是…, （一）…, 首先…其次…) inherit the actor
  named in their lead-in sentence, level by level;
- task-division markers (（A牵头，B配合）, 责任单位：…) give their units the task
  text before them;
- the addressees of a notice (各区人民政府，市直各委、办、局：) take the duties
  of `请…` sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .actors import ActorName, ActorRecogniser
from .duty import ClauseReader, ClauseReading, Marker, match_marker
from .lexicon import Lexicon, load_lexicon
from .model import Assignment, Document, DocumentResult, Sentence
from .segment import sentences as split_sentences
from .tasks import MarkerReader, TaskMarker
from .tokens import segmenter

ITEM_LEVEL = 5  # 一是/一要/第一 and deeper are items inside a paragraph's run of text
_ADDRESSEE_PARAGRAPHS = 6
_BLOCKED: list[ActorName] = []


@dataclass
class _Context:
    level: int
    actors: list[ActorName] | None
    title: str = ""


@dataclass
class _State:
    stack: list[_Context] = field(default_factory=list)
    paragraph: int = -1
    lead_in: list[ActorName] | None = None
    addressees: list[ActorName] | None = None
    previous_text: str = ""

    def inherited(self) -> list[ActorName] | None:
        for context in reversed(self.stack):
            if context.actors:
                return context.actors
        return None

    def open(self, marker: Marker, lead_in: list[ActorName] | None, title: str) -> None:
        if marker.first:
            while self.stack and self.stack[-1].level >= marker.level:
                self.stack.pop()
            self.stack.append(_Context(marker.level, lead_in or self.inherited(), title))
            return
        while self.stack and self.stack[-1].level > marker.level:
            self.stack.pop()
        if self.stack and self.stack[-1].level == marker.level:
            self.stack[-1].title = title
            return
        self.stack.append(_Context(marker.level, self.inherited(), title))


class Extractor:
    """Finds the assignments of a document. Build once, use for many documents."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon()
        self.recogniser = ActorRecogniser(self.lexicon)
        self.reader = ClauseReader(self.lexicon, self.recogniser, segmenter(self.lexicon))
        self.markers = MarkerReader(self.lexicon, self.recogniser)
        self.conclusions = tuple(self.lexicon.word_class("conclusion"))
        self.descriptive_openers = tuple(self.lexicon.word_class("descriptive"))

    def extract(self, document: Document) -> DocumentResult:
        sentences = split_sentences(document)
        state = _State()
        out: list[Assignment] = []
        seen: set[tuple] = set()
        for sentence in sentences:
            if sentence.paragraph != state.paragraph:
                self._new_paragraph(sentence, sentences, state)
                if state.addressees is not None and state.paragraph == sentence.paragraph and \
                        self._is_addressee_line(sentence):
                    continue
            for assignment in self._sentence(document, sentence, state):
                key = (assignment.actor, assignment.role, assignment.measure, assignment.start)
                if key not in seen:
                    seen.add(key)
                    out.append(assignment)
        return DocumentResult(document=document, sentences=len(sentences), assignments=out)

    # ------------------------------------------------------------------ paragraphs

    def _new_paragraph(self, sentence: Sentence, sentences: list[Sentence], state: _State) -> None:
        state.paragraph = sentence.paragraph
        marker, _ = match_marker(sentence.text)
        if marker is None:
            # a paragraph without a marker closes the items of the paragraph before
            while state.stack and state.stack[-1].level >= ITEM_LEVEL:
                state.stack.pop()
        if sentence.paragraph < _ADDRESSEE_PARAGRAPHS and state.addressees is None:
            addressees = self._addressees(sentence, sentences)
            if addressees:
                state.addressees = addressees

    def _addressees(self, sentence: Sentence, sentences: list[Sentence]) -> list[ActorName] | None:
        """各区人民政府，市直各委、办、局： — a paragraph that only names the units a notice goes to."""
        paragraph = [s for s in sentences if s.paragraph == sentence.paragraph]
        if len(paragraph) != 1 or not sentence.text.rstrip().endswith(("：", ":")):
            return None
        body = sentence.text.rstrip().rstrip("：:")
        actors: list[ActorName] = []
        for part in re.split(r"[，,；;]", body):
            part = part.strip()
            if not part:
                continue
            listed = self.reader.parse_actors(part)
            if listed is None:
                whole = self._collective_list(part)
                if whole is None:
                    return None
                listed = [whole]
            actors.extend(listed)
        return actors or None

    def _collective_list(self, part: str) -> ActorName | None:
        # 各省、自治区、直辖市人民政府 / 市直各委、办、局: one addressee written as a list
        last = part.split("、")[-1]
        named = self.recogniser.classify(last) or (
            self.recogniser.classify(part.split("、")[0]) if len(last) <= 2 else None)
        if named is None:
            return None
        return ActorName(part, part, "collective")

    def _is_addressee_line(self, sentence: Sentence) -> bool:
        return bool(sentence.text.rstrip().endswith(("：", ":"))) and self._addressees(sentence, [sentence]) is not None

    # ------------------------------------------------------------------ sentences

    def _sentence(self, document: Document, sentence: Sentence, state: _State) -> list[Assignment]:
        out: list[Assignment] = []
        lead_in_before = state.lead_in
        named_here: list[ActorName] | None = None
        subject: list[ActorName] | None = None
        partners: list[tuple[ActorName, str]] = []
        carried_role = ""
        is_conclusion = self.reader.strip_connectives(sentence.text) != sentence.text and \
            sentence.text.lstrip().startswith(self.conclusions)
        descriptive = sentence.text.lstrip().startswith(self.descriptive_openers)

        task_markers = self.markers.find(sentence.text)
        if task_markers:
            out.extend(self._task_assignments(document, sentence, task_markers, state))
        marker_start = min((m.start for m in task_markers), default=None)

        pending: list[tuple[list[ActorName], str]] = []  # X牵头， …: actors waiting for their measure
        for clause in sentence.clauses:
            offset = clause.start - sentence.start
            if marker_start is not None and offset >= marker_start:
                break
            text = clause.text
            marker, text = match_marker(text)
            if marker is not None:
                lead = named_here if named_here else lead_in_before
                state.open(marker, lead, text)
                subject, partners, carried_role = None, [], ""
            if not text:
                continue
            reading = self.reader.read(text)
            if reading.blocked:
                subject, partners = _BLOCKED, []
                continue
            if reading.pivot:
                named_here = reading.pivot
            actors: list[ActorName] | None
            role_override = ""
            if reading.by_actors:
                actors = reading.by_actors
                if reading.needs_measure:
                    subject, carried_role, partners = actors, reading.role, []
                    named_here = actors
                    continue
            elif reading.subject is not None:
                actors = reading.subject
                subject, partners, carried_role = actors, reading.partners, ""
                if reading.is_duty or reading.strong_cue:
                    named_here = actors
                if reading.needs_measure and not reading.partners:
                    carried_role = reading.role
                    continue
            elif subject is _BLOCKED:
                actors = None
            elif subject:
                actors = subject
                role_override = carried_role
                if reading.partners:
                    partners = reading.partners
            elif state.addressees and text.startswith("请"):
                actors = state.addressees
                reading = self.reader.measure_of_subjectless(text[1:])
            else:
                actors = state.inherited()
            if not actors:
                continue
            if reading.subject is None and not reading.by_actors and not reading.is_duty:
                if reading.cue or reading.descriptive or descriptive:
                    continue
                reading = self.reader.measure_of_subjectless(text)
            if not reading.is_duty or not reading.measures:
                continue
            if reading.partners:
                partners = reading.partners
                if reading.subject is not None or subject:
                    subject = actors
            role = role_override or reading.role
            for measure in reading.measures:
                for actor in actors:
                    out.append(self._assignment(document, sentence, actor, role, measure, reading))
                clause_partners = reading.partners or (partners if actors is subject else [])
                for partner, partner_role in clause_partners:
                    out.append(self._assignment(document, sentence, partner, partner_role, measure, reading))
        state.lead_in = None if is_conclusion else named_here
        state.previous_text = sentence.text
        return out

    def _task_assignments(self, document: Document, sentence: Sentence, markers: list[TaskMarker],
                          state: _State) -> list[Assignment]:
        out = []
        for marker in markers:
            task = sentence.text[: marker.start]
            _, task = match_marker(task.strip())
            task = task.strip(" ，,。；;：:")
            if len(task) < 2:
                _, task = match_marker(state.previous_text.strip())
                task = task.strip(" ，,。；;：:")
            if len(task) < 2 and state.stack:
                task = state.stack[-1].title
            if len(task) < 2:
                continue
            for unit in marker.units:
                named = self.recogniser.classify(unit.unit)
                actor = named or ActorName(unit.unit, unit.unit, "organisation")
                reading = ClauseReading(deadline=marker.deadline)
                out.append(self._assignment(document, sentence, actor, unit.role, task, reading))
        return out

    def _assignment(self, document: Document, sentence: Sentence, actor: ActorName, role: str,
                    measure: str, reading: ClauseReading) -> Assignment:
        return Assignment(
            doc=document.doc_id, actor=actor.surface, role=role, measure=measure,
            evidence=sentence.text, start=sentence.start, end=sentence.end,
            deadline=reading.deadline, negated=reading.negated,
            canonical_actor=actor.canonical, actor_kind=actor.kind,
        )


_EXTRACTORS: dict[tuple[str, ...], Extractor] = {}


def extractor_for(lexicon_files: tuple[str, ...] = ()) -> Extractor:
    """A cached extractor for the bundled lexicons plus `lexicon_files`."""
    if lexicon_files not in _EXTRACTORS:
        _EXTRACTORS[lexicon_files] = Extractor(load_lexicon(lexicon_files))
    return _EXTRACTORS[lexicon_files]


def extract(document: Document, lexicon_files: tuple[str, ...] = ()) -> DocumentResult:
    """The assignments stated in one document."""
    return extractor_for(tuple(lexicon_files)).extract(document)
