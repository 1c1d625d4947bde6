"""Responsibility matrices: who does what, as the tables supervision offices work with.

Layouts (each a `Table`; kgraph.matrix_formats writes them as .xlsx, .csv, .md or .html):

- tasks (责任分工表): one row per measure — 序号, 重点任务, 牵头单位, 责任单位, 配合单位,
  督导单位, 完成时限, 来源 (document title and evidence sentences), 分类;
- matrix (责任矩阵): actors × measures (or × categories with `by="category"`), cells the
  role (牵头/负责/配合/督导 or L/R/S/V), actors ordered by workload, totals per actor and
  per column;
- documents (主体文件汇总): actors × documents, the number of measures each actor carries
  in each document;
- issues (待核查问题): measures with several leads, with several responsible units but no
  lead, with nobody carrying them out, or charged only to collectives; actors with
  duties in many documents.

Everything is read from the RDF graph by SPARQL (kgraph.store.open_store +
kgraph.query.select), never from extractor internals. Units appear under their
canonical names (the actor's skos:prefLabel) everywhere; `--actor` accepts the
canonical name or any surface form.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Sequence

from .model import ROLE_LABELS_ZH, ROLES, KgraphError

MATRIX_FILE = "matrix.xlsx"
LAYOUTS = ("tasks", "matrix", "documents", "issues")
LAYOUT_TITLES = {"tasks": "责任分工表", "matrix": "责任矩阵", "documents": "主体文件汇总", "issues": "待核查问题"}
BY = ("measure", "category")
ROLE_LETTERS = {"lead": "L", "responsible": "R", "support": "S", "supervise": "V"}
UNIT_COLUMNS = {"lead": "牵头单位", "responsible": "责任单位", "support": "配合单位", "supervise": "督导单位"}
TASK_HEADER = ["序号", "重点任务", *UNIT_COLUMNS.values(), "完成时限", "来源", "分类"]
KIND_LABELS = {"organisation": "机构", "post": "岗位", "collective": "集体"}
UNCATEGORISED = "未分类"
TOTAL = "合计"
FIXED_MATRIX_COLUMNS = ("责任主体", "类型", TOTAL)  # then one column per role, then the measures
UNIT_SEPARATOR = "、"
DEFAULT_MANY_DOCUMENTS = 3
_ROLE_NAMES = {**{r: r for r in ROLES}, **{v: k for k, v in ROLE_LABELS_ZH.items()},
               **{v.lower(): k for k, v in ROLE_LETTERS.items()}}

# Simple queries joined in Python: rdflib answers them much faster than one query with OPTIONALs.
Q_DUTIES = """
SELECT ?a ?m ?actor ?role ?s WHERE {
  ?a a kg:Assignment ; kg:measure ?m ; prov:agent ?actor ; prov:hadRole ?role ; prov:wasDerivedFrom ?s .
}"""
Q_DUTY_FACTS = "SELECT ?a ?p ?o WHERE { VALUES ?p { kg:actorText kg:deadline kg:negated } ?a ?p ?o }"
Q_MEASURES = "SELECT ?m ?label ?doc WHERE { ?m a kg:Measure ; rdfs:label ?label ; kg:inDocument ?doc }"
Q_SENTENCES = """
SELECT ?s ?evidence ?start WHERE {
  ?s a kg:Sentence ; oa:hasSelector ?quote , ?position . ?quote oa:exact ?evidence . ?position oa:start ?start .
}"""
Q_ACTORS = """
SELECT ?actor ?name ?kind WHERE {
  ?actor a kg:Actor ; skos:prefLabel ?name .
  OPTIONAL { ?actor a ?kind . FILTER(?kind IN (kg:Organisation, kg:Post, kg:Collective)) }
}"""
Q_ACTOR_NAMES = """
SELECT ?actor ?name WHERE { ?actor a kg:Actor . { ?actor skos:altLabel ?name } UNION { ?actor rdfs:label ?name } }"""
Q_DOCUMENTS = """
SELECT ?doc ?id ?title ?source WHERE {
  ?doc a kg:Document .
  OPTIONAL { ?doc dcterms:identifier ?id }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:source ?source }
}"""
Q_MEASURE_CATEGORIES = "SELECT ?m ?c WHERE { ?m dcterms:subject ?c }"
Q_CATEGORIES = """
SELECT ?c ?label ?notation WHERE {
  ?c a skos:Concept .
  OPTIONAL { ?c skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "zh")) }
  OPTIONAL { ?c skos:notation ?notation }
}"""


class MatrixError(KgraphError):
    pass


@dataclass
class MatrixOptions:
    """What `kgraph matrix` exports; the defaults are what `kgraph build` writes to OUTDIR/matrix.xlsx."""

    by: str = "measure"                 # matrix columns: "measure" or "category"
    letters: bool = False               # roles as L/R/S/V instead of 牵头/负责/配合/督导
    documents: Sequence[str] = ()       # identifier, title or file name; exact, else contained
    actors: Sequence[str] = ()          # canonical name or surface form; exact, else contained
    roles: Sequence[str] = ()           # lead/responsible/support/supervise, 牵头/负责/配合/督导 or L/R/S/V
    layouts: Sequence[str] = ()         # empty: all (a .csv file: tasks)
    many_documents: int = DEFAULT_MANY_DOCUMENTS  # "duties in many documents" from this many on
    # measure columns of the actor × measure matrix, the most shared first (None: all); a matrix is
    # held in memory whole, and Excel opens at most 16,384 columns
    max_columns: int | None = None


@dataclass
class MatrixReport:
    path: Path | None = None
    layouts: list[str] = field(default_factory=list)
    measures: int = 0
    actors: int = 0
    assignments: int = 0
    issues: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        issues = f", {self.issues} issues to review" if "issues" in self.layouts else ""
        return f"{self.measures} measures, {self.actors} actors, {self.assignments} assignments{issues}"


@dataclass
class Table:
    """One layout: a header row, data rows, and totals rows kept out of sorting and filtering."""

    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    totals: list[list] = field(default_factory=list)
    frozen_columns: int = 0
    note: str = ""


# ---------------------------------------------------------------- reading the graph

@dataclass(frozen=True)
class Duty:
    """One assignment as read from the graph (IRIs as strings)."""

    assignment: str
    measure: str
    actor: str
    role: str
    doc: str
    actor_text: str = ""
    deadline: str = ""
    negated: bool = False
    evidence: str = ""
    start: int = 0


@dataclass
class Actor:
    name: str
    kind: str = "organisation"
    names: set[str] = field(default_factory=set)


@dataclass
class Document:
    ident: str
    title: str
    source: str = ""


@dataclass
class MatrixData:
    duties: list[Duty] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)          # measure IRI -> label
    actors: dict[str, Actor] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)
    categories: dict[str, list[str]] = field(default_factory=dict)  # measure IRI -> category labels
    category_order: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (notation, label)


def load_matrix_data(store) -> MatrixData:
    """The assignments, actors, documents and categories of the graph in `store`, by SPARQL."""
    from .namespace import KG, KIND_CLASSES, ROLE_BY_IRI
    from .query import select

    data = MatrixData()
    kinds = {str(iri): kind for kind, iri in KIND_CLASSES.items()}
    for actor, name, kind in select(store, Q_ACTORS):
        entry = data.actors.setdefault(str(actor), Actor(str(name)))
        entry.name = min(entry.name, str(name))
        entry.names.add(str(name))
        if kind is not None:
            entry.kind = kinds[str(kind)]
    for actor, name in select(store, Q_ACTOR_NAMES):
        if str(actor) in data.actors:
            data.actors[str(actor)].names.add(str(name))
    for doc, ident, title, source in select(store, Q_DOCUMENTS):
        ident_text = _text(ident) or str(doc).rsplit("/", 1)[-1]
        data.documents[str(doc)] = Document(ident_text, _text(title) or ident_text, _text(source))
    concepts: dict[str, tuple[str, str]] = {}
    for concept, label, notation in select(store, Q_CATEGORIES):
        name = _text(label) or str(concept).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        concepts[str(concept)] = min(concepts.get(str(concept), (_text(notation), name)), (_text(notation), name))
    for m, concept in select(store, Q_MEASURE_CATEGORIES):
        notation, name = concepts.get(str(concept), ("", str(concept)))
        data.category_order[name] = (notation, name)
        if name not in data.categories.setdefault(str(m), []):
            data.categories[str(m)].append(name)
    measures = {str(m): (str(label), str(doc)) for m, label, doc in select(store, Q_MEASURES)}
    sentences = {str(s): (str(evidence), int(start)) for s, evidence, start in select(store, Q_SENTENCES)}
    facts: dict[tuple[str, str], str] = {}
    for a, predicate, value in select(store, Q_DUTY_FACTS):
        facts[str(a), str(predicate)] = min(facts.get((str(a), str(predicate)), str(value)), str(value))
    roles = {str(iri): name for iri, name in ROLE_BY_IRI.items()}
    seen: dict[str, Duty] = {}
    for a, m, actor, role, sentence in select(store, Q_DUTIES):
        a, m, actor = str(a), str(m), str(actor)
        if actor not in data.actors or str(role) not in roles or m not in measures:
            continue
        data.labels[m], doc = measures[m]
        evidence, start = sentences.get(str(sentence), ("", 0))
        duty = Duty(a, m, actor, roles[str(role)], doc, facts.get((a, str(KG.actorText)), ""),
                    facts.get((a, str(KG.deadline)), ""), facts.get((a, str(KG.negated))) == "true", evidence, start)
        if a not in seen or (duty.start, duty.evidence) < (seen[a].start, seen[a].evidence):
            seen[a] = duty
        data.actors[actor].names.add(duty.actor_text)
    data.duties = sorted(seen.values(), key=lambda d: (d.doc, d.start, _position(d.actor_text, d.evidence),
                                                       ROLES.index(d.role), d.actor, d.measure))
    for measure_categories in data.categories.values():
        measure_categories.sort(key=lambda name: data.category_order[name])
    return data


def _text(term) -> str:
    return "" if term is None else str(term)


# ---------------------------------------------------------------- choosing what to export

def select_duties(data: MatrixData, options: MatrixOptions) -> tuple[list[Duty], list[Duty], list[str]]:
    """(duties of the --doc documents, those of them that also pass --actor and --role, notes on what was kept)."""
    duties, notes = data.duties, []
    if options.documents:
        docs = _match(options.documents, "document", {
            iri: {doc.ident, doc.title, doc.source, Path(doc.source).name, Path(doc.source).stem} - {""}
            for iri, doc in data.documents.items()})
        duties = [d for d in duties if d.doc in docs]
        notes.append("只含文件：" + UNIT_SEPARATOR.join(sorted(data.documents[d].title for d in docs)))
    selected = duties
    if options.roles:
        roles = {_role(name) for name in options.roles}
        selected = [d for d in selected if d.role in roles]
        notes.append("只含角色：" + UNIT_SEPARATOR.join(ROLE_LABELS_ZH[r] for r in ROLES if r in roles))
    if options.actors:
        actors = _match(options.actors, "actor", {iri: actor.names - {""} for iri, actor in data.actors.items()})
        selected = [d for d in selected if d.actor in actors]
        notes.append("只含责任主体：" + UNIT_SEPARATOR.join(sorted(data.actors[a].name for a in actors)))
    if options.roles or options.actors:
        notes.append("责任分工表和待核查问题列出所选措施的全部单位")
    return duties, selected, notes


def _role(name: str) -> str:
    role = _ROLE_NAMES.get(name.strip().lower())
    if role is None:
        raise MatrixError(f"unknown role {name!r}; use one of {', '.join(ROLES)} "
                          f"(or {'/'.join(ROLE_LABELS_ZH.values())}, {'/'.join(ROLE_LETTERS.values())})")
    return role


def _match(wanted: Sequence[str], what: str, names: dict[str, set[str]]) -> set[str]:
    """IRIs one of whose names equals a wanted name, else contains it; an error names close matches."""
    found: set[str] = set()
    for name in wanted:
        name = name.strip()
        matches = ({iri for iri, n in names.items() if name in n}
                   or {iri for iri, n in names.items() if name and any(name in x for x in n)})
        if not matches:
            close = difflib.get_close_matches(name, sorted(set().union(*names.values())), n=5, cutoff=0.3)
            hint = f"; similar: {', '.join(close)}" if close else ""
            raise MatrixError(f"no {what} named {name!r} in the graph{hint}")
        found |= matches
    return found


# ---------------------------------------------------------------- the layouts

@dataclass
class _Measure:
    iri: str
    label: str
    doc: str
    number: int = 0
    duties: list[Duty] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def units(self, role: str, data: MatrixData) -> list[str]:
        """Canonical names of the actors with `role`, in the order the text names them."""
        names: list[str] = []
        for duty in self.duties:
            name = data.actors[duty.actor].name
            if duty.role == role and name not in names:
                names.append(name)
        return names


def _measures(selected: Sequence[Duty], duties: Sequence[Duty], data: MatrixData) -> list[_Measure]:
    """The measures of `selected`, each with all its `duties`, in document order (document, evidence).

    They are numbered among all the measures of `duties`, so a 序号 stays the same whatever --actor and --role keep.
    """
    measures: dict[str, _Measure] = {}
    for duty in duties:
        entry = measures.get(duty.measure)
        if entry is None:
            entry = measures[duty.measure] = _Measure(duty.measure, data.labels[duty.measure], duty.doc,
                                                      categories=data.categories.get(duty.measure, []))
        entry.duties.append(duty)
    ordered = sorted(measures.values(), key=lambda m: (
        data.documents[m.doc].ident if m.doc in data.documents else m.doc, m.duties[0].start,
        _position(m.label, m.duties[0].evidence), m.label, m.iri))
    for number, measure in enumerate(ordered, start=1):
        measure.number = number
    wanted = {duty.measure for duty in selected}
    return [measure for measure in ordered if measure.iri in wanted]


def _position(label: str, evidence: str) -> int:
    """Where the measure's wording starts in its evidence sentence (the order of measures of one sentence)."""
    index = evidence.find(label)
    return index if index >= 0 else len(evidence)


def _role_name(role: str, letters: bool) -> str:
    return ROLE_LETTERS[role] if letters else ROLE_LABELS_ZH[role]


def _document_title(data: MatrixData, doc: str) -> str:
    return data.documents[doc].title if doc in data.documents else doc


def task_table(measures: Sequence[_Measure], data: MatrixData) -> Table:
    rows = []
    for m in measures:
        deadlines: list[str] = []
        evidence: list[str] = []
        for duty in m.duties:
            if duty.deadline and duty.deadline not in deadlines:
                deadlines.append(duty.deadline)
            if duty.evidence and duty.evidence not in evidence:
                evidence.append(duty.evidence)
        source = _document_title(data, m.doc) + ("：" + "\n".join(evidence) if evidence else "")
        rows.append([m.number, m.label, *(UNIT_SEPARATOR.join(m.units(r, data)) for r in UNIT_COLUMNS),
                     "；".join(deadlines), source, UNIT_SEPARATOR.join(m.categories)])
    return Table("tasks", LAYOUT_TITLES["tasks"], list(TASK_HEADER), rows, note=(
        "每行一项措施（重点任务），按文件和原文顺序编号；单位用规范名称（图中 skos:prefLabel），多个单位以“、”分隔；"
        "来源为文件标题和依据原文。"))


def _workload(duties: Sequence[Duty]) -> dict[str, dict[str, set[str]]]:
    """actor IRI -> role -> measure IRIs."""
    load: dict[str, dict[str, set[str]]] = {}
    for duty in duties:
        load.setdefault(duty.actor, {}).setdefault(duty.role, set()).add(duty.measure)
    return load


def _actors_by_workload(duties: Sequence[Duty], data: MatrixData) -> list[tuple[str, set[str], dict[str, set[str]]]]:
    """(actor IRI, its measures, its measures by role), most measures first, then most leads, then name."""
    rows = []
    for actor, by_role in _workload(duties).items():
        measures = set().union(*by_role.values())
        rows.append((actor, measures, by_role))
    rows.sort(key=lambda r: (-len(r[1]), -len(r[2].get("lead", ())), data.actors[r[0]].name, r[0]))
    return rows


def matrix_table(measures: Sequence[_Measure], duties: Sequence[Duty], data: MatrixData,
                 by: str = "measure", letters: bool = False, max_columns: int | None = None) -> Table:
    roles_of: dict[str, dict[str, list[str]]] = {}  # actor -> measure -> roles
    for duty in duties:
        roles = roles_of.setdefault(duty.actor, {}).setdefault(duty.measure, [])
        if duty.role not in roles:
            roles.append(duty.role)
    if by == "category":
        columns = _category_columns(measures, data)
    else:
        actors_on: dict[str, int] = {}
        for own in roles_of.values():
            for measure in own:
                actors_on[measure] = actors_on.get(measure, 0) + 1
        ranked = sorted(measures, key=lambda m: (-actors_on.get(m.iri, 0), m.number))
        columns = [(f"{m.number}. {m.label}", [m]) for m in ranked]
    left_out = len(columns) - max_columns if max_columns is not None and len(columns) > max_columns else 0
    if left_out:
        columns = columns[:max_columns]  # cut before the rows are made: rows × columns cells are held at once
    where: dict[str, list[int]] = {}  # measure -> its column(s)
    for index, (_, members) in enumerate(columns):
        for m in members:
            where.setdefault(m.iri, []).append(index)
    header = [*FIXED_MATRIX_COLUMNS, *(_role_name(r, letters) for r in ROLES), *(name for name, _ in columns)]
    rows, column_totals = [], [0] * len(columns)
    ranked_actors = _actors_by_workload(duties, data)
    for actor, own, by_role in ranked_actors:
        per_column: dict[int, list[list[str]]] = {}
        for measure, roles in roles_of[actor].items():
            for index in where.get(measure, ()):
                per_column.setdefault(index, []).append(roles)
                column_totals[index] += 1
        cells = [""] * len(columns)
        for index, role_lists in per_column.items():
            cells[index] = _matrix_cell(role_lists, by, letters)
        rows.append([data.actors[actor].name, KIND_LABELS.get(data.actors[actor].kind, ""), len(own),
                     *(len(by_role.get(r, ())) or "" for r in ROLES), *cells])
    role_totals = [sum(len(by_role.get(r, ())) for _, _, by_role in ranked_actors) for r in ROLES]
    totals = [[TOTAL, "", sum(len(own) for own in roles_of.values()), *role_totals, *column_totals]]
    what = ("措施分类（一项措施可属多个分类，未命中任何关键词的归入“未分类”），按措施数排序" if by == "category"
            else "措施（列名为责任分工表的序号和措施），按涉及的责任主体数排序")
    note = (f"行：责任主体（规范名称），按任务量（措施数）排序；列：{what}。"
            f"单元格为角色{'（L 牵头、R 负责、S 配合、V 督导）' if letters else ''}"
            f"{'及措施数' if by == 'category' else ''}；“{TOTAL}”列为该主体的措施数，“{TOTAL}”行为该列的主体-措施对数。")
    if left_out:
        note += (f"只列出涉及主体最多的前 {len(columns)} 列，另有 {left_out} 列未列出；"
                 "全部列请用 --by category、--doc、--actor 缩小范围，或用 kgraph matrix 写成 .html/.csv。")
    return Table("matrix", LAYOUT_TITLES["matrix"], header, rows, totals, frozen_columns=1, note=note)


def _category_columns(measures: Sequence[_Measure], data: MatrixData) -> list[tuple[str, list[_Measure]]]:
    groups: dict[str, list[_Measure]] = {}
    for m in measures:
        for name in m.categories or [UNCATEGORISED]:
            groups.setdefault(name, []).append(m)
    return sorted(groups.items(), key=lambda item: (
        item[0] == UNCATEGORISED, -len(item[1]), data.category_order.get(item[0], ("", item[0]))))


def _matrix_cell(role_lists: Sequence[list[str]], by: str, letters: bool) -> str:
    if by != "category":
        roles = role_lists[0] if role_lists else []
        return UNIT_SEPARATOR.join(_role_name(r, letters) for r in ROLES if r in roles)
    counts = {r: sum(1 for roles in role_lists if r in roles) for r in ROLES}
    return UNIT_SEPARATOR.join(f"{_role_name(r, letters)}{counts[r]}" for r in ROLES if counts[r])


def documents_table(duties: Sequence[Duty], data: MatrixData) -> Table:
    docs = sorted({d.doc for d in duties}, key=lambda doc: (data.documents[doc].ident if doc in data.documents
                                                           else doc))
    titles = [_document_title(data, doc) for doc in docs]
    headers = [t if titles.count(t) == 1 else f"{t}（{data.documents[doc].ident}）" for t, doc in zip(titles, docs)]
    per_doc: dict[tuple[str, str], set[str]] = {}
    for duty in duties:
        per_doc.setdefault((duty.actor, duty.doc), set()).add(duty.measure)
    rows = []
    for actor, own, _ in _actors_by_workload(duties, data):
        counts = [len(per_doc.get((actor, doc), ())) for doc in docs]
        rows.append([data.actors[actor].name, KIND_LABELS.get(data.actors[actor].kind, ""), len(own),
                     sum(1 for c in counts if c), *(c or "" for c in counts)])
    measures_of_doc: dict[str, set[str]] = {}
    for duty in duties:
        measures_of_doc.setdefault(duty.doc, set()).add(duty.measure)
    measures_per_doc = [len(measures_of_doc[doc]) for doc in docs]
    totals = [[TOTAL, "", len({d.measure for d in duties}), len(docs), *measures_per_doc]]
    return Table("documents", LAYOUT_TITLES["documents"], ["责任主体", "类型", TOTAL, "文件数", *headers], rows,
                 totals, frozen_columns=1, note=(
                     "每个责任主体在每个文件中承担的措施数；“文件数”为它有职责的文件数，“合计”行为各文件的措施数。"))


ISSUE_SEVERAL_LEADS = "多个牵头单位"
ISSUE_NO_LEAD = "有多个责任单位但无牵头单位"
ISSUE_NO_OWNER = "无牵头或责任单位（只有配合、督导）"
ISSUE_COLLECTIVE_ONLY = "责任主体为泛指集体"
ISSUE_MANY_DOCUMENTS = "在多个文件中有职责"


def issues_table(measures: Sequence[_Measure], duties: Sequence[Duty], data: MatrixData,
                 many_documents: int = DEFAULT_MANY_DOCUMENTS) -> Table:
    """Checks users ask for, grouped by check; see the README (matrices and categories) for what each looks at."""
    found: dict[str, list[list]] = {name: [] for name in (ISSUE_SEVERAL_LEADS, ISSUE_NO_LEAD, ISSUE_NO_OWNER,
                                                          ISSUE_COLLECTIVE_ONLY, ISSUE_MANY_DOCUMENTS)}
    for m in measures:
        def add(issue: str, detail: str) -> None:
            found[issue].append([issue, m.number, m.label, detail, _document_title(data, m.doc)])

        leads, responsible = m.units("lead", data), m.units("responsible", data)
        if len(leads) > 1:
            add(ISSUE_SEVERAL_LEADS, "牵头单位：" + UNIT_SEPARATOR.join(leads))
        if not leads and len(responsible) > 1:
            add(ISSUE_NO_LEAD, "责任单位：" + UNIT_SEPARATOR.join(responsible))
        if not leads and not responsible:
            add(ISSUE_NO_OWNER, "；".join(f"{UNIT_COLUMNS[r]}：{UNIT_SEPARATOR.join(m.units(r, data))}"
                                         for r in ("support", "supervise") if m.units(r, data)))
        carriers = {d.actor for d in m.duties if d.role in ("lead", "responsible")}
        if carriers and all(data.actors[a].kind == "collective" for a in carriers):
            add(ISSUE_COLLECTIVE_ONLY, "仅有：" + UNIT_SEPARATOR.join(leads + responsible))
    threshold = max(many_documents, 2)
    spread: dict[str, set[str]] = {}
    for duty in duties:
        spread.setdefault(duty.actor, set()).add(duty.doc)
    wide = [(actor, own) for actor, own, _ in _actors_by_workload(duties, data) if len(spread[actor]) >= threshold]
    for actor, own in sorted(wide, key=lambda item: -len(spread[item[0]])):  # most documents, then workload
        docs = spread[actor]
        found[ISSUE_MANY_DOCUMENTS].append([
            f"{ISSUE_MANY_DOCUMENTS}（≥{threshold}个）", "", data.actors[actor].name,
            f"{len(docs)} 个文件、{len(own)} 项措施", UNIT_SEPARATOR.join(sorted(_document_title(data, d) for d in docs))])
    rows = [row for issue_rows in found.values() for row in issue_rows]
    return Table("issues", LAYOUT_TITLES["issues"], ["问题", "序号", "对象", "详情", "来源"], rows, note=(
        "“序号”指责任分工表中的序号。图中每项措施都至少有一个责任主体，"
        "所以“无责任主体”检查的是：没有牵头或负责单位、只有配合或督导单位的措施，以及只交给“各级各部门”等泛指集体的措施。"))


def build_tables(store, options: MatrixOptions | None = None) -> tuple[list[Table], MatrixReport]:
    """The layouts `options.layouts` (all when empty) of the graph in `store`."""
    options = options or MatrixOptions()
    if options.by not in BY:
        raise MatrixError(f"unknown --by {options.by!r}; use one of {', '.join(BY)}")
    layouts = _layouts(options.layouts)
    data = load_matrix_data(store)
    duties, selected, notes = select_duties(data, options)
    measures = _measures(selected, duties, data)
    tables = []
    for layout in layouts:
        if layout == "tasks":
            tables.append(task_table(measures, data))
        elif layout == "matrix":
            tables.append(matrix_table(measures, selected, data, options.by, options.letters, options.max_columns))
        elif layout == "documents":
            tables.append(documents_table(selected, data))
        else:
            tables.append(issues_table(measures, selected, data, options.many_documents))
    issues = next((len(t.rows) for t in tables if t.key == "issues"), 0)
    report = MatrixReport(None, list(layouts), len(measures), len({d.actor for d in selected}), len(selected),
                          issues, notes)
    if not selected:
        report.notes.append("no assignment matches these options: the tables are empty")
    return tables, report


def _layouts(wanted: Sequence[str]) -> list[str]:
    unknown = [w for w in wanted if w not in LAYOUTS]
    if unknown:
        raise MatrixError(f"unknown layout {unknown[0]!r}; use one of {', '.join(LAYOUTS)}")
    return [layout for layout in LAYOUTS if layout in wanted] if wanted else list(LAYOUTS)


# ---------------------------------------------------------------- entry points

def export_matrix(graph, output: str | Path | None = None, options: MatrixOptions | None = None,
                  stream: IO[str] | None = None) -> MatrixReport:
    """`kgraph matrix`: GRAPH (a graph file, build folder or Store) -> OUTPUT (format from the extension).

    With no OUTPUT the tables go to `stream` as Markdown.
    """
    from .matrix_formats import XLSX_MAX_COLUMNS, format_of, markdown_text, write_tables
    from .store import open_store

    options = options or MatrixOptions()
    fmt = format_of(output) if output is not None else "md"
    if fmt == "csv":
        if len(options.layouts) > 1:
            raise MatrixError(f"{output}: a CSV file holds one layout; pass one --layout or write .xlsx")
        options = replace(options, layouts=list(options.layouts) or ["tasks"])
    if fmt == "xlsx" and options.max_columns is None:
        options = replace(options, max_columns=XLSX_MAX_COLUMNS - len(FIXED_MATRIX_COLUMNS) - len(ROLES))
    store = graph if hasattr(graph, "select") else open_store(graph)
    tables, report = build_tables(store, options)
    if output is None:
        if stream is not None:
            stream.write(markdown_text(tables, report.notes))
        return report
    report.path = write_tables(tables, output, report.notes)
    return report


# the build's workbook is an overview: the measures most actors share; `kgraph matrix` gives them all
BUILD_MATRIX_COLUMNS = 1000


def write_build_matrix(store, outdir: str | Path) -> Path:
    """OUTDIR/matrix.xlsx of `kgraph build`, from the store of the graph it just built."""
    report = export_matrix(store, Path(outdir) / MATRIX_FILE, MatrixOptions(max_columns=BUILD_MATRIX_COLUMNS))
    assert report.path is not None
    return report.path
