"""Read one clause: who is its subject, is it a duty, what is the measure, which role.

The grammar Chinese policy texts use to assign work:

    [connective] [subject actors] [adverbial] cue verb-phrase
    同时，        交运局          要         开展旅客体温筛查工作

The cue is a modal (要, 必须 …), a role verb (负责, 牵头, 配合 …), a focus
adverb (重点) or, with a weaker claim, a bare duty verb. `由X负责…` names the
actor after 由; `X要与Y配合` and `X联合Y` add Y as a partner. The measure runs
from the main verb to the end of the clause, without the modal and the
adverbs before the verb; a fronted prepositional phrase (按照…, 通过…, 对…)
is dropped unless the verb has no object of its own (对重要工作亲自部署).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .actors import ActorName, ActorRecogniser
from .lexicon import Lexicon
from .memo import Memo
from .segment import split_outside_brackets
from .tokens import Segmenter, Token

DEADLINE = re.compile(
    r"(?:(?:于|在|到|至)?(?:\d{4}|[xX]{2,4}|20[一二三四五六七八九〇零]{2})年(?:\d{1,2}|[xX]{1,2}|[一二三四五六七八九十]{1,3})?月?"
    r"(?:\d{1,2}日|[xX]{1,2}日|底|末|中旬|上旬|下旬|份)?(?:以)?前"
    r"|(?:于|在|到)?(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?(?:以)?前"
    r"|(?:于|在)?(?:\d{4}年)?年底前|(?:于|在)?(?:\d{4}年)?年内|长期坚持|持续推进)"
)
NEGATION = ("不得", "严禁", "禁止", "不准", "不能", "不要", "杜绝", "严防", "决不", "绝不")
INTERROGATIVES = ("如何", "怎么", "怎样", "哪些", "多少", "是否", "为什么", "什么")
_ENUMERATOR = re.compile(
    r"^(?:(?P<h1>[一二三四五六七八九十]+)[、.．]"
    r"|[（(](?P<h2>[一二三四五六七八九十]+)[)）]"
    r"|(?P<h3>\d+)[、.．](?!\d)"
    r"|[（(](?P<h4>\d+)[)）]"
    r"|(?P<item>[一二三四五六七八九十]+)(?P<itemcue>[是要])"
    r"|第(?P<ord>[一二三四五六七八九十]+)(?:[，,、:：]|是|要|条)"
    r"|(?P<seq>首先|其次|再次|然后|最后)[，,、]?"
    r"|(?P<circ>[①-⑳]))"
)
LEVELS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "item": 5, "ord": 5, "seq": 6, "circ": 4}
_FIRST = {"一", "1", "首先", "①"}
_PIVOT_VERBS = ("指导", "督促", "要求", "组织", "推动", "引导", "动员", "责成", "鼓励", "帮助", "安排")
_BY_OPENERS = ("明确", "统一", "均", "一律", "全部")
_PARTNER_ROLE_VERBS = ("配合", "协作", "一道", "一起", "共同")
_OBJECT_MARKERS = ("把", "将")
# an actor followed by how it acts: 区文明办按程序印发实施, 区财政局按项目进度拨付
_MANNER_PREPOSITIONS = ("按", "按照", "依照", "依据", "根据", "依法", "依规")
# verbs whose object is a nominalised verb (进行督导, 开展检查): a verb before them heads a noun phrase
_LIGHT_VERBS = frozenset(("进行", "开展", "实施", "实行", "加以", "予以", "给予", "作出", "做出", "展开", "组织开展"))
_PHRASE_FINAL_NOUNS = ("要求", "规定", "部署", "安排", "精神", "标准", "原则", "意见", "规划", "计划", "指示", "决策",
                       "契机", "抓手", "导向", "主线", "载体")  # 以此次督查为契机
_BY_ROLE_GROUPS = re.compile(r"^(?P<a>[^，,、]+(?:、[^，,、]+)*?)(?P<ra>牵头负责|牵头|负责|主办|承办)[、，,]\s*"
                             r"(?P<b>.+?)(?P<rb>配合|协助|参与|协办)$")
_COORDINATED_OBJECTS = re.compile("和|、|及|与|以及")
_NOT_A_DUTY_BEFORE_VERB = ("被", "可", "可以", "可视情", "视情")
_CJK_CHARS = re.compile(r"[\u3400-\u9fff]")
_RESPONSIBILITY_TAKEN = re.compile(r"负(?:总|主体|直接|全面|主要|领导|监管)?责(?:任)?[。；;，,]?$")
_SPEAKING_AT_A_MEETING = ("讲话", "发言", "致辞", "作报告", "主持会议")
_GOAL_VERBS = ("确保", "力争", "争取", "推动", "推进", "促进", "实现", "使", "让", "努力")
_SUPPORTING_PARTNERS = ("会同", "联合", "协同")  # X会同Y…: Y supports; X与Y… names both as the subject
_ADVERBIAL_TAGS = {"d", "ad", "p", "t", "m", "c", "f", "mq", "q", "tg", "dg", "a"}
_CONDITION_WORDS = ("无", "未", "没有", "在", "从", "向", "为", "于", "按", "每", "对")
_STRICT_VERB_TAGS = {"v", "vd", "vi", "vg"}
_IDIOM_TAGS = {"i", "l", "x"}
_ANNOUNCEMENT = re.compile(r"以下|如下")
_NEVER_NAME_START = {"d", "ad", "p", "c", "u", "uj", "ul", "y", "e", "o", "r", "vd", "vi", "m", "mq", "q"}
_LONGEST_SUBJECT = 60  # characters: the longest list of actors a clause starts with
_FREQUENCY = re.compile(r"^每(?:日|天|周|月|年|季度?|小时|次|半年|旬)")
_LIST_MARKS = ("、", "等", "和", "及", "与", "的")
_THIRD_PERSON = ("他们", "她们", "它们", "他", "她", "它")
_CONTENT = re.compile(r"[\u3400-\u9fffA-Za-z0-9]")
_SUBJECT_FRAME_END = ("期间", "时", "中", "后", "前", "以来", "下", "里", "内")


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
    strong_cue: bool = False  # a modal, role verb or focus adverb, not only a verb
    role: str = "responsible"
    measures: list[str] = field(default_factory=list)
    partners: list[tuple[ActorName, str]] = field(default_factory=list)
    by_actors: list[ActorName] = field(default_factory=list)  # 由X… actors
    pivot: list[ActorName] | None = None  # 指导乡镇做好… : actors of a pivot construction
    needs_measure: bool = False  # X牵头， … : the measure is in the next clauses
    bare_by: bool = False  # 由X+verb with no modal or role verb: a duty in a plan, an agenda item in a speech
    negated: bool = False
    deadline: str = ""
    descriptive: bool = False
    # X、Y分别负责A和B: each actor with its own measure, instead of every actor with every measure
    distributed: list[tuple[ActorName, str, str]] = field(default_factory=list)  # actor, measure, role


def match_marker(text: str) -> tuple[Marker | None, str]:
    """An enumeration marker at the start of `text`, and the text after it."""
    stripped = text.lstrip()
    m = _ENUMERATOR.match(stripped)
    if not m:
        return None, text
    kind = next(k for k in LEVELS if m.group(k))
    value = m.group(kind)
    rest = stripped[m.end():]
    if (kind == "item" and m.group("itemcue") == "要") or (kind == "ord" and m.group(0).endswith("要")):
        rest = "要" + rest  # 一要做好… : the 要 is the duty cue of the item heading
    return Marker(LEVELS[kind], value in _FIRST, len(text) - len(rest)), rest


def shift(tokens: Sequence[Token], offset: int) -> Sequence[Token]:
    """Tokens from `offset` on, re-based so that offsets count from there."""
    return [Token(t.text, t.start - offset, t.end - offset, t.tag) for t in tokens if t.start >= offset]


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
        # 以及 continues the object of the clause before: 以及大数据推送的重点人员进行核查 -> 进行核查
        self.prepositions = lexicon.word_class("preposition") | {"对", "对于", "以及"}
        self.connectives = sorted(lexicon.word_class("connective"), key=len, reverse=True)
        self._connective_start = re.compile("|".join(re.escape(w) for w in self.connectives) or "(?!)")
        self.past = lexicon.word_class("past")
        self.pronouns = lexicon.word_class("pronoun")
        self.manner = lexicon.word_class("manner")
        self.partner_words = lexicon.word_class("partner")
        self.copulas = lexicon.word_class("copula")
        self.linking_verbs = lexicon.word_class("linking")
        self.shortfalls = tuple(lexicon.word_class("shortfall"))
        metrics = "|".join(re.escape(w) for w in sorted(lexicon.word_class("metric"), key=len, reverse=True))
        targets = "|".join(re.escape(w) for w in sorted(lexicon.word_class("target_verb"), key=len, reverse=True))
        # 审批时间压缩至15个工作日以内, “一网通办”率达到98%: a figure to reach, said of a metric
        self._metric_target = re.compile(
            f"^[^，,；;]*?(?:{metrics})[^，,；;]{{0,2}}?(?:{targets})(?:至|到|在|为)?(?:[0-9０-９一二三四五六七八九十百千万两半]|各|全|平均|上年|去年|同期)"
        ) if metrics and targets else None  # …总量控制方案: a noun, not a target
        self.duty_verbs = lexicon.word_class("verb")
        self.meeting_verbs = lexicon.word_class("meeting_verb")
        self.speech_verbs = lexicon.word_class("speech_verb")
        self.conditions = lexicon.word_class("condition")
        self._actor_cache: Memo[str, list[ActorName] | None] = Memo(self.actors.parse_list)
        self._readings: Memo[tuple[str, bool], ClauseReading] = Memo(lambda key: self._read(key[0]))
        self.nominal_measures = False  # set while reading task headings

    # ------------------------------------------------------------------ helpers

    def parse_actors(self, span: str) -> list[ActorName] | None:
        if not self.actors.could_end_name(span):
            return None
        return self._actor_cache[span]

    def strip_connectives(self, text: str) -> str:
        """Drop 同时, 特别是 … at the start, where they are words of their own (not 同时间赛跑)."""
        while text:
            text = text.lstrip(" \u3000，,、；;：:")
            match = self._connective_start.match(text)
            if not match or len(text) == match.end() or not self._word_at_start(text, match.group(0)):
                return text
            text = text[match.end():]
        return text

    def _word_at_start(self, text: str, word: str) -> bool:
        if text[len(word)] in "，,、；;：: ":
            return True
        return self.segmenter.cut(text)[0] == word

    def is_verb(self, token: Token) -> bool:
        """A verb for finding duties: jieba's verb tags, nominal verbs, or a lexicon duty verb, also as the
        end of an adverb+verb word that jieba's dictionary tags as a noun (正确引导, 全面管控)."""
        return (token.is_verb or token.text in self.duty_verbs or token.text in self.role_verbs
                or (3 <= len(token.text) <= 4 and token.text[-2:] in self.duty_verbs))

    def is_strict_verb(self, token: Token) -> bool:
        """A verb that can head a verb phrase (not a nominal use such as 建设 in 核酸实验室建设)."""
        return token.tag in _STRICT_VERB_TAGS or token.text in self.duty_verbs or token.text in self.role_verbs

    def tokens(self, text: str) -> Sequence[Token]:
        return self.segmenter.tokens(text)

    # ------------------------------------------------------------------ clause

    def read(self, text: str) -> ClauseReading:
        """What the clause `text` says. Cached, because clauses recur and the extractor re-reads some:
        the reading is shared, so change it with `dataclasses.replace`, never in place."""
        return self._readings[text, self.nominal_measures]

    def _read(self, text: str) -> ClauseReading:
        reading = ClauseReading()
        text = self.strip_connectives(text)
        tokens = self.tokens(text) if text else []
        if not tokens:
            return reading
        reading.descriptive = any(t.text in self.past for t in tokens)
        words = [t.text for t in tokens]
        if words[0] in ("请", "需要") and len(tokens) > 1:
            # 请各乡镇于3月15日前将…备案, 需要有关部门研究提出…: a directive to the actors named after it
            inner = self.read(text[tokens[0].end:])
            if inner.subject is not None and inner.is_duty:
                return replace(inner, strong_cue=True)
        if words[0] == "由" or (len(words) > 1 and words[0] in _BY_OPENERS and words[1] == "由"):
            by_at = 0 if words[0] == "由" else 1
            self._read_by(text[tokens[by_at].end:], reading, bare=(by_at == 0))
            return reading
        topic_end = self._topic_before_by(tokens)
        if topic_end:
            # 此项工作由县住建局负责…: a topic, then who does it
            self._read_by(text[tokens[topic_end].end:], reading, bare=False)
            return reading
        if "的" in text and words[0] in ("从", "自", "来自"):
            # 从xx市的来市返市人员，要…: a modified actor as the subject of the clauses that follow
            tail = text.rsplit("的", 1)[1]
            actors = self.parse_actors(tail) if tail else None
            if actors is not None:
                reading.subject = actors
                return reading
        if words[0] in ("会同", "联合", "协同") and len(tokens) > 1:
            # …，会同有关部门对本意见落实情况开展督导检查: a partner for the actor named before
            rest, rest_tokens = self._take_partner(text, tokens, reading)
            if reading.partners and rest_tokens:
                self.set_measures(rest, rest_tokens, reading)
                return reading
            reading.partners = []
        if words[0] in self.prepositions and self._prepositional_only(tokens):
            return reading  # 对于…的, 以…的精神, 通过多种方式: sets the scene for the next clause
        if self._pronoun_after_time(tokens):
            reading.blocked = True  # 前两天我们已经做了…: the speaker's own report
            return reading
        if words[0] in _PIVOT_VERBS:
            pivot = self._pivot(text[tokens[0].end:])
            if pivot is not None:
                reading.pivot = pivot  # 指导乡镇重点做好三项工作: 乡镇 does the work
                return reading
        subject_end = self._subject_prefix_end(text, tokens)
        if subject_end and self._partner_after_subject(text, tokens, subject_end, reading):
            return reading
        quoted = _quoted_spans(text)
        for index, token in enumerate(tokens):
            kind = self._cue_kind(token, tokens, index)
            if kind is None or token.start < subject_end or any(a < token.start < b for a, b in quoted):
                continue  # no cue, a verb inside the subject's name (分包村医), or words quoted (“谁主管、谁负责”)
            if kind in ("verb", "role") and self._reported_by_de_phrase(tokens, index):
                continue  # 市卫生健康委牵头推进的医共体建设已实现…: a verb inside a 的-phrase of a report
            before = text[: token.start].strip()
            if before:
                subject = self._subject(before, tokens[:index])
                if subject is not None and kind == "verb" and token.text in self.speech_verbs:
                    reading.blocked = True  # 习近平总书记指出，…: words quoted, not a duty of the speaker
                    return reading
                if subject is not None and kind == "verb" and index and tokens[index - 1].text in _NOT_A_DUTY_BEFORE_VERB:
                    # 县教育局被评为…: done to it; 县指挥部办公室可视情启动…: allowed, not charged
                    reading.subject, reading.descriptive = subject, True
                    return reading
                if subject is not None:
                    reading.subject = subject
                    if kind == "verb" and reading.descriptive:
                        return reading
                    self._read_duty(text, tokens, index, kind, reading)
                    if reading.cue == "将" and not reading.measures:
                        reading.strong_cue = False  # 县委书记还将作重要讲话: no duty, so no lead-in either
                    if "分别" in before and len(subject) > 1:
                        base_role = self.role_verbs.get(reading.cue, "responsible")
                        reading.distributed = [(actor, measure, self._keyword_role(measure) or base_role)
                                               for actor, measure in self._distribute(subject, reading.measures)]
                    return reading
                if self._pronoun_subject(before):
                    reading.blocked = True
                    return reading
                if not self._adverbial_only(tokens[:index]):
                    if kind != "modal":
                        continue  # a verb inside the subject's noun phrase (定点救治医院)
                    rest = text[token.end:]
                    if rest.startswith("由"):  # 每位隔离者要由一名村干部…分包
                        self._read_by(rest[1:], reading, bare=False)
                        return reading
                    reading.blocked = True  # a modal after a subject that is no actor (车辆要…)
                    return reading
            # no subject in this clause
            if kind in ("modal", "focus"):
                self._read_duty(text, tokens, index, kind, reading)
                return reading
            reading.cue, reading.strong_cue = token.text, kind == "role"
            if kind == "role":
                reading.role = self.role_verbs[token.text]
                if not text[token.end:].strip(" ，,。；;") and self._fronted_object_start(tokens, index) is None:
                    reading.is_duty = reading.needs_measure = True
                    return reading
            self.set_measures(text, tokens, reading)
            return reading
        # no cue: a subject that the next clauses continue (卫健委作为…), or a pivot (指导乡镇做好…)
        subject = self._subject(text, tokens)
        if subject is None:
            subject = self._actor_prefix(text, tokens)
        if subject is not None:
            reading.subject = subject
        elif self._pronoun_subject(text):
            reading.blocked = True
        return reading

    def _partner_after_subject(self, text: str, tokens: Sequence[Token], subject_end: int,
                               reading: ClauseReading) -> bool:
        """X会同Y制定… / X联合Y开展…: X does the duty that follows and Y supports it."""
        name_end = subject_end
        rest_tokens = shift(tokens, subject_end)
        if len(rest_tokens) > 1 and rest_tokens[0].text == "将" and rest_tokens[1].text in _SUPPORTING_PARTNERS:
            subject_end += rest_tokens[1].start  # 文化和旅游部将会同有关部门…: 将 says "will"
            rest_tokens = shift(rest_tokens, rest_tokens[1].start)
        if not rest_tokens or rest_tokens[0].text not in _SUPPORTING_PARTNERS:
            return False
        subject = self.parse_actors(text[:name_end])
        after, after_tokens = self._take_partner(text[subject_end:], rest_tokens, reading)
        if subject is None or not reading.partners:
            reading.partners = []
            return False
        if not after_tokens:
            # 县应急局会同有关部门，定期开展联合检查: the duty is in the next clauses
            reading.subject, reading.cue = subject, rest_tokens[0].text
            reading.is_duty = reading.needs_measure = True
            return True
        inner = self.read(after)
        if inner.subject is not None or inner.by_actors or not inner.is_duty:
            reading.partners = []
            return False
        reading.subject = subject
        reading.is_duty, reading.cue = True, inner.cue
        reading.strong_cue = inner.strong_cue or name_end != subject_end  # …将会同…: a commitment
        reading.role, reading.measures, reading.needs_measure = inner.role, list(inner.measures), inner.needs_measure
        reading.negated, reading.deadline, reading.descriptive = inner.negated, inner.deadline, inner.descriptive
        return True

    def _reported_by_de_phrase(self, tokens: Sequence[Token], index: int) -> bool:
        """The verb at `index` sits in a 的-phrase whose noun is the subject of what was done (已实现…)."""
        for j in range(index + 1, len(tokens)):
            if tokens[j].text in "，,；;":
                return False
            if tokens[j].text == "的":
                return any(t.text in self.past for t in tokens[j + 1:])
        return False

    def _cue_kind(self, token: Token, tokens: Sequence[Token], index: int) -> str | None:
        word = token.text
        if word == "将" and index + 1 < len(tokens) and index > 0 and (
                tokens[index + 1].tag in _STRICT_VERB_TAGS or tokens[index + 1].text in self.adverbs
                or tokens[index + 1].tag in ("d", "ad")):
            return "modal"  # 市政府督查室将适时开展专项督查: 将 says "will" (将+noun marks an object)
        if word in self.modals:
            if word == "要" and index + 1 < len(tokens) and tokens[index + 1].text in ("求", "点"):
                return None
            return "modal"
        if word in self.role_verbs:
            return "role"
        if word in self.focus_adverbs and index > 0 and tokens[index - 1].text not in _LIST_MARKS \
                and index + 1 < len(tokens) and self.is_verb(tokens[index + 1]):
            return "focus"  # 市场监管局重点加强… (not 人员密集场所、重点设施)
        if self.is_strict_verb(token) and word not in self.copulas:
            return "verb"
        return None

    def _subject(self, before: str, tokens: Sequence[Token]) -> list[ActorName] | None:
        """The actors named in `before` (the text before the cue)."""
        actors = self.parse_actors(before)
        if actors is not None:
            return actors
        # an actor followed by an adverbial: 药店无…处方不得…, 分包干部每日二次…
        for token in reversed(tokens[:-1]):
            head = before[: token.end]
            actors = self.parse_actors(head)
            if actors is not None:
                rest = [t for t in tokens if t.start >= token.end]
                if rest and rest[0].tag in ("t", "tg") and any(t.tag.startswith("n") or t.tag == "vn" for t in rest[1:]):
                    return None  # 学校课后服务实现…: a time word inside a noun phrase, not an adverbial
                return actors if self._adverbial_only(rest) else None
        # a time word before the subject: 汛期各级防汛指挥机构实行…
        if tokens and tokens[0].tag in ("t", "tg") and len(tokens) > 1:
            actors = self.parse_actors(before[tokens[0].end:].lstrip("，,"))
            if actors is not None:
                return actors
        # a time frame before the subject: 在疫情防控期间各单位要…
        if tokens and tokens[0].text in ("在", "从", "自"):
            for token in tokens[1:]:
                if token.text in _SUBJECT_FRAME_END:
                    return self.parse_actors(before[token.end:].lstrip("，,"))
        return None

    def _prepositional_only(self, tokens: Sequence[Token]) -> bool:
        """A clause that is one prepositional phrase: it ends in its noun (对湖北返乡人员及密切接触者,
        通过多种宣传方式). A place phrase with a duty verb after it (在…出入口设立卡点) is a duty."""
        content = [t for t in tokens if _CONTENT.search(t.text)]
        if not content or content[-1].text == "的":
            return True
        last = content[-1]
        after_de = len(content) > 1 and content[-2].text == "的"  # …的要求: a noun after 的
        if tokens[0].text in self.prepositions and last.text in _PHRASE_FINAL_NOUNS and len(content) > 1 \
                and content[-2].tag not in ("d", "ad") and content[-2].text not in self.adverbs:  # 亲自部署: a verb
            # 按照本方案要求, 根据上级部署: the noun a prepositional phrase ends in, though jieba tags it a verb
            tokens = tokens[: tokens.index(last)]
            after_de = True
        if not after_de and (self.is_verb(last) or last.tag in _IDIOM_TAGS):
            return False
        # 对地下空间…逐一落实挡水措施, 在…出入口设立卡点: a duty verb after the phrase makes it a duty
        quoted = _quoted_tokens(tokens)
        # 对查实的违规问题依法追回医保基金: any verb after the phrase's noun, outside a 的-modifier
        return not any((t.text in self.duty_verbs or self._verb_after_phrase_noun(tokens, i))
                       and not self._modifies_noun(tokens, i) and i not in quoted and not self._listed(tokens, i)
                       for i, t in enumerate(tokens[1:], start=1))

    def _verb_after_phrase_noun(self, tokens: Sequence[Token], i: int) -> bool:
        """对查实的违规问题依法追回…: a verb right after the phrase's head noun (adverbs between) is the
        clause's own verb, even when the lexicon does not list it."""
        if tokens[i].tag not in _STRICT_VERB_TAGS or self._in_relative_clause(tokens, i):
            return False
        j = i - 1
        while j > 1 and (tokens[j].text in self.adverbs or tokens[j].tag in ("d", "ad")):
            j -= 1
        return j >= 1 and tokens[j].tag.startswith("n") and tokens[j - 1].text != "的"

    def _listed(self, tokens: Sequence[Token], i: int) -> bool:
        """通过宣传条幅、张贴通告、印发明白纸以及各类网络平台: a verb phrase that is an item of a list
        (a list mark comes before any other verb), not the clause's own verb."""
        marks = ("、", "和", "及", "以及", "或者", "或")
        if i > 0 and tokens[i - 1].text in marks:
            return True  # …、张贴通告: a later item
        for j in range(i + 1, len(tokens)):
            if tokens[j].text in marks:
                # 宣传条幅、张贴通告: the first item, when the next one is a verb phrase too (配备口罩、手套 is not)
                return j + 1 < len(tokens) and self.is_strict_verb(tokens[j + 1])
            if self.is_strict_verb(tokens[j]) or tokens[j].text in "，,；;":
                return False
        return False

    def third_person_subject(self, text: str) -> bool:
        return self.strip_connectives(text).startswith(_THIRD_PERSON)

    def object_only(self, text: str) -> bool:
        """将复工复产企业…等情况，于…前报…: a fronted object whose verb is in the next clause."""
        text = self.strip_connectives(text)
        if not text.startswith(_OBJECT_MARKERS):
            return False
        tokens = self.tokens(text)
        content = [t for t in tokens if _CONTENT.search(t.text)]
        return bool(content) and tokens[0].text in _OBJECT_MARKERS and content[-1].tag.startswith("n") and not any(
            t.text in self.duty_verbs for t in tokens[1:])

    def is_prepositional(self, text: str) -> bool:
        return self._prepositional_only(self.tokens(self.strip_connectives(text)))

    def _modifies_noun(self, tokens: Sequence[Token], i: int) -> bool:
        """The verb at i sits inside a 的-phrase (负责的精神, 排查发现的重点人员): a 的 comes before any
        noun that could be its object."""
        for token in tokens[i + 1:]:
            if token.text == "的":
                return True
            if not self.is_verb(token) and token.tag not in ("d", "ad"):
                return False
        return False

    def _may_start_name(self, token: Token) -> bool:
        word = token.text
        if word in self.actors.names or word in self.actors.lexicon.determiners or word in self.actors.lexicon.places:
            return True
        if word in self.modals or word in self.adverbs or word in self.prepositions or word in self.connectives:
            return False
        return token.tag not in _NEVER_NAME_START

    def _pronoun_after_time(self, tokens: Sequence[Token]) -> bool:
        """前两天我们已经…, 今天我们…: a pronoun subject after a time phrase of at most two words."""
        for token in tokens[:3]:
            if token.text in self.pronouns:
                return True
            if self.is_verb(token) or token.text in self.prepositions:
                return False
        return False

    def _subject_prefix_end(self, text: str, tokens: Sequence[Token]) -> int:
        """End of the longest actor name the clause starts with (0 when none)."""
        if not tokens or not self._may_start_name(tokens[0]):
            return 0  # most clauses start with a verb, an adverb or a preposition: no name to look for
        for token in reversed(tokens[:-1]):
            if token.end > _LONGEST_SUBJECT:
                continue
            following = text[token.end:]
            if following.startswith(("的", "之", "等", "们", "、", "和", "与", "及")):
                continue
            if self.parse_actors(text[: token.end]) is not None:
                return token.end
        return 0

    def _adverbial_only(self, tokens: Sequence[Token]) -> bool:
        if not tokens:
            return True
        first = tokens[0]
        if first.text in self.pronouns:
            return False
        return (bool(_FREQUENCY.match(first.text)) or first.tag in _ADVERBIAL_TAGS or first.text in self.adverbs or first.text in _CONDITION_WORDS
                or first.text in self.modals or first.text in _MANNER_PREPOSITIONS)

    def _pronoun_subject(self, before: str) -> bool:
        before = before.strip()
        return any(before.startswith(p) for p in self.pronouns)

    def _actor_prefix(self, text: str, tokens: Sequence[Token]) -> list[ActorName] | None:
        """Actors at the start of a clause that has no duty cue (卫健委作为疫情防控主体)."""
        for token in reversed(tokens[:-1]):
            rest = text[token.end:]
            if rest.startswith(("的", "之", "等", "们")):
                continue
            actors = self.parse_actors(text[: token.end])
            if actors is not None:
                following = next(t for t in tokens if t.start >= token.end)
                return actors if (following.text in self.copulas or self.is_strict_verb(following)
                                  or self._adverbial_only([following])) else None
        return None

    def _pivot(self, body: str) -> list[ActorName] | None:
        sub = self.tokens(body)
        for index, token in enumerate(sub):
            kind = self._cue_kind(token, sub, index)
            if kind is not None and token.start > 0:
                actors = self.parse_actors(body[: token.start])
                if actors is not None:
                    return actors
        return None

    # ------------------------------------------------------------------ duty

    def _distribute(self, actors: list[ActorName], measures: list[str]) -> list[tuple[ActorName, str]]:
        """县财政局、县审计局分别负责资金保障和审计监督: the n-th actor takes the n-th object."""
        if len(measures) == len(actors):
            return list(zip(actors, measures))
        if len(measures) != 1:
            return []
        tokens = self.tokens(measures[0])
        if len(tokens) < 2 or not self.is_strict_verb(tokens[0]):
            return []
        verb, objects = tokens[0].text, _COORDINATED_OBJECTS.split(measures[0][tokens[0].end:])
        if len(objects) != len(actors) or not all(objects):
            return []
        return [(actor, verb + part) for actor, part in zip(actors, objects)]

    def _topic_before_by(self, tokens: Sequence[Token]) -> int:
        """Index of 由 after a short topic that names no actor (此项工作由…, 具体工作由…), else 0."""
        for index in range(1, min(len(tokens), 4)):
            if tokens[index].text == "由":
                topic = "".join(t.text for t in tokens[:index])
                nominal = all(t.tag[:1] in ("r", "n", "m", "q", "b", "a", "l") or t.tag == "vn" for t in tokens[:index])
                return index if nominal and self.parse_actors(topic) is None else 0
        return 0

    def _read_by(self, after: str, reading: ClauseReading, bare: bool) -> None:
        """由X负责/牵头/分包…: the actors are X. Bare 由X+verb (由市长传达…) reports an agenda, not a duty,
        unless the verb is a role verb."""
        groups = _BY_ROLE_GROUPS.match(after.strip(" ，,。；;"))
        if groups:
            # 由县住建局负责、县自然资源局配合: two role groups, the measure before or after them
            owners, helpers = self.parse_actors(groups.group("a").strip()), self.parse_actors(groups.group("b").strip())
            if owners and helpers:
                reading.by_actors, reading.cue, reading.strong_cue = owners, groups.group("ra"), True
                reading.role = "lead" if "牵头" in groups.group("ra") or "主办" in groups.group("ra") else "responsible"
                reading.partners = [(a, "support") for a in helpers]
                reading.is_duty = reading.needs_measure = True
                return
        sub = self.tokens(after)
        for index, token in enumerate(sub):
            kind = self._cue_kind(token, sub, index)
            if kind is None or token.start == 0:
                continue
            before = after[: token.start].strip()
            actors = self._subject(before, [t for t in sub if t.end <= token.start]) if before else None
            partner = next((w for w in ("会同", "协同", "联合") if w in before), None)
            if actors is None and partner:
                # 由发展改革委会同中央农办、农业部等部门研究提出落实意见: X leads the work, Y supports
                owner, others = before.split(partner, 1)
                actors = self.parse_actors(owner.strip())
                partners = self.parse_actors(others.strip(" ，,"))
                if actors is None or partners is None:
                    continue
                reading.partners = [(a, "support") for a in partners]
            if actors is None:
                continue
            reading.bare_by = bare and kind not in ("role", "modal") and token.text in self.meeting_verbs
            reading.by_actors = actors
            self._read_duty(after, sub, index, kind, reading)
            return

    def _read_duty(self, text: str, tokens: Sequence[Token], index: int, kind: str, reading: ClauseReading) -> None:
        cue = tokens[index]
        reading.cue = cue.text
        reading.strong_cue = kind in ("modal", "role", "focus")
        if kind == "role":
            reading.role = self.role_verbs[cue.text]
        if kind == "modal" and cue.text in NEGATION:
            rest_start = cue.start
        elif kind in ("modal", "focus"):
            rest_start = cue.end
        else:
            rest_start = cue.start
            verb_final = not text[cue.end:].strip(" ，,。；;")
            fronted = self._fronted_object_start(tokens, index)
            if fronted is not None and (verb_final or _RESPONSIBILITY_TAKEN.match(text[cue.start:])):
                rest_start = fronted  # 对本辖区防汛工作负总责, 对…负主体责任: the object is fronted with 对
            marked = self._fronted_object_start(tokens, index, _OBJECT_MARKERS)
            if marked is not None:
                rest_start = marked  # 各乡镇于5月10日前将工作开展情况报送…: the measure starts at 将
                deadline = DEADLINE.search(text, 0, marked)
                if deadline:
                    reading.deadline = deadline.group(0).lstrip("于在到至")
        rest, rest_tokens = text[rest_start:], shift(tokens, rest_start)
        rest, rest_tokens = self._take_partner(rest, rest_tokens, reading)
        if kind == "role" and not text[cue.end:].strip(" ，,。；;") and rest_start == cue.start:
            reading.is_duty = True
            reading.needs_measure = True  # X牵头，…: the measure follows
            return
        if not rest_tokens:
            reading.is_duty = bool(reading.partners)
            reading.needs_measure = True
            return
        if rest_tokens[0].text == "由" and not reading.by_actors:
            inner = ClauseReading()
            self._read_by(rest[rest_tokens[0].end:], inner, bare=False)
            if inner.by_actors:
                reading.by_actors, reading.measures, reading.role = inner.by_actors, inner.measures, inner.role
                reading.is_duty, reading.deadline, reading.negated = inner.is_duty, inner.deadline, inner.negated
                return
        self.set_measures(rest, rest_tokens, reading)

    def _is_target(self, text: str, tokens: Sequence[Token]) -> bool:
        if self.nominal_measures or self._metric_target is None or not tokens:
            return False
        if tokens[0].text in _OBJECT_MARKERS or tokens[0].text in _GOAL_VERBS:
            return False  # 将审批时间压缩至…, 确保…率达到…: the actor acts on the figure
        return bool(self._metric_target.match(text))

    def _thing_as_subject(self, tokens: Sequence[Token]) -> bool:
        """A noun phrase followed by a linking verb (考核结果纳入…, 抽查结果作为…): no 把/将, no verb before it."""
        for index, token in enumerate(tokens):
            if token.text in self.linking_verbs or token.text in self.copulas:
                return any(t.tag.startswith("n") and t.text not in self.adverbs for t in tokens[:index])
            if token.text in _OBJECT_MARKERS or token.tag in _STRICT_VERB_TAGS or token.text in self.modals:
                return False
        return False

    def _fronted_object_start(self, tokens: Sequence[Token], index: int,
                              markers: tuple[str, ...] = ("对", "对于")) -> int | None:
        """Where a phrase opened by one of `markers` (对…, or 将/把…) right before the verb at `index`
        starts, within the clause, if there is one."""
        for i in range(index - 1, -1, -1):
            if tokens[i].text in markers:
                return tokens[i].start
            if tokens[i].text in "，,；;":
                return None
        return None

    def _take_partner(self, rest: str, tokens: Sequence[Token], reading: ClauseReading) -> tuple[str, Sequence[Token]]:
        """X要与Y配合… / X联合Y… / X会同Y、Z定期对…进行督导: Y (and Z) are partners; returns the rest after them.

        With 配合/联合/会同/协同 the partners support; 与Y加强沟通 shares the duty (responsible)."""
        if len(tokens) > 1 and tokens[0].text == "将" and tokens[1].text in self.partner_words:
            cut = tokens[1].start  # 将会同有关部门…: 将 says "will", it marks no object
            rest, tokens = rest[cut:], shift(tokens, cut)
        if not tokens or tokens[0].text not in self.partner_words:
            return rest, tokens
        word = tokens[0].text
        body = rest[tokens[0].end:].lstrip()
        actors, end = self.parse_actors(body.strip(" ，,")), len(body)
        if actors is None:
            end = self._subject_prefix_end(body, self.tokens(body))
            actors = self.parse_actors(body[:end]) if end else None
        if actors is None:
            return rest, tokens
        after = body[end:].lstrip("，, ")
        role = "support" if word in ("联合", "会同", "协同", "配合") else "responsible"
        for verb in _PARTNER_ROLE_VERBS:
            if after.startswith(verb):
                role, after = "support", after[len(verb):].lstrip("，, ")
                break
        reading.partners = [(a, role) for a in actors]
        cut = len(rest) - len(after)
        return after, shift(tokens, cut)

    def clause_measures(self, text: str) -> ClauseReading:
        """A clause without subject and cue, continuing a duty: a duty when it has a main verb."""
        reading = ClauseReading()
        text = self.strip_connectives(text)
        tokens = self.tokens(text)
        if not tokens:
            return reading
        if any(t.text in self.past for t in tokens):
            reading.descriptive = True
            return reading
        if text.endswith("的") or tokens[0].text in self.conditions or "方可" in text:
            return reading  # a relative or conditional clause (对…的, 待确认健康后方可返岗)
        self.set_measures(text, tokens, reading)
        return reading

    def set_measures(self, rest: str, tokens: Sequence[Token], reading: ClauseReading) -> None:
        if self._thing_as_subject(tokens):
            return  # 督查结果纳入年度考核: what becomes of a thing, not a duty
        if rest.rstrip(" 。.；;，,").endswith(self.shortfalls):
            return  # 落实主体责任不到位: a problem found, not a duty
        if tokens and tokens[-1].text in self.copulas:
            return  # 主要职责是：…: what follows says what the duties are
        if rest.rstrip(" 。.；;，,").endswith(_SPEAKING_AT_A_MEETING):
            return  # 县委书记***同志还将作重要讲话: the meeting's agenda, not a duty
        if self._is_target(rest, tokens):
            return  # 审批时间压缩至15个工作日以内: a target, not a duty (a task heading may be one: see nominal_measures)
        if any(word in rest for word in INTERROGATIVES) or _ANNOUNCEMENT.search(rest) or "方可" in rest:
            return  # 出现发热该如何就诊 / 做到以下三点 / 待确认健康后方可返岗: no duty of its own
        deadline = DEADLINE.search(rest)
        if deadline:
            reading.deadline = deadline.group(0).lstrip("于在到至")
            if deadline.start() <= 2:  # 于2023年6月底前完成…: the deadline is an adverbial, not the duty
                cut = deadline.end() + len(rest[deadline.end():]) - len(rest[deadline.end():].lstrip("，, "))
                rest, tokens = rest[cut:], self.tokens(rest[cut:])
                deadline = None
        repeated = self._repeated_adverb_list(rest)
        if repeated:
            reading.is_duty, reading.measures = True, repeated  # 亲自接访、亲自约访、亲自下访
            return
        start = self._measure_start(rest, tokens)
        if start is None and rest.startswith(("对", "对于")) and _RESPONSIBILITY_TAKEN.search(rest):
            start = 0  # 对本局网络与数据安全工作负主体责任: the responsibility with what it covers
        if start is None:
            return
        measure = rest[start:].strip(" \u3000，,。；;：:")
        if deadline and start <= deadline.start() <= start + 1:
            measure = measure[deadline.end() - start:].lstrip("，, ").removeprefix("完成")
        if not measure or measure in self.manner or len(measure) < 2 or len(_CJK_CHARS.findall(measure)) < 2:
            return  # (联系人：***，电话：xxxxxxx: placeholders, not a duty)
        if not any(self.is_strict_verb(t) or t.text in NEGATION for t in self.tokens(measure)) \
                and self.parse_actors(measure) is not None:
            return  # 各县（市、区）党委，市委各部委，…: a list of names, not a duty
        if any(measure.startswith(n) for n in NEGATION):
            reading.negated = True
        reading.is_duty = True
        reading.measures = self._split_coordinated(measure)
        role = self._keyword_role(measure)
        if role and reading.role == "responsible":
            reading.role = role

    def _measure_start(self, rest: str, tokens: Sequence[Token]) -> int | None:
        """Offset of the main verb: skip modals, adverbs, time words and fronted prepositional phrases."""
        index = 0
        while index < len(tokens):
            token = tokens[index]
            word = token.text
            if word in NEGATION:
                return token.start
            if word in _OBJECT_MARKERS:
                # 将复工复产企业…等情况，于…前报…: the verb follows in the next clause
                return token.start if any(self.is_strict_verb(t) for t in tokens[index + 1:]) else None
            if word in self.prepositions:
                return self._after_preposition(tokens, index)
            if word in self.copulas or word in self.pronouns:
                return None
            skippable = (word in self.modals or word in self.adverbs or word in self.manner or _FREQUENCY.match(word)
                         or (word == "每" and index + 1 < len(tokens) and tokens[index + 1].tag in ("t", "q", "m"))
                         or token.tag in ("d", "ad", "t", "m", "mq", "q") or not word.strip())
            before_list = index + 1 < len(tokens) and tokens[index + 1].text in "、，,"  # 抓紧、抓好、抓实
            if skippable and not before_list and not (word in self.duty_verbs and index + 1 < len(tokens)):
                index += 1
                continue
            if self.is_verb(token) or token.tag in _IDIOM_TAGS:
                return token.start
            if any(t.text in self.copulas for t in tokens[index:]):
                return None  # 主要任务是…: says what something is
            if self.nominal_measures or any(self.is_strict_verb(t) and not self._modifies_noun(tokens, i)
                                            for i, t in enumerate(tokens) if i > index):
                # a fronted object (重大情况及时上报) or a target (地区生产总值增长8%以上); not a noun
                # phrase whose only verb sits in a 的-modifier (新建成的…核酸实验室)
                return token.start
            return None
        return None

    def _after_preposition(self, tokens: Sequence[Token], index: int) -> int | None:
        """按照…要求 / 对…实行 / 为…提供: start at the main verb after the phrase; keep 对X when the verb ends the clause."""
        if self._prepositional_only(tokens[index:]):
            return None  # 要按照“…”的要求, — the duty follows in the next clause
        main = self._main_verb(tokens, index + 2)
        if main is None:
            return None  # the clause is only a prepositional phrase
        verb_final = all(not t.text.strip() or t.tag in ("d", "ad", "ul", "uj") for t in tokens[main + 1:])
        if tokens[index].text in ("对", "对于", "把", "将") and verb_final:
            return tokens[index].start
        return tokens[main].start

    def _main_verb(self, tokens: Sequence[Token], start: int) -> int | None:
        """The verb after a prepositional phrase: the first lexicon duty verb not inside a relative clause
        (对湖北返乡人员进行排查: 进行, not 返乡; 对购买…的顾客进行登记: 进行, not 购买), else the first verb."""
        quoted = _quoted_tokens(tokens)
        for accept in (lambda t: t.text in self.duty_verbs, self.is_strict_verb):
            for i in range(start, len(tokens)):
                if i in quoted:
                    continue  # 按照“谁主管、谁负责”的原则: words quoted, not said
                listed = i + 1 < len(tokens) and tokens[i + 1].text in _LIST_MARKS  # 核酸实验室建设等工作
                modal = tokens[i].text in self.modals  # 根据防疫需要: a noun here
                if accept(tokens[i]) and not listed and not modal and not self._in_relative_clause(tokens, i) \
                        and not self._nominal_before_verb(tokens, i):
                    return i
        return None

    def _nominal_before_verb(self, tokens: Sequence[Token], i: int) -> bool:
        """责任落实情况进行督导: a verb followed by a noun and then the real verb is part of the object.
        A verb that ends the clause is the head of the object instead (开展常态化督查, 加强隐患排查)."""
        if i + 1 >= len(tokens) or not tokens[i + 1].tag.startswith("n"):
            return False
        last = max((j for j, t in enumerate(tokens) if _CONTENT.search(t.text)), default=-1)
        return any(t.text in _LIGHT_VERBS and not self._modifies_noun(tokens, j)
                   for j, t in enumerate(tokens) if i + 1 < j < last)

    def _in_relative_clause(self, tokens: Sequence[Token], i: int) -> bool:
        for j in range(i + 1, len(tokens)):
            if tokens[j].text == "的":
                return any(self.is_strict_verb(t) for t in tokens[j + 1:])
            if self.is_strict_verb(tokens[j]):
                return False
        return False

    def _repeated_adverb_list(self, rest: str) -> list[str]:
        """亲自接访、亲自约访、亲自下访: one adverb before each verb of a list; each keeps it."""
        parts = [p.strip(" ，,。；;") for p in _split_outside_quotes(rest.strip(" ，,。；;"), "、")]
        if len(parts) < 2 or any(len(p) < 3 for p in parts):
            return []
        firsts = [self.tokens(p)[0] for p in parts]
        openers = {t.text for t in firsts}
        opener = next(iter(openers))
        adverb = opener in self.adverbs or firsts[0].tag in ("d", "ad")  # 少开会、少培训、少出差
        return parts if len(openers) == 1 and adverb and opener not in self.modals else []

    def _split_coordinated(self, measure: str) -> list[str]:
        """增强“四个意识”、坚定“四个自信”: one measure per verb phrase joined by 、 (each with its own verb and object)."""
        if "、" not in measure:
            return [measure]
        parts = _split_outside_quotes(measure, "、")
        if len(parts) < 2:
            return [measure]
        if "等" in parts[-1]:
            return [measure]  # 开展粉尘涉爆、涉氨制冷、有限空间作业等专项检查: a list of things closed by 等
        openers = {self.tokens(part)[0].text for part in parts}
        if len(openers) == 1 and next(iter(openers)) in self.adverbs and all(len(p) >= 3 for p in parts):
            return parts  # 亲自研究部署、亲自督促检查…: one adverb repeated, one duty each
        for part in parts:
            tokens = self.tokens(part)
            head = 1 if len(tokens) > 2 and tokens[0].tag in ("d", "ad") else 0  # 少开会、少培训
            opens_with_verb = self.is_strict_verb(tokens[head]) or (
                tokens[head].tag == "a" and head == 0 and len(tokens) > 2 and "的" not in part)  # 坚定“四个自信”
            object_is_verb = head + 1 < len(tokens) and self.is_strict_verb(tokens[head + 1]) and part is parts[0]
            # 严禁在园区外新建、扩建…项目: a verb after a prepositional phrase shares the object that follows
            shares_object = part is not parts[-1] and self.is_strict_verb(tokens[-1]) and any(
                t.text in self.prepositions for t in tokens[head + 1:-1])
            if len(part) < 3 or len(tokens) < 2 or not opens_with_verb or object_is_verb or shares_object or all(
                    self.is_verb(t) or t.tag in ("c", "p", "u", "uj", "d") for t in tokens):
                return [measure]  # 排查和报告: verbs sharing one object, not duties of their own
        return parts

    def _keyword_role(self, measure: str) -> str:
        if measure.startswith(("接受", "主动接受", "自觉接受")):
            return ""  # 接受群众监督: being overseen, not overseeing
        for keyword, role in self.keywords:
            if keyword in ("牵头", "配合", "支持", "协助", "督导", "督查", "督促", "督办", "监督"):
                # a role word counts where it heads the duty or ends it (…的日常督导, …资金支持)
                if measure.startswith(keyword) or measure.endswith(keyword) or _head_after_adverb(measure, keyword):
                    return role
            elif keyword in measure:
                return role
        return ""


def _head_after_adverb(measure: str, keyword: str) -> bool:
    """督导 heads the duty: after an adverb (重点督导), right after the main verb (强化督导指导),
    or in the head noun at the end (加强…的督导检查)."""
    index = measure.find(keyword)
    if 0 < index <= 4 and measure[:index] in ("重点", "规范", "定期", "亲自", "协调", "密切协调", "认真", "及时"):
        return True
    # 加强督导, …的督导检查, …资金支持; not 加大资金支持力度 (支持 inside the object)
    return index == 2 or (index > 0 and measure[index + len(keyword):] in ("", "工作", "检查", "指导", "职责"))


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    return [p for p in split_outside_brackets(text, separator) if p]


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate(text):
        if ch == "“":
            start = i
        elif ch == "”" and start is not None:
            spans.append((start, i))
            start = None
    return spans


def _quoted_tokens(tokens: Sequence[Token]) -> set[int]:
    inside, depth = set(), 0
    for i, token in enumerate(tokens):
        if "“" in token.text:
            depth += 1
        elif "”" in token.text:
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside
