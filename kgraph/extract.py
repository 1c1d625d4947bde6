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
from dataclasses import dataclass, field, replace

from .actors import ActorName, ActorRecogniser
from .duty import DEADLINE, ClauseReader, ClauseReading, Marker, match_marker
from .lexicon import Lexicon, load_lexicon
from .model import Assignment, Document, DocumentResult, Sentence
from .segment import clauses_of, sentences as split_sentences
from .tables import with_table_assignments
from .tasks import MarkerReader, TaskMarker
from .tokens import segmenter

_FRAME_CLOSER = re.compile(r"(?:等)?(?:方面|过程中|基础上|期间)")
# Plans and notices prescribe in the declarative (县水利局负责…, 由县纪委监委追究责任); speeches report
# past work in the same form, so bare-verb duties count in the first genre only.
_PRESCRIPTIVE_TITLE = re.compile(r"方案|通知|意见|办法|规划|计划|要点|分工|决定|细则|规定|措施|任务|责任分解|清单|纲要|通告|公告|预案|职责|制度|规则|章程|守则|公约|指南|指引|导则")
_REPORT_TITLE = re.compile(r"讲话|发言|致辞|主持|汇报|报告|总结|心得")
# a document's own title (…关于做好…的通知) names what the document is about; it assigns nothing
_DOCUMENT_TITLE = re.compile(r"关于.{2,80}的(?:紧急)?(?:通知|意见|方案|决定|办法|规定|批复|函|报告|通报|实施意见|工作方案|实施方案)$")
# 以及改进和加强防控工作的各类意见建议: more object of the clause before, not a duty of its own
_CONTINUED_OBJECT = re.compile(r"^(?:以及|及其|乃至)")
_DEADLINE_LINE = re.compile(r"^(?:完成时限|完成时间|时间节点|时限要求|完成期限|整改时限|整改期限|办结时限)\s*[:：]\s*(.+)$")
# 整改措施：1.…2.… : a labelled block of tasks; marker lines after it give all of them to their units
# 主要职责是：, 重点做好以下工作：: the list that follows holds the duties of the actor named just before
_DUTY_LIST_OPENER = re.compile(r"(?:职责|任务|职能)(?:是|为|如下|包括)?[:：]$|(?:做好|抓好|落实|履行)以下[^，,。]{0,8}[:：]$")
_DUTY_LIST_CLAUSE = re.compile(r"(?:职责|任务|职能)(?:是|为|如下|包括)$")
_CLAUSE_SPLIT = re.compile(r"[，,；;。！？!?：:]")
_TASK_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_TASK_BLOCK_LABEL = re.compile(r"^[\u4e00-\u9fff]{2,6}[:：]\s*(?=\S)")
_PARAGRAPH_ENDS = tuple("。！？!?；;：:…”」）)")
ITEM_LEVEL = 5  # 一是/一要/第一 and deeper are items inside a paragraph's run of text
_ADDRESSEE_PARAGRAPHS = 6
_BLOCKED: list[ActorName] = []


@dataclass
class _Context:
    level: int
    actors: list[ActorName] | None
    title: str = ""


@dataclass
class _Plan:
    """What a first look at the whole document tells: its genre and its task-division markers."""

    prescriptive: bool = False
    markers: dict[int, list[TaskMarker]] = field(default_factory=dict)
    tasks: dict[int, str] = field(default_factory=dict)  # marker sentence -> the task text its units get
    owned: set[int] = field(default_factory=set)  # sentences whose task belongs to the marker's units
    deadlines: dict[int, str] = field(default_factory=dict)  # marker sentence -> deadline stated after it


@dataclass
class _State:
    stack: list[_Context] = field(default_factory=list)
    paragraph: int = -1
    lead_in: list[ActorName] | None = None
    lead_in_depth: int = 0  # level of the item the lead-in sentence itself stood in (0: none)
    addressees: list[ActorName] | None = None
    # whether a paragraph without a marker still belongs to the open headings: true after a bare
    # heading line (（一）加强组织领导) and after the body paragraphs that follow one
    headings_continue: bool = False
    paragraph_sentences: dict[int, list[Sentence]] = field(default_factory=dict)
    # subject-less duties of the current item that no actor took yet (minutes: …。由X负责，Y配合。)
    item_orphans: list = field(default_factory=list)

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
        words = segmenter(self.lexicon)
        self.recogniser = ActorRecogniser(self.lexicon, tagger=words.dictionary_tags)
        self.reader = ClauseReader(self.lexicon, self.recogniser, words)
        self.markers = MarkerReader(self.lexicon, self.recogniser)
        self.conclusions = tuple(self.lexicon.word_class("conclusion"))
        self.descriptive_openers = tuple(self.lexicon.word_class("descriptive"))

    def _breaks_off(self, line: str) -> bool:
        """各学校要严格落实 (line break) 安全工作各项制度: a named actor's duty that stops at a verb
        still waiting for its object, so the line goes on in the next."""
        reading = self.reader.read(line)
        if reading.subject is None or not reading.strong_cue or not reading.measures:
            return False
        tokens = self.reader.tokens(line)
        return bool(tokens) and self.reader.is_strict_verb(tokens[-1])

    def _opens_sentence(self, line: str) -> bool:
        """领导小组负责统筹推进…: a line that starts with a named actor and its duty is a sentence of its own."""
        first = _CLAUSE_SPLIT.split(line, 1)[0]
        reading = self.reader.read(first) if first else None
        return reading is not None and reading.subject is not None and reading.is_duty

    def extract(self, document: Document) -> DocumentResult:
        sentences = split_sentences(document, self._breaks_off, self._opens_sentence)
        plan = self._plan(document, sentences)
        state = _State()
        for sentence in sentences:
            state.paragraph_sentences.setdefault(sentence.paragraph, []).append(sentence)
        out: list[Assignment] = []
        seen: set[tuple] = set()
        for index, sentence in enumerate(sentences):
            if sentence.paragraph != state.paragraph:
                self._new_paragraph(sentence, state)
                if state.addressees is not None and state.paragraph == sentence.paragraph and \
                        self._is_addressee_line(sentence):
                    continue
            for assignment in self._sentence(document, index, sentence, state, plan):
                key = (assignment.actor, assignment.role, assignment.measure, assignment.start)
                if key not in seen:
                    seen.add(key)
                    out.append(assignment)
        out = with_table_assignments(document, out, self.recogniser, self._task_measures)  # rows of task tables (tables.py)
        return DocumentResult(document=document, sentences=len(sentences), assignments=out)

    def _plan(self, document: Document, sentences: list[Sentence]) -> _Plan:
        title = document.title or (sentences[0].text if sentences else "")
        plan = _Plan(prescriptive=bool(_PRESCRIPTIVE_TITLE.search(title)) and not _REPORT_TITLE.search(title))
        last_heading: int | None = None
        for index, sentence in enumerate(sentences):
            deadline_line = _DEADLINE_LINE.match(sentence.text.strip())
            if deadline_line and index - 1 in plan.tasks:
                # 完成时限：长期坚持 on its own line: the deadline of the marker lines just before
                for earlier in range(index - 1, -1, -1):
                    if earlier not in plan.tasks or plan.tasks[earlier] != plan.tasks[index - 1]:
                        break
                    plan.deadlines[earlier] = deadline_line.group(1).strip(" 。.")
                continue
            found = self.markers.find(sentence.text)
            if not found:
                if match_marker(sentence.text)[0] is not None:
                    last_heading = index
                continue
            plan.markers[index] = found
            _, before = match_marker(sentence.text[: found[0].start].strip())
            before = before.strip(" ，,。；;：:")
            if len(before) >= 2:
                plan.tasks[index] = before  # 完善河湖监测体系（市水利局牵头…）
                plan.owned.add(index)
                if match_marker(sentence.text)[0] is not None:
                    last_heading = index
                continue
            # （市水利局牵头…） or 牵头单位：… after the task: the task is the item's heading sentence
            source = last_heading if last_heading is not None else (index - 1 if index else None)
            if source is None:
                continue
            block = self._task_block(sentences, index) if index - 1 not in plan.markers else None
            if block:
                plan.tasks[index] = _unlabelled(sentences, block)
                plan.owned.update(block)
                last_heading = None
                continue
            task = plan.tasks[source] if source in plan.tasks else match_marker(sentences[source].text)[1]
            if source in plan.markers and source not in plan.tasks:
                continue  # the sentence before is itself only a marker with no task
            body = self._topic_body(sentences, source, index) if source not in plan.tasks else None
            if body:
                # 1.社会救助。具体工作事项：负责…；组织开展…。（承办科室：社会救助股）: the heading only names a
                # topic, the duties are the sentences after it
                plan.tasks[index] = _unlabelled(sentences, body)
                plan.owned.update(body)
                plan.owned.add(source)
                continue
            plan.tasks[index] = task.strip(" ，,。；;：:")
            plan.owned.add(source)
        return plan

    def _topic_body(self, sentences: list[Sentence], heading: int, marker: int) -> list[int] | None:
        """The sentences between an item heading that states no duty (社会救助) and the marker after them."""
        body = list(range(heading + 1, marker))
        if not body or any(sentences[i].paragraph != sentences[heading].paragraph for i in body):
            return None
        if _TASK_BLOCK_LABEL.match(sentences[body[0]].text):
            return body  # 具体工作事项：…: the label says these are the duties
        _, title = match_marker(sentences[heading].text)
        title = title.strip(" ，,。；;：:")
        if not title or self.reader.read(title).is_duty or self.reader.clause_measures(title).measures:
            return None
        return body

    def _task_block(self, sentences: list[Sentence], index: int) -> list[int] | None:
        """The sentences of the paragraph just before a marker line, when it opens with a label such as
        整改措施： (a block of tasks that the marker lines after it share), else None."""
        if index == 0 or sentences[index - 1].paragraph == sentences[index].paragraph:
            return None
        paragraph = sentences[index - 1].paragraph
        block = [i for i in range(index - 1, -1, -1) if sentences[i].paragraph == paragraph][::-1]
        label = _TASK_BLOCK_LABEL.match(sentences[block[0]].text)
        if label is None or self.markers.find(label.group(0)) or _DEADLINE_LINE.match(sentences[block[0]].text):
            return None
        return block

    def _task_measures(self, task: str) -> list[str]:
        """The duties of a task text, one per verb phrase, leaving out clauses that name their own actor."""
        return [measure for measure, _ in self._task_duties(task)]

    def _task_duties(self, task: str) -> list[tuple[str, list[tuple[ActorName, str]]]]:
        """The duties of a task text with the partners a clause names (会同县财政局做好…: support)."""
        measures: list[tuple[str, list[tuple[ActorName, str]]]] = []
        try:
            # a sentence that names its own actor is that actor's to its full stop
            # (…，由驻局纪检监察组进行约谈提醒，情节严重的按规定予以处理。)
            clauses = [(clause, number) for number, sentence in enumerate(_TASK_SENTENCE_END.split(task))
                       for clause in clauses_of(sentence)]
            own_actor_sentence = -1
            for position, (text, sentence_number) in enumerate(clauses):
                _, text = match_marker(text)
                # the task heading may be a target (地区生产总值增长8%以上); later clauses need a verb
                self.reader.nominal_measures = position == 0
                reading = self.reader.read(text)
                if reading.subject is not None or reading.by_actors:
                    own_actor_sentence = sentence_number
                if sentence_number == own_actor_sentence:
                    continue
                if not reading.is_duty:
                    reading = self.reader.clause_measures(text)
                measures.extend((measure, reading.partners) for measure in reading.measures)
        finally:
            self.reader.nominal_measures = False
        return measures or [(task, [])]

    # ------------------------------------------------------------------ paragraphs

    def _new_paragraph(self, sentence: Sentence, state: _State) -> None:
        state.paragraph = sentence.paragraph
        state.item_orphans = []
        paragraph = state.paragraph_sentences.get(sentence.paragraph, [])
        marker, rest = match_marker(sentence.text)
        if marker is None and not paragraph[-1].text.rstrip().endswith(_PARAGRAPH_ENDS):
            # a line without a marker and without a full stop is a title: a new speech or part begins
            state.stack.clear()
            state.headings_continue = False
        elif marker is None:
            # a paragraph without a marker closes the items of the paragraph before, and the
            # headings too unless it is the body of a heading that stands on its own line
            while state.stack and (state.stack[-1].level >= ITEM_LEVEL or not state.headings_continue):
                state.stack.pop()
        else:
            state.headings_continue = len(paragraph) == 1 and len(rest) <= 40
        if sentence.paragraph < _ADDRESSEE_PARAGRAPHS and state.addressees is None:
            addressees = self._addressees(sentence, paragraph)
            if addressees:
                state.addressees = addressees

    def _addressees(self, sentence: Sentence, paragraph: list[Sentence]) -> list[ActorName] | None:
        """各区人民政府，市直各委、办、局： — a paragraph that only names the units a notice goes to."""
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

    def _sentence(self, document: Document, index: int, sentence: Sentence, state: _State,
                  plan: _Plan) -> list[Assignment]:
        out: list[Assignment] = []
        if _DOCUMENT_TITLE.search(sentence.text.strip()) or (sentence.paragraph == 0 and index == 0 and not any(
                sentence.text.rstrip().endswith(p) for p in "。！？!?；;")):
            return out
        task_markers = plan.markers.get(index, [])
        if task_markers and index in plan.tasks:
            out.extend(self._task_assignments(document, sentence, task_markers, plan.tasks[index],
                                              plan.deadlines.get(index, "")))
        marker_start = min((m.start for m in task_markers), default=None)
        owned = index in plan.owned

        # first pass: read every clause; the second pass needs to know what the whole sentence says
        self.reader.segmenter.tokens(sentence.text)  # one jieba run per sentence; clauses are cut from it
        clauses = []
        label_actors: list[ActorName] | None = None  # 县公安局：负责…；协助…: the actor of the whole line
        for position, clause in enumerate(sentence.clauses):
            if marker_start is not None and clause.start - sentence.start >= marker_start:
                break
            marker, text = match_marker(clause.text)
            after_semicolon = clause.start > 0 and document.text[clause.start - 1] in "；;"
            reading = self.reader.read(text) if text else ClauseReading()
            if position == 0 and reading.subject and not reading.cue and clause.end < len(document.text) \
                    and document.text[clause.end] in "：:" and self.reader.parse_actors(text.strip()):
                label_actors = reading.subject
            clauses.append((marker, text, reading, after_semicolon))
        stripped = re.sub(r"\s+", "", self.reader.strip_connectives(sentence.text.lstrip()))  # 组  长：
        is_conclusion = sentence.text.lstrip().startswith(self.conclusions)
        descriptive = stripped.startswith(self.descriptive_openers) or any(r.descriptive for _, _, r, _ in clauses)
        strong_segments = self._strong_segments(clauses)

        lead_in_before = state.lead_in
        named_here: list[ActorName] | None = None
        subject: list[ActorName] | None = None
        partners: list[tuple[ActorName, str]] = []
        carried_role = ""
        in_frame = False
        segment = 0
        stated: list[tuple[str, ClauseReading]] = []  # measures this sentence has charged so far
        waiting: list[tuple[list[ActorName], str]] = []  # A牵头，B配合，… : groups waiting for the measure
        waiting_served = False
        orphans: list[tuple[str, ClauseReading]] = []  # clauses before any actor in this sentence
        fronted = ""  # 将X、Y等情况， … : an object waiting for its verb
        for (marker, text, reading, after_semicolon) in clauses:
            if after_semicolon:
                segment += 1
                if waiting and not waiting_served and orphans:
                    # 加快主体施工，确保…交付使用，由区城投集团负责；…: the groups closed their segment
                    out.extend(self._orphan_assignments(document, sentence, orphans, waiting, descriptive))
                    orphans = []
                subject, partners, carried_role, waiting = label_actors, [], "", []
                waiting_served = False
            if marker is not None:
                lead = named_here if named_here else lead_in_before
                if not named_here and state.lead_in_depth and state.lead_in_depth >= marker.level:
                    lead = None  # the last sentence of one item does not lead in the next series
                state.open(marker, lead, text)
                subject, partners, carried_role, waiting, orphans = None, [], "", [], []
                state.item_orphans = []
                if len(clauses) == 1 and reading.subject is None and not reading.by_actors and self._names_a_topic(text):
                    continue  # （1）电网抢修恢复。: the heading names a topic; the duties follow
            if not text:
                continue
            if in_frame:
                # 在讲究卫生，做好防护，合理饮食等方面作出良好示范: the frame closes at 方面
                closer = _FRAME_CLOSER.search(text)
                if closer is None:
                    continue
                in_frame = False
                text = text[closer.end():]
                reading = self.reader.read(text) if text else ClauseReading()
            elif not reading.is_duty and reading.subject is None and text.lstrip().startswith("在") \
                    and not _FRAME_CLOSER.search(text) and self.reader.is_prepositional(text):
                in_frame = True
                continue
            if subject and subject is not _BLOCKED and _DUTY_LIST_CLAUSE.search(text):
                named_here = subject  # 办公室是…归口部门，主要职责是：（一）…（二）…: the items are its duties
            if reading.subject is None and self.reader.object_only(text):
                fronted = self.reader.strip_connectives(text)  # its verb comes in the next clause
                continue
            if reading.blocked:
                # 我们已经…，但是还…: the speaker's subject goes on; 他们同样身处一线，要提供…: it does not
                if not self.reader.third_person_subject(text):
                    subject, partners = _BLOCKED, []
                continue
            if reading.pivot:
                named_here = reading.pivot
            role_override = ""
            if reading.by_actors:
                if reading.bare_by:
                    continue  # 由**市长传达…: an agenda item of a meeting, not a duty
                actors = subject = reading.by_actors  # 由市住建局负责…，于6月底前完成整改: it goes on
                if reading.needs_measure:
                    subject, carried_role, partners = actors, reading.role, []
                    waiting.append((actors, reading.role))  # 由县应急管理局牵头，…: the measure follows
                    waiting.extend(([partner], role) for partner, role in reading.partners)  # …、县自然资源局配合
                    named_here = actors
                    continue
            elif reading.subject is not None:
                if reading.cue and not reading.strong_cue and not self._bare_duty_ok(
                        reading.subject, descriptive, strong_segments[segment], state, plan):
                    subject, partners = _BLOCKED, []  # 党组第一时间成立…: a report, and so are its next clauses
                    continue
                actors = subject = reading.subject
                partners, carried_role = reading.partners, ""
                if reading.is_duty or reading.strong_cue or _DUTY_LIST_OPENER.search(sentence.text.rstrip()):
                    named_here = actors  # (驻村工作队主要履行以下职责：: the items that follow are its duties)
                if reading.needs_measure:
                    carried_role = reading.role if reading.cue in self.reader.role_verbs else ""
                    if carried_role and stated:
                        # …，县林业局、县消防救援大队、各乡镇配合: the duties stated before
                        for measure, earlier in stated:
                            for actor in actors:
                                out.append(self._assignment(document, sentence, actor, carried_role, measure, earlier))
                    elif carried_role:
                        waiting.append((actors, carried_role))  # 县市场监管局、县公安局配合，开展…
                    continue
                waiting = []
                if not reading.is_duty:
                    continue
            elif subject is _BLOCKED:
                continue
            elif subject:
                actors = subject
                role_override = carried_role
            elif state.addressees and text.lstrip().startswith("请"):
                actors = state.addressees
                reading = self.reader.clause_measures(text.lstrip()[1:])
                reading.strong_cue = True  # 请认真组织实施: the notice's own directive
            elif owned:
                continue  # the task of a task-division marker: its units take it
            else:
                actors = state.inherited()
            if not actors:
                orphans.append((text, reading))  # 启动…，年内完成…，由区城管局负责，…配合。: the actors come after
                continue
            reading = self._duty_reading(text, reading, descriptive)
            if reading is None:
                continue
            if reading.partners:
                partners = reading.partners
            clause_partners = reading.partners or (partners if actors is subject else [])
            role = role_override or reading.role
            if fronted:
                reading = replace(reading, measures=[f"{fronted}，{reading.measures[0]}"] + reading.measures[1:])
                fronted = ""
            stated.extend((measure, reading) for measure in reading.measures)
            if actors is subject or reading.subject is not None or reading.by_actors:
                named_here = actors  # a sentence that charges a named actor can lead in enumerated items
            groups = waiting if (actors is subject and waiting) else [(actors, role)]
            waiting_served = waiting_served or groups is waiting
            if reading.distributed and actors is reading.subject:
                for actor, measure, own_role in reading.distributed:
                    out.append(self._assignment(document, sentence, actor, own_role, measure, reading))
                continue
            for measure in reading.measures:
                for group, group_role in groups:
                    for actor in group:
                        out.append(self._assignment(document, sentence, actor, group_role, measure, reading))
                for partner, partner_role in clause_partners:
                    out.append(self._assignment(document, sentence, partner, partner_role, measure, reading))
        if waiting and not waiting_served:
            # the role groups closed the sentence: they take the duties stated before them without an actor,
            # in this sentence or, when it holds nothing else (…。由X负责，Y、Z配合。), in its item
            out.extend(self._orphan_assignments(document, sentence, orphans or state.item_orphans, waiting,
                                                descriptive))
            state.item_orphans = []
        else:
            state.item_orphans.extend(orphans)
        state.lead_in = None if is_conclusion else named_here
        if named_here is None and lead_in_before and _DUTY_LIST_OPENER.search(sentence.text.rstrip()) \
                and not any(reading.subject or reading.by_actors or reading.blocked for _, _, reading, _ in clauses):
            state.lead_in = lead_in_before  # 县民政局贯彻落实…。主要职责是：(一)…: the items are still its
        state.lead_in_depth = max((c.level for c in state.stack), default=0)
        return out

    def _names_a_topic(self, heading: str) -> bool:
        """电网抢修恢复, 信息发布: a heading that starts with a noun and has no modal or role verb."""
        tokens = self.reader.tokens(heading.strip())
        return bool(tokens) and tokens[0].tag.startswith("n") and tokens[0].text not in self.reader.duty_verbs \
            and tokens[0].text not in self.reader.adverbs \
            and not any(t.text in self.reader.modals or t.text in self.reader.role_verbs for t in tokens)

    def _orphan_assignments(self, document: Document, sentence: Sentence, orphans: list,
                            groups: list[tuple[list[ActorName], str]], descriptive: bool) -> list[Assignment]:
        """The duties stated without an actor, for the role groups named after them."""
        out = []
        for text, reading in orphans:
            reading = self._duty_reading(text, reading, descriptive)
            for measure in reading.measures if reading else ():
                for group, group_role in groups:
                    for actor in group:
                        out.append(self._assignment(document, sentence, actor, group_role, measure, reading))
        return out

    def _duty_reading(self, text: str, reading: ClauseReading, descriptive: bool) -> ClauseReading | None:
        """The duty a clause states for the actor it is given, or None."""
        if reading.subject is None and not reading.by_actors:
            if descriptive and not reading.strong_cue:
                return None  # 刚才…汇报了…，并提出了…: a report, not a duty of the actor before
            if not reading.is_duty:
                if reading.cue or reading.descriptive or _CONTINUED_OBJECT.match(text):
                    return None
                reading = self.reader.clause_measures(text)
        return reading if reading.is_duty and reading.measures else None

    @staticmethod
    def _strong_segments(clauses) -> list[bool]:
        """For each ；-separated segment of the sentence, whether it has a modal or role cue."""
        segments = [False]
        for _, _, reading, after_semicolon in clauses:
            if after_semicolon:
                segments.append(False)
            segments[-1] = segments[-1] or reading.strong_cue
        return segments

    def _bare_duty_ok(self, actors: list[ActorName], descriptive: bool, strong_segment: bool, state: _State,
                      plan: _Plan) -> bool:
        """Whether `X + verb` with no modal states a duty (宣传部组织…) rather than reports one (党组成立…).

        Only in a sentence that reports nothing done, never for places and private persons, and only where
        the text prescribes: in a plan or notice, with a modal in the same segment, or (for bodies and
        posts) inside enumerated items."""
        if descriptive or any(a.weak for a in actors):
            return False
        if strong_segment or plan.prescriptive:
            return True
        if any(a.kind == "collective" for a in actors):
            return False
        return state.inherited() is not None or any(c.level >= ITEM_LEVEL for c in state.stack)

    def _task_assignments(self, document: Document, sentence: Sentence, markers: list[TaskMarker],
                          task: str, stated_deadline: str = "") -> list[Assignment]:
        out = []
        duties = self._task_duties(task)
        for marker in markers:
            reading = ClauseReading(deadline=marker.deadline or stated_deadline or _deadline_of(task))
            for measure, partners in duties:
                for unit in marker.units:
                    named = self.recogniser.classify(unit.unit)
                    actor = named or ActorName(unit.unit, unit.unit, "organisation")
                    out.append(self._assignment(document, sentence, actor, unit.role, measure, reading))
                for partner, role in partners:  # 会同县财政局做好…: named in the task itself
                    out.append(self._assignment(document, sentence, partner, role, measure, reading))
        return out

    def _assignment(self, document: Document, sentence: Sentence, actor: ActorName, role: str,
                    measure: str, reading: ClauseReading) -> Assignment:
        return Assignment(
            doc=document.doc_id, actor=actor.surface, role=role, measure=measure,
            evidence=sentence.text, start=sentence.start, end=sentence.end,
            deadline=reading.deadline, negated=reading.negated,
            canonical_actor=actor.canonical, actor_kind=actor.kind,
        )


def _unlabelled(sentences: list[Sentence], indices: list[int]) -> str:
    """The text of these sentences without the label that opens them (整改措施：, 具体工作事项：)."""
    text = "".join(sentences[i].text for i in indices)
    label = _TASK_BLOCK_LABEL.match(text)
    return text[label.end() if label else 0:].strip(" ，,。；;：:")


_EXTRACTORS: dict[tuple[str, ...], Extractor] = {}


def extractor_for(lexicon_files: tuple[str, ...] = ()) -> Extractor:
    """A cached extractor for the bundled lexicons plus `lexicon_files`."""
    if lexicon_files not in _EXTRACTORS:
        _EXTRACTORS[lexicon_files] = Extractor(load_lexicon(lexicon_files))
    return _EXTRACTORS[lexicon_files]


def extract(document: Document, lexicon_files: tuple[str, ...] = ()) -> DocumentResult:
    """The assignments stated in one document."""
    return extractor_for(tuple(lexicon_files)).extract(document)


def _deadline_of(text: str) -> str:
    found = DEADLINE.search(text)
    return found.group(0).lstrip("于在到至") if found else ""
