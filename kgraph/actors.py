"""Recognise actor names and lists of actors, and give their canonical names.

An actor is recognised from the lexicon (exact names and abbreviations, with
an optional place/level prefix such as 市/县/xx市) or by a productive pattern:
an optional determiner (各, 各级, 有关 …) + a noun phrase ending in an
organisational, post or collective head (…局, …委员会, …领导小组, …干部,
…人员). Lists (A、B和C, A与B, A等部门) are split into one actor each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .segment import split_outside_brackets
from .lexicon import Lexicon
from .memo import Memo

# Characters an actor name may contain: CJK, brackets, and the placeholders
# real texts carry (xx市, ***局, ○○县).
_NAME_CHARS = re.compile(r"^[\u3400-\u9fffA-Za-z0-9()（）*×○＊“”]+$")  # 村“两委”干部
_PAREN = re.compile(r"[（(][^（()）]{1,8}[)）]")
_PLACEHOLDER_PLACE = re.compile(r"^(?:[xX×○*＊]{1,4}|某{1,2})[省市县区州旗镇乡]?")
_PLACE_NAME = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|自治州|州|盟|县|区|旗|镇|乡|街道)")
_COORDINATORS = ("以及", "特别是", "尤其是", "、", "，", ",", "和", "与", "及", "同", "或", "暨")
_PLACE_LEVEL_END = re.compile(r"(?:省|自治区|市|自治州|州|盟|县|区|旗|镇|乡|街道)$")
_PLACE_LEVELS = re.compile(r"[省市县区乡镇村旗州]+|乡镇|街道|社区")
_COORDINATOR_PATTERN = re.compile("|".join(re.escape(w) for w in _COORDINATORS))
_MODAL_STARTS = ("要", "必须", "须", "务必", "不得", "严禁", "禁止")
_NAME_PLACEHOLDER_AFTER = re.compile(r"(?:[*＊×xX○]{2,}|某某?|XX|xx)(?:同志)?$")
# jieba tags many common words as person names (养老, 纪检监察): a name starts with a common surname
_COMMON_SURNAMES = frozenset(
    "习王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
# heads that alone name nobody in particular (居民, 企业, 部门, 楼栋长 alone do name someone)
_BARE_NOBODY = frozenset(("人员", "工作人员", "对象", "主体", "领导", "干部", "同志", "负责人", "责任人", "成员",
                          "班子", "领导班子", "委员", "专员"))
_SHORT_NAME_NOTE = re.compile(r"[（(](?:以下)?简称[^（()）]{1,20}[)）]")
_PERSON_POST = re.compile(r"^[\u4e00-\u9fff]{2,3}同志$")
# a date or deadline (6月底前, 2025年, 每季度): bodies are not named by them
_DATE = re.compile(r"[0-9０-９一二三四五六七八九十]+[年月日]|[年月季]底|[年月日]前|季度|上半年|下半年|每(?:日|天|周|月|年|半年|半月|旬)"
                   r"|[0-9０-９一二两三四五六七八九十]+名")  # 街道每半年组织社区…, 网格配备1名网格长: clauses
_ROLE_WORDS = re.compile("会同|协同|联合")
_WORD_COORDINATOR = re.compile("以及|特别是|尤其是|和|与|及|同|或")
MAX_NAME_LENGTH = 20


@dataclass(frozen=True)
class ActorName:
    surface: str  # as written, scope words dropped (全县各级各部门 -> 各级各部门)
    canonical: str
    kind: str
    weak: bool = False  # a place or private persons: a duty only with an explicit modal


# jieba tags a productive actor name may start with: nouns, abbreviations, distinguishing words
# (县级), place names, unknown words; never verbs, adverbs, prepositions or pronouns.
_NAME_START_TAGS = {"l", "n", "nt", "nz", "ns", "nsf", "j", "b", "s", "x", "vn", "an", "ng", "nrt", "f"}
_CAUSATIVES = {"让", "使", "请", "叫", "令", "要求", "责成", "督促", "指导", "组织", "推动", "引导", "教育",
               "教育引导", "宣传引导", "动员", "发动", "号召", "鼓励", "支持", "帮助"}
_PERSON_KINDS = ("post", "collective")
# words that never stand inside a body's name: prepositions, adverbs, pronouns, particles
_FUNCTION_TAGS = {"p", "d", "ad", "r", "u", "uj", "ul", "uz", "ug", "uv", "ud", "y", "e", "o"}


class ActorRecogniser:
    def __init__(self, lexicon: Lexicon, tagger=None):
        """`tagger(text) -> [(word, tag)]` lets the recogniser reject phrases that are not noun phrases."""
        self.lexicon = lexicon
        self.tagger = tagger
        self.names = lexicon.actors
        self.heads = sorted(lexicon.heads, key=len, reverse=True)
        self.determiners = sorted(lexicon.determiners, key=len, reverse=True)
        self.places = sorted(lexicon.places, key=len, reverse=True)
        self.scopes = sorted(lexicon.scopes, key=len, reverse=True)
        self.pronouns = lexicon.word_class("pronoun")
        self.non_actor = lexicon.word_class("non_actor")
        self._non_actor_sizes = sorted({len(word) for word in self.non_actor})
        self._plausible_places: Memo[str, bool] = Memo(self._looks_like_place)
        self._linking_verbs = lexicon.word_class("copula") | lexicon.word_class("linking")
        self.duty_verbs = lexicon.word_class("verb")
        self._long_duty_verbs = tuple(verb for verb in self.duty_verbs if len(verb) > 1)
        self.modals = tuple(cue for (cue, kind) in lexicon.cues if kind == "modal")
        self.role_verbs = {cue for (cue, kind) in lexicon.cues if kind == "verb"}
        # words that make a 的-modifier a clause of its own (县民政局负责指导…的人员)
        self._clause_words = re.compile("|".join(sorted(
            (re.escape(w) for w in self.role_verbs | set(self.modals) if len(w) > 1), key=len, reverse=True)))
        # 支持符合条件的项目…, 指导各地的…: a verb phrase around a noun, not a described actor
        self._verbs_taking_objects = tuple(self.role_verbs | {c for (c, kind) in lexicon.cues if kind == "keyword"}
                                           | {"指导", "督促", "帮助", "鼓励", "引导", "组织", "动员", "推动"})
        self.weak_heads = tuple(sorted(lexicon.word_class("weak_head"), key=len, reverse=True))
        self._head_lengths = sorted({len(h) for h in lexicon.heads}, reverse=True)
        self._name_last_chars = frozenset(
            [n[-1] for n in lexicon.actors] + [h[-1] for h in lexicon.heads] + [p[-1] for p in lexicon.places]
            + list(")）志"))
        self._classified: Memo[str, ActorName | None] = Memo(self._classify_weak, limit=100000)
        # longest first, so that a long name is protected before a shorter one inside it
        self._names_with_coordinators = sorted((n for n in self.names if any(c in n for c in "和与及同")),
                                               key=len, reverse=True)
        self._adverbs_and_prepositions = lexicon.word_class("adverb") | lexicon.word_class("preposition")

    # ------------------------------------------------------------------ single names

    def classify(self, name: str) -> ActorName | None:
        """The actor named by `name` (one name, no list), or None when it is not an actor."""
        return self._classified[name]

    def could_end_name(self, text: str) -> bool:
        """A cheap test before parsing: names end in a head, a known name or a bracket."""
        return bool(text) and text[-1] in self._name_last_chars

    def _classify_weak(self, name: str) -> ActorName | None:
        named = self._classify(name)
        person = _NAME_PLACEHOLDER_AFTER.search(name)
        if named is None and person and person.start() >= 2:
            # 分管副局长***: a post followed by the holder's name left out; the post is the actor
            post = self._classify(name[:person.start()])
            if post is not None and post.kind == "post":
                named = post
        if named is not None and _PAREN.sub("", named.surface).endswith(self.weak_heads):
            return ActorName(named.surface, named.canonical, named.kind, weak=True)
        return named

    def _classify(self, name: str) -> ActorName | None:
        name = self.strip_scope(name)
        if _unbalanced(name):
            return None  # 一)未按规定…, 上下坚持“项目: a piece cut out of a longer text
        if not name or len(name) > MAX_NAME_LENGTH or not _NAME_CHARS.match(_PAREN.sub("", name)) or name in self.lexicon.scopes:
            return None
        if name in self.pronouns or name in self.non_actor:
            return None
        bare = _PAREN.sub("", name)
        if not bare:
            return None
        if bare != name and bare in self.lexicon.places and _PLACE_LEVELS.fullmatch(name[len(bare):].strip("()（）")):
            return ActorName(name, name, "collective")  # 村（社区）, 镇（街道）: the level named both ways
        hit = self._lexicon_hit(bare)
        if hit is not None:
            return ActorName(name, hit[0], hit[1])
        determiner = self._determiner(bare)
        rest = bare[len(determiner):] if determiner else bare
        if determiner and rest:
            hit = self._lexicon_hit(rest)
            if hit is not None or rest in self.lexicon.places or _PLACE_LEVELS.fullmatch(_PAREN.sub("", rest)):
                return ActorName(name, bare, "collective")  # 各部门, 各有关单位, 各区, 各乡镇, 相关县市
            if rest in self.lexicon.heads:
                return ActorName(name, bare, "collective")  # 各督导组, 其他部门, 各有关单位
        inner = self._inner_collective(bare)
        if inner:
            return ActorName(name, bare, "collective")
        person = _PERSON_POST.match(bare)
        if person:
            return ActorName(name, bare, "post")  # 许继伟同志: a named person charged by post
        core = rest or bare
        head, kind = self._head(core)
        if kind is None:
            return None
        if self._starts_with_duty_verb(core) or core.startswith(self.modals):
            return None
        if not self._is_noun_phrase(self._without_place(core), head, kind):
            return None
        if determiner:
            kind = "collective"
        return ActorName(name, self._canonical_productive(bare), kind)

    def _lexicon_hit(self, bare: str) -> tuple[str, str] | None:
        if bare in self.names:
            return self.names[bare]
        owned = self._owned_unit(bare)
        if owned is not None:
            return owned
        for prefix_len in self._place_prefix_lengths(bare):
            rest = bare[prefix_len:]
            if rest in self.names:
                canonical, kind = self.names[rest]
                prefix = bare[:prefix_len]
                if self._is_generic_place(prefix):
                    return canonical, kind
                return prefix + canonical, kind
        return None

    def _owned_unit(self, bare: str) -> tuple[str, str] | None:
        """县委督查室, 县政府办公室: a known unit named after the body it belongs to."""
        for cut in range(2, len(bare) - 1):
            owner, unit = bare[:cut], bare[cut:]
            if unit in self.names and self._all_bodies(owner):
                return bare, self.names[unit][1]
        return None

    def _is_owner(self, owner: str) -> bool:
        return (owner in self.lexicon.places or owner in self.lexicon.determiners or self._is_generic_place(owner)
                or self.names.get(owner, ("", ""))[1] == "organisation")

    def _all_bodies(self, text: str) -> bool:
        """县委县政府: consecutive body names with nothing between them."""
        if text in self.names:
            return self.names[text][1] == "organisation"
        return any(text[:cut] in self.names and self.names[text[:cut]][1] == "organisation"
                   and self._all_bodies(text[cut:]) for cut in range(2, len(text) - 1))

    def _place_prefix_lengths(self, bare: str) -> list[int]:
        lengths = []
        match = _PLACEHOLDER_PLACE.match(bare)
        if match and match.end() < len(bare):
            lengths.append(match.end())
        for place in self.places:
            if bare.startswith(place) and len(place) < len(bare):
                lengths.append(len(place))
        match = _PLACE_NAME.match(bare)
        if match and match.end() < len(bare) and self._plausible_place(match.group(0)):
            lengths.append(match.end())
        return sorted(set(lengths))

    def _plausible_place(self, place: str) -> bool:
        """郑州市, 和平区: a place name; 通过县…, 及时向市…, 报市…, 考核结果经市…: words before a level."""
        return self._plausible_places[place]

    def _looks_like_place(self, place: str) -> bool:
        if place in self.lexicon.scopes or place in self.lexicon.places:
            return True
        core = _PLACE_LEVEL_END.sub("", place)
        if len(core) < 2:
            return False
        if self.tagger is None:
            return True
        return not any(tag[:1] in ("p", "d", "c", "u", "r") or word in self._adverbs_and_prepositions
                       for word, tag in self.tagger(core))

    def _is_generic_place(self, prefix: str) -> bool:
        return prefix in self.lexicon.places or bool(_PLACEHOLDER_PLACE.fullmatch(prefix))

    def _determiner(self, bare: str) -> str:
        for determiner in self.determiners:
            if bare.startswith(determiner) and len(bare) > len(determiner):
                return determiner
        return ""

    def _inner_collective(self, bare: str) -> bool:
        """县直各有关部门, 国务院各部委, 各级各相关部门: an owner or level, a determiner, then units."""
        for determiner in self.determiners:
            index = bare.find(determiner, 1)
            if index <= 0:
                continue
            owner, units = bare[:index], bare[index + len(determiner):]
            owner_ok = self._is_owner(owner) or (
                owner.startswith("各") and self._is_owner(owner[1:]))  # 各县各部门
            units_ok = units in self.names or units in self.lexicon.heads or (
                self._head_kind(units) is not None and len(units) <= 6)
            if owner_ok and units_ok:
                return True
        return False

    def _head(self, bare: str) -> tuple[str, str | None]:
        for length in self._head_lengths:
            head = bare[-length:]
            if len(bare) >= length and head in self.lexicon.heads:
                if len(bare) == len(head) and (len(head) < 2 or head in _BARE_NOBODY):
                    return head, None  # 领导, 干部, 人员 alone name nobody (lexicon posts are found before)
                if bare[:-len(head)] and bare[:-len(head)][-1:] in "的之":
                    return head, None
                if any(bare[-size:] in self.non_actor for size in self._non_actor_sizes if size > len(head)):
                    return head, None  # 核酸实验室, 会议室: a head inside a word that names no actor
                return head, self.lexicon.heads[head]
        return "", None

    def _head_kind(self, bare: str) -> str | None:
        return self._head(bare)[1]

    def _without_place(self, core: str) -> str:
        """县公安交警大队 -> 公安交警大队: the name without a generic place/level prefix."""
        for prefix_len in sorted(self._place_prefix_lengths(core), reverse=True):  # 县级 before 县
            if self._is_generic_place(core[:prefix_len]) and len(core) - prefix_len >= 2:
                return core[prefix_len:]
        return core

    def _is_noun_phrase(self, core: str, head: str, kind: str) -> bool:
        """A productive name is a noun phrase, not a clause: it starts with a noun-like word, names no
        person, has no preposition, adverb or pronoun inside (按照年度工作会, 疫情对公司), no modal or duty
        verb (财政局负责…所, 有序推动各类生产企业), and does not start with a whole body name followed by
        a verb (宣传部组织新闻工作者…). People named by what they do (值班人员) may start with a verb."""
        if self.tagger is None:
            return True
        words = [(w, "n" if t.startswith("nr") and w[0] not in _COMMON_SURNAMES else t)
                 for w, t in self.tagger(_PAREN.sub("", core)) if w.strip()]
        if not words:
            return False
        if words[-1][0] in self.non_actor or words[-1][0] in self.pronouns:
            return False
        if len(words) == 1:
            return True  # one dictionary word ending in the head (值班人员, 派出所)
        if any(t.startswith("nr") and len(w) > 1 for w, t in words):
            return False
        if _DATE.search(core) or any(w in self._linking_verbs for w, _ in words):
            return False  # 考核结果作为干部…, 办公室设在县农业农村局, 6月底前报县政府: clauses, not names
        first_word, first_tag = words[0]
        if first_word in _CAUSATIVES or first_word in self._adverbs_and_prepositions:
            return False
        if first_tag == "l" and (first_word.startswith(self._long_duty_verbs)
                                 or self.tagger(first_word[:2])[0][1] in ("v", "ad")):
            return False  # 明确责任科室: a fixed verb phrase (自然资源所 starts with a fixed noun phrase)
        # people named by what they do: 值班人员, 来市返市人员, 赴外省出差职工
        verb_start_ok = first_tag in ("v", "vn") and len(core) <= 8 and (kind in _PERSON_KINDS or len(head) >= 2) \
            and all(t.startswith(("n", "v", "j", "b", "s")) for _, t in words[1:])  # 复工复产企业
        # jieba tags some nouns as adverbs (自然 in 自然保护地管理机构); a real adverb is followed by a verb
        noun_after_adverb_tag = first_tag == "d" and words[1][1].startswith("n")
        if verb_start_ok and first_tag == "v" and len(words[1][0]) > 1:
            # 接受教职工, 聘请社会监督员: a verb and the people it takes as object (包案领导 is a name)
            rest = self.classify(core[len(first_word):])
            verb_start_ok = rest is None or rest.kind == "organisation"
        if first_tag not in _NAME_START_TAGS and first_word not in self.names and not verb_start_ok \
                and not noun_after_adverb_tag and not _PLACEHOLDER_PLACE.match(core):
            return False
        position = 0
        for index, (word, tag) in enumerate(words):
            if index and tag in _FUNCTION_TAGS and word not in self.lexicon.determiners \
                    and not (index == len(words) - 1 and word == head):
                return False  # (自然资源所: 所 is the head, not the particle)
            if word in self.modals or word in self.role_verbs or (word.startswith(_MODAL_STARTS) and word not in self.names):
                return False  # 党员干部要带头…: a subject and its modal, not a name
            if tag.startswith("v") and index + 2 < len(words) and words[index + 1][0] in self.names:
                return False  # 遵守省委、省政府…: a verb and its object (救治医院 is a name)
            if tag.startswith("v") and index + 1 < len(words) and words[index + 1][0] in self.lexicon.determiners:
                return False  # 推动各类生产企业: a verb with its object
            if index and tag.startswith("v") and (core[:position] in self.names or (
                    self._is_weak(core) and self._head_kind(core[:position]) is not None)):
                return False  # 宣传部组织新闻工作者…, 人员出入公共场所: a subject and its predicate
            position += len(word)
        return True

    def _is_weak(self, name: str) -> bool:
        return name.endswith(self.weak_heads)

    def _starts_with_duty_verb(self, bare: str) -> bool:
        """加强组织领导, 落实工作责任人: a duty, not a name (分包干部 is a name: 分包 is a noun there)."""
        if self.tagger is not None:
            word, tag = next(iter(self.tagger(bare)), ("", ""))
            # 深化…: jieba tags some duty verbs as abbreviations (j) or adjectives; 分包干部: a noun there
            return word in self.duty_verbs and not tag.startswith("n") and len(bare) > len(word) + 1
        return any(bare.startswith(verb) and len(bare) > len(verb) + 1 for verb in self.duty_verbs)

    def _canonical_productive(self, bare: str) -> str:
        for prefix_len in self._place_prefix_lengths(bare):
            prefix = bare[:prefix_len]
            if self._is_generic_place(prefix) and len(bare) - prefix_len >= 2:
                return bare[prefix_len:]
        return bare

    def strip_scope(self, name: str) -> str:
        name = name.strip()
        changed = True
        while changed:
            changed = False
            for scope in self.scopes:
                if name.startswith(scope) and len(name) > len(scope):
                    rest = name[len(scope):]
                    # keep 全县各级: 各级 alone is a determiner, not a name
                    if rest in self.lexicon.determiners:
                        return name
                    name = rest
                    changed = True
                    break
        return name

    # ------------------------------------------------------------------ lists

    def parse_list(self, span: str) -> list[ActorName] | None:
        """The actors of a subject span such as `宣传部门与公安部门` or `A、B等重点场所`.

        Returns None unless every part of the span is an actor.
        """
        span = _SHORT_NAME_NOTE.sub("", span).strip()  # 分管网络安全工作的局领导（以下简称分管局领导）
        if not span or len(span) > 80 or _ROLE_WORDS.search(span):
            return None  # 国土资源部会同农业部: an actor and its partner, not a list
        if "的" in span and "、" in span[: span.rindex("的")]:
            # 林区居民、进入林区的人员: a list whose items are described one by one
            parts = split_outside_brackets(span, "、")
            items = [self.parse_list(part) for part in parts] if len(parts) > 1 else [None]
            if all(items):
                return [actor for item in items for actor in item]
        if "的" in span:
            modifier, tail = span[: span.rindex("的")], span[span.rindex("的") + 1:]
            people = self.lexicon.heads.get(tail, "organisation") != "organisation" or self._head_kind(tail) in _PERSON_KINDS
            if people and 2 <= len(modifier) <= 8 \
                    and _NAME_CHARS.match(modifier) and not modifier.startswith(("对", "为", "从", "在", "向", "把", "将")):
                return [ActorName(span, span, "collective", weak=True)]  # 进入林区的人员: people described
            if modifier.startswith(("对", "为", "向", "把", "将")) or self._starts_with_duty_verb(modifier + "的") \
                    or modifier.startswith(self._verbs_taking_objects) \
                    or (len(modifier) > 12 and self._head_kind(tail) == "organisation") \
                    or self._clause_words.search(modifier):
                return None  # 对工作不力的单位提请…, 支持符合条件的项目…: a phrase around the noun, not a subject
            span = tail
        shared = self._shared_head_list(span) or self._shared_owner_list(span)
        if shared is not None:
            return [shared]
        whole = self.classify(span)
        parts = self._split(span)
        if not parts:
            return None
        starts_with_verb = span.startswith(self._long_duty_verbs)  # 规范学校…和政府
        if whole is not None and not starts_with_verb and (len(parts) <= 1 or not all(self.classify(p) for p in parts)):
            # one name, or a list whose parts are no names on their own (乡级、村级河湖长, 各县、市、区政府,
            # 文化和旅游行政部门)
            return [whole]
        last = parts[-1]
        category = self._category_tail(last)
        if category:
            head = last[: -len(category)].rstrip("等")
            items = parts[:-1] + ([head] if head else [])
            named = [self.classify(p) for p in items]
            if items and all(named):
                return [n for n in named if n]
            # 县水利、应急、住建等成员单位: the parts are no names, the list with its category is one actor
            domains = all(len(p) <= 6 and not self._starts_with_duty_verb(p + "工作") for p in items)
            if not domains or self._head_kind(last) != "organisation":
                return None
            return [ActorName(span, span, "collective", weak=self._is_weak(span))]
        named = [self.classify(p) for p in parts]
        if all(named):
            return [n for n in named if n]
        return None

    def _shared_head_list(self, span: str) -> ActorName | None:
        """各县、市、区政府 / 各省、自治区、直辖市人民政府: places listed before one shared head."""
        parts = _PAREN.sub("", span).split("、")
        if len(parts) < 2 or any(not p for p in parts):
            return None
        head, kind = self._head(parts[-1])
        named_tail = next((parts[-1][i:] for i in range(1, len(parts[-1]) - 1) if parts[-1][i:] in self.names), "")
        if len(named_tail) > len(head):
            head, kind = named_tail, self.names[named_tail][1]  # 乡级、村级河湖长: the shared head is a known name
        if kind is None:
            named = self.classify(parts[-1])
            if named is None:
                return None
            for place in sorted(self.lexicon.places, key=len, reverse=True):
                if parts[-1].startswith(place) and len(parts[-1]) > len(place):
                    head = parts[-1][len(place):]
                    break
            else:
                return None
        places = parts[:-1] + [parts[-1][: len(parts[-1]) - len(head)]]
        for place in places:
            bare = place[1:] if place.startswith("各") else place
            if not (bare in self.lexicon.places or _PLACE_LEVELS.fullmatch(bare)):
                return None
        return ActorName(span, span, "collective")

    def _shared_owner_list(self, span: str) -> ActorName | None:
        """各乡镇党委、政府, 地方各级党委和政府: bodies listed after one owner or place, which the later
        ones share."""
        parts = re.split("、|和|与|及", span)
        if len(parts) < 2 or not all(parts):
            return None
        first = self.classify(parts[0])
        owner_named = self._determiner(parts[0]) or self._place_prefix_lengths(parts[0]) or any(
            word in parts[0] for word in self.lexicon.determiners if len(word) > 1)  # 地方各级党委和政府
        if first is None or not owner_named:
            return None
        later_bare = all(p in self.lexicon.word_class("generic_body") for p in parts[1:])
        return ActorName(span, span, "collective") if later_bare else None

    def _category_tail(self, part: str) -> str:
        if "等" not in part:
            return ""
        tail = part[part.rindex("等") + 1:]
        if not tail:
            return ""
        if tail in self.lexicon.categories or self._head_kind(tail):
            return tail
        return ""

    def _split(self, span: str) -> list[str]:
        """Split at coordinators (、 和 与 及 …) outside brackets and outside lexicon names.

        With a tagger, a coordinator must be a word of its own: 及 in 及时 or 和 in 和谐 is not one.
        """
        if not _WORD_COORDINATOR.search(span):
            protected, boundaries = [], None  # only 、，, to split at: no need to look at words
        else:
            protected = self._protected_ranges(span)
            boundaries = self._word_starts(span)
        depth, depths = 0, []
        for ch in span:
            depth = depth + 1 if ch in "（(" else max(0, depth - 1) if ch in "）)" else depth
            depths.append(depth)
        parts: list[str] = []
        start = 0
        for match in _COORDINATOR_PATTERN.finditer(span):
            i, word = match.start(), match.group(0)
            if i < start or depths[i] or any(a <= i < b for a, b in protected):
                continue
            if word in "、，," or boundaries is None or (i in boundaries and match.end() in boundaries):
                parts.append(span[start:i])
                start = match.end()
        parts.append(span[start:])
        parts = [p.strip() for p in parts]
        merged: list[str] = []
        for part in parts:
            if not part:
                continue
            # 市直各委、办、局: one-character parts belong to the list before them
            if merged and len(part) == 1:
                merged[-1] = merged[-1] + "、" + part
            else:
                merged.append(part)
        return merged

    def _word_starts(self, span: str) -> set[int] | None:
        if self.tagger is None:
            return None
        starts, position = set(), 0
        for word, _ in self.tagger(span):
            starts.add(position)
            position += len(word)
        starts.add(position)
        return starts

    def _protected_ranges(self, span: str) -> list[tuple[int, int]]:
        """Where known names that contain a coordinator (住房和城乡建设局) stand in `span`."""
        ranges = []
        for name in self._names_with_coordinators:
            index = span.find(name)
            while index >= 0:
                if not any(a <= index < b or a < index + len(name) <= b for a, b in ranges):
                    ranges.append((index, index + len(name)))
                index = span.find(name, index + 1)
        return ranges

    def canonical(self, surface: str) -> tuple[str, str]:
        """(canonical name, kind) of a surface form; the surface itself when unknown."""
        named = self.classify(surface)
        if named is None:
            return surface, "organisation"
        return named.canonical, named.kind


_OPENERS, _CLOSERS = "（(“", "）)”"


def _unbalanced(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0
