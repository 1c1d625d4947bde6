"""Read one clause: who is its subject, is it a duty, what is the measure, which role.

The grammar this follows is the one Chinese policy texts use to assign work:

    [connective] [subject actors] [adverbial] cue verb-phrase
    同时，        交运局          要         开展旅客体温筛查工作

where the cue is a modal (要, 必须 …), a role verb (负责, 牵头, 配合 …) or a
focus adverb (重点); `由X负责…` names the actor after 由; `X要与Y配合` and
`X联合Y` add Y as a partner; a subject-less clause is a duty when it starts
with a verb. The measure runs from the main verb to the end of the clause,
without the modal and the adverbs before the verb.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .actors import ActorName, ActorRecogniser
from .lexicon import Lexicon
from .tokens import Segmenter, Token

DEADLINE = re.compile(
    r"(?:(?:于|在|到|至)?(?:\d{4}|[xX]{2,4}|20[一二三四五六七八九〇零]{2})年(?:\d{1,2}|[xX]{1,2}|[一二三四五六七八九十]{1,3})?月?"
    r"(?:\d{1,2}日|[xX]{1,2}日|底|末|中旬|上旬|下旬|份)?(?:以)?前"
    r"|(?:于|在|到)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?(?:以)?前"
    r"|(?:于|在)?(?:\d{4}年)?年底前|(?:于|在)?(?:\d{4}年)?年内|长期坚持|持续推进)"
)
NEGATION = ("不得", "严禁", "禁止", "不准", "不能", "不要", "杜绝", "严防", "决不", "绝不")
_ENUMERATOR = re.compile(
    r"^(?:(?P<h1>[一二三四五六七八九十]+)[、.．]"
    r"|[（(](?P<h2>[一二三四五六七八九十]+)[)）]"
    r"|(?P<h3>\d+)[、.．](?!\d)"
    r"|[（(](?P<h4>\d+)[)）]"
    r"|(?P<item>[一二三四五六七八九十]+)(?P<itemcue>[是要])"
    r"|第(?P<ord>[一二三四五六七八九十]+)(?:[，,、:：]|是|要|条)"
    r"|(?P<seq>首先|其次|再次|然后|最后|另外)[，,、]?"
    r"|(?P<circ>[①-⑳]))"
)
LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "item": 5, "ord": 5, "seq": 6, "circ": 4}
_FIRST = {"一", "1", "首先", "①"}
_PIVOT_VERBS = ("指导", "督促", "要求", "组织", "推动", "引导", "动员", "责成", "支持", "鼓励", "帮助", "安排", "明确")
_PARTNER_ROLE_VERBS = ("配合", "协作", "协同", "一道", "一起", "共同")
_OBJECT_MARKERS = ("把", "将")
_ADVERBIAL_TAGS = {"d", "ad", "p", "t", "m", "c", "f", "r", "mq", "q", "tg", "dg"}
_CONDITION_WORDS = ("无", "未", "没有", "在", "对", "从", "向", "为", "于", "按", "与", "每")


@dataclass(frozen=True)
class Marker:
    level: int
    first: bool
    length: int


@dataclass
class ClauseReading:
    """What one clause says."""

    subject: list[ActorName] | None = None  # explicitly named subject actors
    blocked: bool = False  # the clause has a subject that is not an actor (我们, 车辆 …)
    is_duty: bool = False
    cue: str = ""
    role: str = "responsible"
    measures: list[str] = field(default_factory=list)
    partners: list[tuple[ActorName, str]] = field(default_factory=list)
    by_actors: list[ActorName] = field(default_factory=list)  # 由X… actors
    pivot: list[ActorName] | None = None  # 指导乡镇做好… : actors of a pivot construction
    needs_measure: bool = False  # X牵头， … : the measure is in the next clauses
    negated: bool = False
    deadline: str = ""
    descriptive: bool = False
    strong_cue: bool = False  # a modal or role verb, not only a verb


def match_marker(text: str) -> tuple[Marker | None, str]:
    """An enumeration marker at the start of `text`, and the text after it."""
    stripped = text.lstrip()
    m = _ENUMERATOR.match(stripped)
    if not m:
        return None, text
    kind = next(k for k in LEVELS if m.group(k))
    value = m.group(kind)
    rest = stripped[m.end():]
    if kind == "item" and m.group("itemcue") == "要":
        rest = "要" + rest  # 一要做好… : the 要 is the duty cue of the item heading
    if kind == "ord" and m.group(0).endswith("要"):
        rest = "要" + rest
    if kind == "seq" and not rest:
        return None, text
    return Marker(LEVELS[kind], value in _FIRST, len(text) - len(rest)), rest


class ClauseReader:
    def __init__(self, lexicon: Lexicon, recogniser: ActorRecogniser, segmenter: Segmenter):
        self.lexicon = lexicon
        self.actors = recogniser
        self.segmenter = segmenter
        self.modals = lexicon.cue_words("modal")
        self.role_verbs = lexicon.cue_words("verb")
        self.focus_adverbs = lexicon.cue_words("adverb")
        self.keywords = sorted(lexicon.cue_words("keyword").items(), key=lambda kv: -len(kv[0]))
        self.adverbs = lexicon.word_class("adverb")
        self.prepositions = lexicon.word_class("preposition")
        self.connectives = sorted(lexicon.word_class("connective"), key=len, reverse=True)
        self.past = lexicon.word_class("past")
        self.pronouns = lexicon.word_class("pronoun")
        self.manner = lexicon.word_class("manner")
        self.partner_words = lexicon.word_class("partner")
        self.copulas = lexicon.word_class("copula")
        self.duty_verbs = lexicon.word_class("verb")
        self._actor_cache: dict[str, list[ActorName] | None] = {}

    # ------------------------------------------------------------------ helpers

    def parse_actors(self, span: str) -> list[ActorName] | None:
        if span not in self._actor_cache:
            if len(self._actor_cache) > 50000:
                self._actor_cache.clear()
            self._actor_cache[span] = self.actors.parse_list(span)
        return self._actor_cache[span]

    def strip_connectives(self, text: str) -> str:
        changed = True
        while changed and text:
            changed = False
            text = text.lstrip(" \u3000，,、；;：:")
            for word in self.connectives:
                if text.startswith(word) and len(text) > len(word):
                    text = text[len(word):]
                    changed = True
                    break
        return text

    def is_verb_token(self, token: Token) -> bool:
        return token.is_verb or token.text in self.duty_verbs or token.text in self.role_verbs

    # ------------------------------------------------------------------ clause

    def read(self, text: str) -> ClauseReading:
        reading = ClauseReading()
        text = self.strip_connectives(text)
        if not text:
            return reading
        tokens = self.segmenter.tokens(text)
        if not tokens:
            return reading
        reading.descriptive = any(t.text in self.past for t in tokens)
        words = [t.text for t in tokens]
        # 由X负责/牵头… at the clause start: the actors follow 由
        by_start = 1 if words[0] == "由" else (2 if words[:2] in (["明确", "由"], ["统一", "由"]) else 0)
        if by_start:
            return self._read_by(text, tokens, by_start, reading)
        for index, token in enumerate(tokens):
            cue_kind = self._cue_kind(token, tokens, index)
            if cue_kind is None:
                continue
            before = text[: token.start]
            subject, adverbial_ok = self._subject(before, tokens[:index])
            if before and subject is None:
                if self._pronoun_subject(before):
                    reading.blocked = True
                    return reading
                if cue_kind == "verb":
                    continue
                # a modal after a non-actor subject (车辆要…): not a duty of anyone named here
                if not self._adverbial_only(tokens[:index]):
                    reading.blocked = True
                    return reading
            if subject is not None and not adverbial_ok:
                continue
            if cue_kind == "verb" and subject is None and index > 0 and not self._adverbial_only(tokens[:index]):
                continue
            if cue_kind == "verb" and subject is not None and reading.descriptive:
                return reading
            if cue_kind == "verb" and subject is not None and any(
                    a.kind == "collective" for a in subject) and token.text not in self.role_verbs:
                # 各单位充分发挥…: a collective followed by a bare verb is usually a report, not a duty
                reading.subject = subject
                return reading
            reading.subject = subject
            reading.cue = token.text
            reading.strong_cue = cue_kind in ("modal", "role", "focus")
            self._read_duty(text, tokens, index, cue_kind, reading)
            return reading
        # no cue: maybe a subject that the next clauses continue (卫健委作为…, 从xx市的来市返市人员)
        subject, _ = self._subject(text, tokens)
        if subject is not None:
            reading.subject = subject
            return reading
        prefix = self._actor_prefix(text, tokens)
        if prefix is not None:
            reading.subject = prefix
        elif self._pronoun_subject(text[: tokens[0].end]):
            reading.blocked = True
        elif tokens[0].text in _PIVOT_VERBS:
            reading.pivot = self._pivot(text, tokens)
        return reading

    def _cue_kind(self, token: Token, tokens: list[Token], index: int) -> str | None:
        word = token.text
        if word in self.modals:
            if word == "要" and index + 1 < len(tokens) and tokens[index + 1].text in ("求", "点"):
                return None
            return "modal"
        if word in self.role_verbs:
            return "role"
        if word in self.focus_adverbs and index > 0:
            return "focus"
        if self.is_verb_token(token) and word not in self.copulas:
            return "verb"
        return None

    def _subject(self, before: str, tokens: list[Token]) -> tuple[list[ActorName] | None, bool]:
        """The actors named in `before` (the text before the cue), and whether what follows them is adverbial."""
        before = before.strip()
        if not before:
            return None, True
        actors = self.parse_actors(before)
        if actors is not None:
            return actors, True
        # longest actor prefix followed by an adverbial (药店无…处方不得…; 各督导组每日…)
        for token in reversed(tokens[:-1] if tokens else []):
            cut = token.end
            head = before[:cut]
            actors = self.parse_actors(head)
            if actors is not None:
                rest = [t for t in tokens if t.start >= cut]
                if self._adverbial_only(rest):
                    return actors, True
                return None, False
        # a leading phrase before the subject (在疫情期间各单位要…)
        for token in tokens[1:]:
            tail = before[token.start:]
            if tokens[0].text in self.prepositions or tokens[0].text in ("对", "对于", "在", "自", "从"):
                actors = self.parse_actors(tail)
                if actors is not None:
                    return actors, True
        return None, True

    def _adverbial_only(self, tokens: list[Token]) -> bool:
        if not tokens:
            return True
        first = tokens[0]
        return (first.tag in _ADVERBIAL_TAGS or first.text in self.adverbs or first.text in self.prepositions
                or first.text in _CONDITION_WORDS or first.text in self.modals)

    def _pronoun_subject(self, before: str) -> bool:
        before = before.strip()
        return any(before.startswith(p) for p in self.pronouns)

    def _actor_prefix(self, text: str, tokens: list[Token]) -> list[ActorName] | None:
        """Actors at the start of a clause that has no duty cue (卫健委作为疫情防控主体)."""
        for token in reversed(tokens):
            if token.end >= len(text):
                continue
            actors = self.parse_actors(text[: token.end])
            if actors is not None:
                rest = text[token.end:]
                if rest.startswith(("的", "之", "等")):
                    return None
                return actors
        return None

    def _pivot(self, text: str, tokens: list[Token]) -> list[ActorName] | None:
        body = text[tokens[0].end:]
        sub = self.segmenter.tokens(body)
        for index, token in enumerate(sub):
            kind = self._cue_kind(token, sub, index)
            if kind in ("modal", "role", "focus", "verb") and token.start > 0:
                actors = self.parse_actors(body[: token.start])
                if actors is not None:
                    return actors
        return None

    # ------------------------------------------------------------------ duty

    def _read_by(self, text: str, tokens: list[Token], by_start: int, reading: ClauseReading) -> ClauseReading:
        after = text[tokens[by_start - 1].end:]
        sub = self.segmenter.tokens(after)
        for index, token in enumerate(sub):
            kind = self._cue_kind(token, sub, index)
            if kind is None or token.start == 0:
                continue
            actors = self.parse_actors(after[: token.start])
            if actors is None:
                continue
            reading.by_actors = actors
            reading.is_duty = True
            reading.cue = token.text
            reading.strong_cue = True
            self._read_duty(after, sub, index, kind, reading)
            return reading
        return reading

    def _read_duty(self, text: str, tokens: list[Token], index: int, cue_kind: str, reading: ClauseReading) -> None:
        cue = tokens[index]
        if cue_kind == "modal":
            rest_start = cue.end
            if cue.text in NEGATION:
                rest_start = cue.start
                reading.negated = True
        elif cue_kind == "focus":
            rest_start = cue.end
        else:
            rest_start = cue.start
        if cue_kind == "role":
            reading.role = self.role_verbs[cue.text]
        rest = text[rest_start:]
        rest_tokens = [Token(t.text, t.start - rest_start, t.end - rest_start, t.tag)
                       for t in tokens if t.start >= rest_start]
        rest, rest_tokens = self._take_partner(rest, rest_tokens, reading)
        if not rest_tokens or not rest.strip():
            reading.is_duty = True
            reading.needs_measure = True
            return
        # 由X… after a modal: 每位隔离者要由一名村干部…分包
        if rest_tokens[0].text == "由" and not reading.by_actors:
            inner = ClauseReading()
            self._read_by(rest, rest_tokens, 1, inner)
            if inner.by_actors:
                reading.by_actors = inner.by_actors
                reading.measures = inner.measures
                reading.role = inner.role
                reading.is_duty = True
                reading.deadline = inner.deadline
                return
        self._set_measures(rest, rest_tokens, reading)

    def _take_partner(self, rest: str, tokens: list[Token], reading: ClauseReading) -> tuple[str, list[Token]]:
        """X要与Y配合… / X联合Y… / X会同Y…: Y is a partner (support); returns the rest after it."""
        if not tokens or tokens[0].text not in self.partner_words:
            return rest, tokens
        word = tokens[0].text
        for index in range(1, len(tokens)):
            token = tokens[index]
            if not (self.is_verb_token(token) or token.text in _PARTNER_ROLE_VERBS):
                continue
            span = rest[tokens[0].end: token.start]
            actors = self.parse_actors(span) if span else None
            if actors is None:
                continue
            if token.text in ("配合", "协作", "一道", "一起", "共同") or word in ("联合", "会同", "协同"):
                reading.partners = [(a, "support") for a in actors]
                cut = token.end if token.text in _PARTNER_ROLE_VERBS else token.start
                remaining = rest[cut:].lstrip("，,")
                shift = len(rest) - len(remaining)
                return remaining, [Token(t.text, t.start - shift, t.end - shift, t.tag)
                                   for t in tokens if t.start >= shift]
            # 与Y加强沟通: Y shares the duty
            reading.partners = [(a, "responsible") for a in actors]
            remaining = rest[token.start:]
            return remaining, [Token(t.text, t.start - token.start, t.end - token.start, t.tag)
                               for t in tokens if t.start >= token.start]
        return rest, tokens

    def read_subjectless(self, text: str, reading: ClauseReading | None = None) -> ClauseReading:
        """Read a clause with no subject of its own as a possible duty of an actor named before it."""
        return self.read(text) if reading is None else reading

    def measure_of_subjectless(self, text: str) -> ClauseReading:
        """A clause without subject and cue: a duty when it starts with a verb (抓实疫情监测…)."""
        reading = ClauseReading()
        text = self.strip_connectives(text)
        tokens = self.segmenter.tokens(text)
        if not tokens:
            return reading
        if any(t.text in self.past for t in tokens):
            reading.descriptive = True
            return reading
        if text.endswith(("的", "时", "中", "后", "前", "下", "上")) and not DEADLINE.search(text):
            return reading  # a relative or time clause that sets the scene for the next one
        self._set_measures(text, tokens, reading)
        return reading

    def _set_measures(self, rest: str, tokens: list[Token], reading: ClauseReading) -> None:
        deadline = DEADLINE.search(rest)
        if deadline:
            reading.deadline = deadline.group(0).lstrip("于在到至")
        start = self._measure_start(rest, tokens)
        if start is None:
            return
        measure = rest[start:].strip(" \u3000，,。；;：:")
        if deadline and deadline.start() >= start and deadline.start() - start <= 1:
            measure = measure[deadline.end() - start:].lstrip("，, 完成")
        if not measure or measure in self.manner or len(measure) < 2:
            return
        if any(measure.startswith(n) for n in NEGATION):
            reading.negated = True
        reading.is_duty = True
        parts = self._split_coordinated(measure)
        reading.measures = parts
        role = self._keyword_role(measure, tokens)
        if role and reading.role == "responsible":
            reading.role = role

    def _measure_start(self, rest: str, tokens: list[Token]) -> int | None:
        """Offset of the main verb: skip adverbs, time words and fronted prepositional phrases."""
        index = 0
        while index < len(tokens):
            token = tokens[index]
            word = token.text
            if word in NEGATION or word in _OBJECT_MARKERS:
                return token.start
            if word in self.modals and word not in NEGATION:
                index += 1
                continue
            if word in self.adverbs or token.tag in ("d", "ad", "t", "m", "mq", "q") or word in "，,、 ":
                if self.is_verb_token(token) and word in self.duty_verbs:
                    return token.start
                index += 1
                continue
            if word in self.prepositions and word not in ("对", "对于"):
                # skip the prepositional phrase up to the next verb
                for later in range(index + 1, len(tokens)):
                    if self.is_verb_token(tokens[later]) and later > index + 1:
                        index = later
                        break
                else:
                    return token.start
                continue
            if word in self.manner:
                index += 1
                continue
            if word in self.copulas or word in self.pronouns:
                return None
            return token.start
        return None

    def _split_coordinated(self, measure: str) -> list[str]:
        """增强“四个意识”、坚定“四个自信”: one measure per verb phrase joined by 、 (each with its own object)."""
        if "、" not in measure:
            return [measure]
        parts = _split_outside_quotes(measure, "、")
        if len(parts) < 2:
            return [measure]
        for part in parts:
            tokens = self.segmenter.tokens(part)
            if len(tokens) < 2 or not self.is_verb_token(tokens[0]) or tokens[0].tag == "vn" and part == parts[-1] and len(tokens) < 3:
                return [measure]
            if all(self.is_verb_token(t) for t in tokens):
                return [measure]
        return parts

    def _keyword_role(self, measure: str, tokens: list[Token]) -> str:
        for keyword, role in self.keywords:
            if keyword in ("牵头", "配合", "支持", "协助", "督导", "督查", "督促", "督办"):
                # a role verb counts where it heads the duty or ends it (…的日常督导, …资金支持)
                if measure.startswith(keyword) or measure.endswith(keyword) or _head_after_adverb(measure, keyword):
                    return role
            elif keyword in measure:
                return role
        return ""


def _head_after_adverb(measure: str, keyword: str) -> bool:
    index = measure.find(keyword)
    return 0 < index <= 4 and measure[:index] in ("重点", "规范", "定期", "亲自", "协调", "密切协调", "认真", "及时")


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "“《（(":
            depth += 1
        elif ch in "”》）)":
            depth = max(0, depth - 1)
        elif ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in parts if p]
