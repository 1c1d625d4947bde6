#!/usr/bin/env python3
# Copied unchanged from the annotation project (shared/tools/score.py) so that the quality tests run on a clean clone.
"""Score extracted responsibility assignments against a gold file.

Usage:
    score.py GOLD.tsv PREDICTED [--verbose] [--json]

GOLD.tsv follows ../gold/GUIDELINES.md. PREDICTED is a TSV, CSV or JSON Lines
file whose records carry at least `doc`, `actor` and `measure` (and optionally
`role`); other fields are ignored. `doc` may be a path: only its file name
without extension is compared. Only documents present in the gold file count.

A prediction matches a gold line of the same document when the actors match
(equal, or one contains the other and the shorter is at least half the longer)
and the measures overlap (2*LCS/(len a + len b) >= 0.5). Matching is one to
one, best pairs first. Prints precision, recall, F1 and role accuracy over the
matched pairs; the last line is the summary.
"""
import argparse
import csv
import json
import os
import sys
import unicodedata
from collections import defaultdict

PUNCT = " \t\r\n，。；：、！？,.;:!?“”\"'‘’（）()【】[]《》<>·…—-"
MEASURE_THRESHOLD = 0.5


def norm(text):
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(text.split())
    return text.strip(PUNCT)


def doc_key(value):
    base = os.path.basename((value or "").strip())
    return os.path.splitext(base)[0] if "." in base else base


def lcs_len(a, b):
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b):
            cur.append(prev[j] + 1 if ca == cb else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def measure_sim(a, b):
    if not a or not b:
        return 0.0
    return 2.0 * lcs_len(a, b) / (len(a) + len(b))


def actor_sim(a, b):
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if short in long_ and len(short) * 2 >= len(long_):
        return len(short) / len(long_)
    return 0.0


def read_records(path):
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    if not lines:
        return []
    if lines[0].lstrip().startswith("{"):
        return [json.loads(l) for l in lines]
    dialect = "excel-tab" if "\t" in lines[0] else "excel"
    return list(csv.DictReader(lines, dialect=dialect))


def load(path):
    by_doc = defaultdict(list)
    for rec in read_records(path):
        actor, measure = norm(rec.get("actor")), norm(rec.get("measure"))
        if not actor or not measure:
            continue
        by_doc[doc_key(rec.get("doc", ""))].append(
            {"actor": actor, "measure": measure, "role": norm(rec.get("role")),
             "evidence": rec.get("evidence", "")})
    return by_doc


def match(preds, golds):
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            a = actor_sim(p["actor"], g["actor"])
            if a == 0.0:
                continue
            m = measure_sim(p["measure"], g["measure"])
            if m >= MEASURE_THRESHOLD:
                pairs.append((m + a, i, j))
    pairs.sort(reverse=True)
    used_p, used_g, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matched.append((i, j))
    return matched


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold")
    parser.add_argument("predicted")
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    gold, pred = load(args.gold), load(args.predicted)
    totals = {"gold": 0, "predicted": 0, "matched": 0, "role_known": 0, "role_right": 0}
    per_doc = {}
    for doc in sorted(gold):
        golds, preds = gold[doc], pred.get(doc, [])
        matched = match(preds, golds)
        role_known = [(i, j) for i, j in matched if preds[i]["role"]]
        role_right = [(i, j) for i, j in role_known if preds[i]["role"] == golds[j]["role"]]
        for key, value in (("gold", len(golds)), ("predicted", len(preds)), ("matched", len(matched)),
                           ("role_known", len(role_known)), ("role_right", len(role_right))):
            totals[key] += value
        per_doc[doc] = {"gold": len(golds), "predicted": len(preds), "matched": len(matched)}
        if args.verbose:
            mi = {i for i, _ in matched}
            mj = {j for _, j in matched}
            for j, g in enumerate(golds):
                if j not in mj:
                    print(f"MISS\t{doc}\t{g['actor']}\t{g['role']}\t{g['measure']}")
            for i, p in enumerate(preds):
                if i not in mi:
                    print(f"FALSE\t{doc}\t{p['actor']}\t{p['role']}\t{p['measure']}")
    p = totals["matched"] / totals["predicted"] if totals["predicted"] else 0.0
    r = totals["matched"] / totals["gold"] if totals["gold"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    role_acc = totals["role_right"] / totals["role_known"] if totals["role_known"] else 0.0
    figures = dict(totals, precision=round(p, 4), recall=round(r, 4), f1=round(f1, 4),
                   role_accuracy=round(role_acc, 4), per_doc=per_doc)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        for doc, row in per_doc.items():
            print(f"{doc}\tgold={row['gold']}\tpredicted={row['predicted']}\tmatched={row['matched']}")
    print(f"precision={p:.3f} recall={r:.3f} f1={f1:.3f} role_accuracy={role_acc:.3f} "
          f"(matched {totals['matched']} of {totals['predicted']} predicted, {totals['gold']} gold)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
