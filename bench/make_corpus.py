"""Make N MB of realistic input for the benchmarks from the documents bundled with kgraph.

    .venv/bin/python bench/make_corpus.py --mb 10 -o /tmp/kgraph-bench/corpus-10mb [--seed 1]

Sources: the sample corpus (data/corpus/*.txt: meeting speeches) and the genre development set
(tests/data/genres/*.txt: notices, 实施方案, 任务分工方案, task tables, national notices). Each generated
document has a title made from a source title, then paragraphs drawn at random from the sources
(mostly from one source document, so that genres stay recognisable; shuffled), with:
- actor names varied: a body named in the text (公安局, 市卫健委, 县应急管理局 …) is replaced, with a
  probability, by another body of the actor lexicon (data/lexicon/actors.tsv) with a place prefix
  (咸阳市交通运输局, 武功县农业农村局, 市商务局 …), the same way throughout the document;
- wording varied: common duty verbs and scope words are swapped for their usual alternatives
  (加强/强化/切实加强, 做好/抓好, 全县/全市/全区 …), years and figures changed, so that the text does not
  repeat the same few hundred paragraphs (which would let the extractor's per-process caches answer
  instead of the extractor);
- varied document ids: files `NNNNNN_<hash>.txt` in folders of 1,000.

Document sizes follow a log-normal distribution around 9 KB (1-80 KB), like a folder of notices and
speeches. The same arguments always give the same files.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "corpus", ROOT / "tests" / "data" / "genres"]
ACTORS_TSV = ROOT / "data" / "lexicon" / "actors.tsv"
FILES_PER_FOLDER = 1000

PLACES = ("咸阳市 宝鸡市 渭南市 汉中市 安康市 延安市 榆林市 铜川市 商洛市 平顶山市 滁州市 兴平市 彬州市 秦都区 渭城区 "
          "杨陵区 武功县 礼泉县 乾县 泾阳县 三原县 永寿县 长武县 旬邑县 淳化县 凤翔区 岐山县 扶风县 眉县 陇县 千阳县 "
          "麟游县 凤县 太白县 华州区 潼关县 大荔县 合阳县 澄城县 蒲城县 白水县 富平县 南郑区 城固县 洋县 西乡县 勉县 "
          "宁强县 略阳县 镇巴县 留坝县 佛坪县").split()
LEVELS = ("市", "县", "区", "省", "镇", "乡")
# A word of the sources and the words that often stand in its place in other documents.
VARIANTS = {
    "加强": ("强化", "切实加强", "进一步加强", "全面加强"),
    "做好": ("抓好", "切实做好", "认真做好", "扎实做好"),
    "落实": ("贯彻落实", "抓好落实", "严格落实"),
    "确保": ("务必确保", "保证", "切实确保"),
    "推进": ("推动", "加快推进", "稳步推进"),
    "开展": ("组织开展", "深入开展", "广泛开展"),
    "完善": ("健全", "不断完善", "进一步完善"),
    "严格": ("从严", "严肃"),
    "全县": ("全市", "全区", "全镇", "全省"),
    "各乡镇": ("各街道", "各镇（街道）", "各乡（镇）"),
    "各县区": ("各县（市、区）", "各区", "各县"),
    "疫情防控": ("防疫", "疫情处置", "防控"),
    "工作": ("任务", "各项工作"),
    "及时": ("第一时间", "迅速"),
    "重点": ("关键", "重中之重的"),
}
TITLE_TAILS = ("", "", "（第{n}号）", "（{year}年修订）", "的补充通知", "（试行）", "（征求意见稿）")


@dataclass
class CorpusStats:
    folder: str
    documents: int
    bytes: int
    paragraphs: int
    distinct_paragraphs: int
    seed: int


def source_documents() -> list[list[str]]:
    """The paragraphs (non-empty lines) of each source document."""
    documents = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            documents.append([line for line in lines if line])
    return documents


def lexicon_bodies() -> tuple[dict[str, str], list[str]]:
    """Organisation names of the actor lexicon with their canonical names (the names to vary), and the
    names to vary them with."""
    names, replacements = {}, []
    for line in ACTORS_TSV.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("name\t"):
            continue
        cells = line.split("\t")
        if len(cells) >= 3 and cells[2] == "organisation" and len(cells[0]) >= 2:
            names[cells[0]] = cells[1] or cells[0]
            if cells[0].endswith(("局", "委", "厅", "办", "部", "中心", "院", "队", "站", "所")):
                replacements.append(cells[0])
    return names, replacements or names


class Varier:
    """Rewrites the paragraphs of one document: other bodies with place prefixes, other wording, figures."""

    def __init__(self, rng: random.Random, body_rate: float = 0.6, word_rate: float = 0.35):
        self.rng = rng
        self.body_rate, self.word_rate = body_rate, word_rate
        self.canonical, self.replacements = lexicon_bodies()
        prefix = "(" + "|".join(map(re.escape, sorted(PLACES, key=len, reverse=True))) + "|[市县区省镇乡])?"
        alternatives = "|".join(map(re.escape, sorted(self.canonical, key=len, reverse=True)))
        self.body = re.compile(f"{prefix}({alternatives})")
        self.bodies = re.compile(f"(?:{prefix}(?:{alternatives}))+")  # 县委宣传部: a body and its owners
        self.words = re.compile("|".join(map(re.escape, sorted(VARIANTS, key=len, reverse=True))))
        self.figures = re.compile(r"(?<![0-9])(20[0-9]{2})年|([0-9]+(?:\.[0-9]+)?)(?=%|个|人|家|次|万|亿|项|天|小时)")
        self.new_document()

    def new_document(self) -> None:
        """A document names each body one way: 公安局 becomes the same other body, written the same way
        (prefix and form), throughout.

        (Two forms of one body in one sentence, 市发改局、县发改局 or 市住建局、住房城乡建设局, would be
        realistic too, but `kgraph build` cannot build that yet: both get the same assignment IRI.)"""
        self.renamed: dict[str, str] = {}
        self.written: dict[str, str] = {}  # canonical name -> how this document writes the body

    def _prefix(self) -> str:
        where = self.rng.random()
        return self.rng.choice(PLACES) if where < 0.45 else self.rng.choice(LEVELS) if where < 0.85 else ""

    def _body(self, chain: re.Match) -> str:
        parts = list(self.body.finditer(chain.group(0)))
        if len(parts) > 1:  # 县委宣传部, 市委市政府督查局: kept as written (other names vary)
            self.written.setdefault(chain.group(0), chain.group(0))
            return chain.group(0)
        prefix, name = parts[0].group(1) or "", parts[0].group(2)
        if name not in self.renamed:
            self.renamed[name] = self.rng.choice(self.replacements) if self.rng.random() < self.body_rate else name
        new = self.renamed[name]
        canonical = self.canonical.get(new, new)
        if canonical not in self.written:
            # a name that ends another one (宣传部, 市委宣传部) is taken for the same body, as kgraph does
            same = next((written for other, written in self.written.items()
                         if other.endswith(canonical) or canonical.endswith(other)), None)
            self.written[canonical] = same or (prefix if new == name else self._prefix()) + new
        return self.written[canonical]

    def __call__(self, paragraph: str) -> str:
        rng = self.rng
        paragraph = self.bodies.sub(self._body, paragraph)
        paragraph = self.words.sub(
            lambda m: rng.choice(VARIANTS[m.group(0)]) if rng.random() < self.word_rate else m.group(0), paragraph)
        return self.figures.sub(self._figure, paragraph)

    def _figure(self, match: re.Match) -> str:
        if match.group(1):
            return f"{self.rng.randint(2015, 2026)}年"
        number = match.group(2)
        if "." in number:
            return f"{float(number) * self.rng.uniform(0.5, 1.5):.{len(number.split('.')[1])}f}"
        return str(max(1, round(int(number) * self.rng.uniform(0.5, 1.5))))


def document_sizes(rng: random.Random, median: int = 9000) -> int:
    return int(min(80_000, max(1_000, rng.lognormvariate(math.log(median), 0.8))))


def make_corpus(outdir: str | Path, mb: float, seed: int = 1) -> CorpusStats:
    """Write about `mb` megabytes (10^6 bytes of UTF-8) of documents into `outdir` (made empty first)."""
    rng = random.Random(seed)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.rglob("*.txt"):
        old.unlink()
    sources = source_documents()
    pool = [paragraph for document in sources for paragraph in document[1:]]
    vary = Varier(rng)
    target = int(mb * 1_000_000)
    total = documents = paragraphs = 0
    seen: set[bytes] = set()
    while total < target:
        base = rng.choice(sources)
        vary.new_document()
        title = vary(base[0]) + rng.choice(TITLE_TAILS).format(n=rng.randint(1, 60), year=rng.randint(2015, 2026))
        lines = [title]
        size, wanted = len(title.encode("utf-8")), min(document_sizes(rng), target - total + 200)
        order = rng.sample(base[1:], len(base) - 1) if len(base) > 1 else []
        while size < wanted:
            # mostly the base document's own paragraphs (its genre), sometimes one from anywhere
            paragraph = order.pop() if order and rng.random() < 0.8 else rng.choice(pool)
            text = vary(paragraph)
            lines.append(text)
            seen.add(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest())
            size += len(text.encode("utf-8")) + 1
        data = ("\n".join(lines) + "\n").encode("utf-8")
        digest = hashlib.sha1(data).hexdigest()[:12]
        path = outdir / f"{documents // FILES_PER_FOLDER:03d}" / f"{documents:06d}_{digest}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        total += len(data)
        documents += 1
        paragraphs += len(lines) - 1
    stats = CorpusStats(str(outdir), documents, total, paragraphs, len(seen), seed)
    (outdir / "corpus.json").write_text(json.dumps(asdict(stats), indent=1) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, required=True, help="size in MB (10^6 bytes of UTF-8 text)")
    parser.add_argument("-o", "--output", required=True, help="folder to write (its .txt files are replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    stats = make_corpus(args.output, args.mb, args.seed)
    print(f"{stats.documents} documents, {stats.bytes / 1e6:.1f} MB, {stats.paragraphs} paragraphs "
          f"({stats.distinct_paragraphs} distinct) in {stats.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
