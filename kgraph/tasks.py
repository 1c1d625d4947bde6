"""Task-division markers: `（A牵头，B、C配合）`, `牵头单位：A；配合单位：B`, `责任单位：A、B`.

Plans and task-division notices state who does a task in a marker after the
task text. This module finds those markers and reads the units and roles in
them; extract.py decides which task text they belong to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .actors import ActorRecogniser
from .lexicon import Lexicon

_BRACKETED = re.compile(r"[（(]([^（()）]{2,200})[)）]")
_MAJOR_SPLIT = re.compile(r"[，,；;/／]")
# how a unit takes its share, not part of its name: 各有关部门按职责分工负责
_MANNER = re.compile(r"(?:按照?|根据|依)?(?:各自)?职责(?:分工)?$|分别$|共同$")
_DEADLINE_KEYS = ("完成时限", "完成时间", "完成期限", "整改时限", "整改期限", "办结时限", "时间节点", "时限要求", "时限")
_TRAILING_ROLE = re.compile(r"(牵头抓总|牵头负责|牵头|负责|配合|协助|协办|参与|督导|督办|承办|主办)$")
_FIRST_LEADS = re.compile(r"(?:排名|排在|列|排)?第一(?:位|个)?的?(?:单位|部门)?为牵头")
_BARE_LABEL_STEMS = ("牵头", "主责", "主办", "承办", "配合", "协办", "协助", "协同", "督导", "督办")
_OWN_ROLE = re.compile(r"[（(](牵头抓总|牵头负责|牵头|负责|配合|协助|协办|参与|督导|督办|承办|主办)[)）]$")
_ROLE_OF_TRAILING = {
    "牵头抓总": "lead", "牵头负责": "lead", "牵头": "lead", "主办": "lead",
    "负责": "responsible", "承办": "responsible",
    "配合": "support", "协助": "support", "协办": "support", "参与": "support",
    "督导": "supervise", "督办": "supervise",
}


@dataclass(frozen=True)
class MarkedUnit:
    role: str
    unit: str


@dataclass(frozen=True)
class TaskMarker:
    units: tuple[MarkedUnit, ...]
    deadline: str
    start: int  # offset of the marker in the text it was found in
    end: int


class MarkerReader:
    def __init__(self, lexicon: Lexicon, recogniser: ActorRecogniser):
        self.recogniser = recogniser
        keys = dict(lexicon.cue_words("marker"))
        # 牵头：, 责任科室：, 配合股室：: a role word and what the document calls its units
        for stem, role in lexicon.cue_words("marker_stem").items():
            # a bare stem labels units only where it cannot end a sentence's own words (…追究相关人员责任：)
            bare = ("",) if stem in _BARE_LABEL_STEMS else ()
            for unit in (*bare, *lexicon.word_class("marker_unit")):
                keys.setdefault(stem + unit, role)
        self.keys = sorted(keys, key=len, reverse=True)
        self.key_roles = keys
        self._key_pattern = re.compile(
            "(" + "|".join(re.escape(k) for k in self.keys + list(_DEADLINE_KEYS)) + r")\s*[:：]")

    def find(self, text: str) -> list[TaskMarker]:
        """All markers in a sentence: bracketed ones, and `责任单位：…` ones outside brackets."""
        markers = []
        taken: list[tuple[int, int]] = []
        for match in _BRACKETED.finditer(text):
            marker = self.read(match.group(1), match.start(), match.end())
            if marker is not None:
                markers.append(marker)
                taken.append((match.start(), match.end()))
        for match in self._key_pattern.finditer(text):
            if any(a <= match.start() < b for a, b in taken) or match.group(1) in _DEADLINE_KEYS:
                continue
            end = len(text)
            marker = self.read(text[match.start():end], match.start(), end)
            if marker is not None:
                markers.append(marker)
                taken.append((match.start(), end))
                break
        return markers

    def read(self, body: str, start: int, end: int) -> TaskMarker | None:
        """The units and roles in a marker body, or None when it is not a marker."""
        units: list[MarkedUnit] = []
        deadline = ""
        keyed = list(self._key_pattern.finditer(body))
        if keyed and keyed[0].start() > 0:
            # 市公安局牵头，市交通运输局配合；完成时限：…: role words first, then keys
            lead = self.read(body[: keyed[0].start()].strip(" ，,；;"), start, end)
            if lead is not None:
                units.extend(lead.units)
                deadline = lead.deadline
        if keyed:
            for i, match in enumerate(keyed):
                value = body[match.end(): keyed[i + 1].start() if i + 1 < len(keyed) else len(body)]
                value = value.strip(" ，,；;。")
                key = match.group(1)
                if key in _DEADLINE_KEYS:
                    deadline = value
                    continue
                role = self.key_roles[key]
                units.extend(self._with_own_role(role, u) for u in self._units(value))
        else:
            # A牵头，B、C配合；2023年底前完成
            for part in re.split(r"[，,；;]", body):
                part = part.strip()
                found = _TRAILING_ROLE.search(part)
                if found and found.start() > 0:
                    role = _ROLE_OF_TRAILING[found.group(1)]
                    names = self._units(part[: found.start()])
                    if not names:
                        return None
                    units.extend(MarkedUnit(role, u) for u in names)
                elif re.search(r"\d{4}年|月底|年底|前完成|长期|持续", part):
                    deadline = part
                elif part and units:
                    # 各区、县级市 continuing the list before it
                    units.extend(MarkedUnit(units[-1].role, u) for u in self._units(part))
                elif part:
                    return None
        if any(_FIRST_LEADS.search(u.unit) for u in units):
            # （责任单位：A、B，排名第一的为牵头单位）: the note makes the first unit the lead
            units = [u for u in units if not _FIRST_LEADS.search(u.unit)]
            if units:
                units[0] = MarkedUnit("lead", units[0].unit)
        units = [u for u in units if u.unit]
        if not units:
            return None
        return TaskMarker(tuple(units), deadline, start, end)

    @staticmethod
    def _with_own_role(role: str, unit: str) -> MarkedUnit:
        """责任单位：基金监管科（牵头）、…: a unit whose own role is given after it in brackets."""
        own = _OWN_ROLE.search(unit)
        if own is None or own.start() == 0:
            return MarkedUnit(role, unit)
        return MarkedUnit(_ROLE_OF_TRAILING[own.group(1)], unit[: own.start()].strip())

    def _units(self, value: str) -> list[str]:
        """Unit names in a marker value: lists split at ，；、 and 和/与 where each part is a unit."""
        names: list[str] = []
        for piece in _MAJOR_SPLIT.split(value):
            piece = _MANNER.sub("", piece.strip(" \u3000。."))
            piece = piece[:-1] if piece.endswith("等") else piece
            if not piece or len(piece) > 60:
                continue
            listed = self.recogniser.parse_list(piece)
            if listed is not None:
                names.extend(a.surface for a in listed)
                continue
            for part in piece.split("、"):
                part = self.recogniser.strip_scope(part.strip())
                if part and len(part) <= 30:
                    names.append(part)
        return names
