#!/usr/bin/env python3
"""Check the CASE JSON packages in frameworks/ (stdlib only).

Usage: check_frameworks.py FRAMEWORKS_DIR [SEEDS_DIR]

For each of the four packages it checks
  - the JSON itself: required fields, identifiers (valid, unique, deterministic
    uuid5, uri = "urn:uuid:" + identifier), CFDocumentURI references, item types
    defined, applicability values, formatting (2-space indent, trailing newline);
  - the tree: every item has exactly one isChildOf association whose parent
    exists, no cycles, sibling sequence numbers 1..n matching listEnumeration,
    items in depth-first document order, codes unique and well formed;
  - the framework's shape and counts (153; 151 + 6 principles; 3 key areas and
    the grading model; 30 = 3 + 20 + 7) and applicability;
  - if SEEDS_DIR is given and exists: every Statement, Principle, Key Area and
    Dimension text (and every grading level) occurs in the corresponding seed as
    a whole list item / line / quoted title, after normalising whitespace,
    bullets and markdown emphasis, and statements occur in seed order.

Prints one line per failure and a summary "N passed, M failed"; exit status 0
when nothing failed, 1 otherwise (2 on bad usage).
"""

import glob
import json
import os
import re
import sys
import uuid

NAMESPACE = uuid.UUID("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f")

# file name -> (document code, seed file prefix)
FRAMEWORKS = {
    "aspect-eip-2005.json": ("ASP05", "001_"),
    "prospect-ecs-scotland-2019.json": ("PSS19", "003_"),
    "wales-eip.json": ("WEIP", "000_"),
    "vsc-cymru-standard.json": ("VSC", "004_"),
}

DOC_FIELDS = ["identifier", "uri", "creator", "title", "lastChangeDateTime",
              "publisher", "description", "language", "version", "adoptionStatus",
              "humanCodingScheme", "frameworkType", "CFPackageURI"]
ITEM_FIELDS = ["identifier", "uri", "CFDocumentURI", "fullStatement",
               "humanCodingScheme", "listEnumeration", "CFItemType", "language",
               "lastChangeDateTime", "extensions"]
ASSOC_FIELDS = ["identifier", "uri", "associationType", "CFDocumentURI",
                "originNodeURI", "destinationNodeURI", "sequenceNumber",
                "lastChangeDateTime"]
ITEM_TYPES = ["Dimension", "Element", "Statement", "Principle", "Key Area"]
TEXT_CHECKED_TYPES = ("Statement", "Principle", "Key Area", "Dimension")

# Expected statements per element, from the seeds.
ASP05_COUNTS = {  # dimension: (K, A, QC, QA)
    1: (5, 10, 5, 6), 2: (8, 6, 7, 5), 3: (6, 6, 3, 8),
    4: (11, 4, 6, 4), 5: (12, 6, 5, 9), 6: (6, 6, 3, 6),
}
PSS19_COUNTS = {  # dimension: (K, S, A)
    1: (11, 9, 6), 2: (10, 8, 7), 3: (7, 9, 8),
    4: (9, 5, 10), 5: (12, 6, 13), 6: (6, 9, 6),
}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, where, message):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s: %s" % (where, message))
        return ok


def uid(name):
    return str(uuid.uuid5(NAMESPACE, name))


def is_uuid(s):
    try:
        return str(uuid.UUID(s)) == s
    except (ValueError, TypeError, AttributeError):
        return False


# --------------------------------------------------------------------------
# Seed text normalisation
# --------------------------------------------------------------------------

BULLET = re.compile(r"^(?:[-\u2022\u00b7*](?:\s+|$)|\d+[.)]\s+)")


def norm_ws(s):
    return " ".join(s.split())


def normalise_seed(text):
    """Return the seed as a list of normalised logical lines.

    Bullets ("-", "•", "·", "*", "1." and "1)") and markdown emphasis are
    removed, whitespace is collapsed, table cells become lines of their own,
    and a non-bullet line that directly follows a bullet line (no blank line
    between) is joined to it: it is the rest of an item broken across lines.
    """
    out = []
    prev_bullet = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            out.append("")
            prev_bullet = False
            continue
        cells = [line]
        if "|" in line and (line.startswith("|") or line.startswith("- |")):
            cells = [c for c in line.lstrip("- ").strip("|").split("|")]
        for cell in cells:
            c = cell.strip()
            bullet = False
            while True:
                m = BULLET.match(c)
                if not m or c.startswith("**"):
                    break
                c = c[m.end():]
                bullet = True
            c = norm_ws(c.replace("**", "").replace("*", ""))
            if len(cells) == 1 and not bullet and prev_bullet and out and out[-1]:
                out[-1] = out[-1] + " " + c
                continue
            # a leading "**3.**" style number left after removing emphasis
            m = re.match(r"^\d+[.)]\s+", c)
            if m:
                c = c[m.end():]
                bullet = True
            out.append(c)
            prev_bullet = bullet and len(cells) == 1
    return "\n".join(out)


def seed_pattern(statement):
    """Regex for the statement as a whole line or a quoted title."""
    body = re.escape(norm_ws(statement))
    return re.compile(r"(?:^|(?<=[\u2018'\"\u201c]))" + body +
                      r"(?:(?=[\u2019'\"\u201d])|[.;:]?[ \t]*(?=\n|$))", re.M)


# --------------------------------------------------------------------------
# Generic CASE package checks
# --------------------------------------------------------------------------

def check_ref(c, where, ref, ident, title=None):
    ok = isinstance(ref, dict) and ref.get("identifier") == ident and \
        ref.get("uri") == "urn:uuid:" + str(ident)
    if ok and title is not None:
        ok = ref.get("title") == title
    c.check(ok, where, "reference %r should point to %s (%s)" % (ref, ident, title))


def check_package(c, name, pkg, code, raw_text):
    w = name
    expected_text = json.dumps(pkg, indent=2, ensure_ascii=False) + "\n"
    c.check(raw_text == expected_text, w,
            "not pretty-printed with 2-space indent, UTF-8 and a trailing newline")
    for key in ("CFDocument", "CFItems", "CFAssociations", "CFDefinitions"):
        if not c.check(key in pkg, w, "missing top-level %s" % key):
            return None
    c.check(isinstance(pkg.get("CFRubrics", []), list), w, "CFRubrics is not a list")
    doc = pkg["CFDocument"]
    missing = [f for f in DOC_FIELDS if f not in doc]
    c.check(not missing, w + " CFDocument", "missing fields %s" % missing)
    doc_id = doc.get("identifier")
    c.check(doc_id == uid("cpdplan:doc:" + code), w + " CFDocument",
            "identifier %r is not uuid5(cpdplan:doc:%s)" % (doc_id, code))
    c.check(doc.get("uri") == "urn:uuid:%s" % doc_id, w + " CFDocument", "uri mismatch")
    c.check(doc.get("humanCodingScheme") == code, w + " CFDocument",
            "humanCodingScheme %r, expected %r" % (doc.get("humanCodingScheme"), code))
    c.check(doc.get("language") == "en" and doc.get("adoptionStatus") == "Adopted" and
            doc.get("frameworkType") == "Professional standards",
            w + " CFDocument", "language/adoptionStatus/frameworkType not as specified")
    check_ref(c, w + " CFPackageURI", doc.get("CFPackageURI"), doc_id, doc.get("title"))

    all_ids = [doc_id]
    items = pkg["CFItems"]
    by_id, by_code = {}, {}
    types_used = []
    for i, it in enumerate(items):
        iw = "%s item #%d (%s)" % (w, i + 1, it.get("humanCodingScheme"))
        missing = [f for f in ITEM_FIELDS if f not in it]
        if not c.check(not missing, iw, "missing fields %s" % missing):
            continue
        hc = it["humanCodingScheme"]
        c.check(isinstance(hc, str) and hc.startswith(code + "-"), iw,
                "code does not start with %s-" % code)
        c.check(it["identifier"] == uid("cpdplan:" + hc), iw,
                "identifier is not uuid5(cpdplan:%s)" % hc)
        c.check(it["uri"] == "urn:uuid:" + it["identifier"], iw, "uri mismatch")
        check_ref(c, iw + " CFDocumentURI", it["CFDocumentURI"], doc_id, doc.get("title"))
        c.check(it["CFItemType"] in ITEM_TYPES, iw, "unknown CFItemType %r" % it["CFItemType"])
        c.check(it["language"] == "en", iw, "language is not en")
        app = it["extensions"].get("applicability") if isinstance(it["extensions"], dict) else None
        c.check(app in ("all", "agreed"), iw, "applicability %r not all/agreed" % app)
        fs = it["fullStatement"]
        c.check(isinstance(fs, str) and fs and fs == fs.strip() and "  " not in fs and
                "\n" not in fs and not BULLET.match(fs), iw,
                "fullStatement has stray whitespace or a bullet: %r" % fs)
        if it["CFItemType"] in ("Statement", "Principle"):
            c.check(not fs.endswith((".", ";")), iw,
                    "fullStatement keeps a trailing '.' or ';': %r" % fs)
        c.check(hc not in by_code, iw, "duplicate code %s" % hc)
        by_code[hc] = it
        by_id[it["identifier"]] = it
        all_ids.append(it["identifier"])
        if it["CFItemType"] not in types_used:
            types_used.append(it["CFItemType"])

    # associations: exactly one isChildOf per item, parents exist
    parent_of, children = {}, {}
    seen_origin = {}
    for j, a in enumerate(pkg["CFAssociations"]):
        aw = "%s association #%d" % (w, j + 1)
        missing = [f for f in ASSOC_FIELDS if f not in a]
        if not c.check(not missing, aw, "missing fields %s" % missing):
            continue
        all_ids.append(a["identifier"])
        c.check(a["uri"] == "urn:uuid:" + a["identifier"], aw, "uri mismatch")
        c.check(a["associationType"] == "isChildOf", aw,
                "associationType %r is not isChildOf" % a["associationType"])
        check_ref(c, aw + " CFDocumentURI", a["CFDocumentURI"], doc_id, doc.get("title"))
        o = a["originNodeURI"].get("identifier")
        d = a["destinationNodeURI"].get("identifier")
        child = by_id.get(o)
        if not c.check(child is not None, aw, "origin %s is not an item" % o):
            continue
        hc = child["humanCodingScheme"]
        aw = "%s association of %s" % (w, hc)
        c.check(a["identifier"] == uid("cpdplan:assoc:" + hc), aw,
                "identifier is not uuid5(cpdplan:assoc:%s)" % hc)
        check_ref(c, aw + " originNodeURI", a["originNodeURI"], o, hc)
        c.check(o not in seen_origin, aw, "item has more than one isChildOf parent")
        seen_origin[o] = True
        if d == doc_id:
            check_ref(c, aw + " destinationNodeURI", a["destinationNodeURI"], doc_id, code)
        elif c.check(d in by_id, aw, "parent %s does not exist" % d):
            check_ref(c, aw + " destinationNodeURI", a["destinationNodeURI"], d,
                      by_id[d]["humanCodingScheme"])
        else:
            continue
        parent_of[o] = d
        children.setdefault(d, []).append((a["sequenceNumber"], o))
        c.check(str(a["sequenceNumber"]) == child["listEnumeration"], aw,
                "sequenceNumber %r != listEnumeration %r" %
                (a["sequenceNumber"], child["listEnumeration"]))
    for it in items:
        if "identifier" in it:
            c.check(it["identifier"] in seen_origin, "%s %s" % (w, it.get("humanCodingScheme")),
                    "item has no isChildOf association")

    # no cycles: every item reaches the document
    for ident in by_id:
        hops, cur, ok = 0, ident, True
        while cur != doc_id:
            cur = parent_of.get(cur)
            hops += 1
            if cur is None or hops > len(by_id) + 1:
                ok = False
                break
        c.check(ok, "%s %s" % (w, by_id[ident]["humanCodingScheme"]),
                "does not reach the document (cycle or broken chain)")

    # siblings numbered 1..n, document order is depth first
    for parent, kids in children.items():
        seqs = sorted(s for s, _ in kids)
        c.check(seqs == list(range(1, len(kids) + 1)), "%s children of %s" %
                (w, code if parent == doc_id else by_id[parent]["humanCodingScheme"]),
                "sequence numbers %s are not 1..%d" % (seqs, len(kids)))
    order = []

    def walk(node):
        for _, kid in sorted(children.get(node, [])):
            order.append(kid)
            walk(kid)
    walk(doc_id)
    c.check(order == [it.get("identifier") for it in items], w,
            "CFItems are not in depth-first document order")

    # definitions
    defs = pkg["CFDefinitions"]
    for key in ("CFItemTypes", "CFConcepts", "CFSubjects", "CFLicenses",
                "CFAssociationGroupings"):
        c.check(isinstance(defs.get(key), list), w + " CFDefinitions", "missing list %s" % key)
    defined = []
    for t in defs.get("CFItemTypes", []):
        tw = "%s CFItemType %s" % (w, t.get("title"))
        c.check(t.get("identifier") == uid("cpdplan:type:%s" % t.get("title")), tw,
                "identifier is not uuid5(cpdplan:type:TITLE)")
        c.check(t.get("uri") == "urn:uuid:%s" % t.get("identifier"), tw, "uri mismatch")
        c.check(all(k in t for k in ("description", "hierarchyCode", "lastChangeDateTime")),
                tw, "missing description/hierarchyCode/lastChangeDateTime")
        defined.append(t.get("title"))
        all_ids.append(t.get("identifier"))
    c.check(sorted(defined) == sorted(types_used), w + " CFDefinitions",
            "CFItemTypes %s do not match the types used %s" % (defined, types_used))

    # rubrics
    for r in pkg.get("CFRubrics", []):
        all_ids.append(r.get("identifier"))
        c.check(r.get("uri") == "urn:uuid:%s" % r.get("identifier"), w + " CFRubric",
                "uri mismatch")
        for cr in r.get("CFRubricCriteria", []):
            all_ids.append(cr.get("identifier"))
            c.check(cr.get("uri") == "urn:uuid:%s" % cr.get("identifier") and
                    cr.get("rubricId") == r.get("identifier"), w + " CFRubricCriterion",
                    "uri or rubricId mismatch")
            for lv in cr.get("CFRubricCriterionLevels", []):
                all_ids.append(lv.get("identifier"))
                c.check(lv.get("uri") == "urn:uuid:%s" % lv.get("identifier") and
                        lv.get("rubricCriterionId") == cr.get("identifier"),
                        w + " CFRubricCriterionLevel", "uri or rubricCriterionId mismatch")

    bad = [i for i in all_ids if not is_uuid(i)]
    c.check(not bad, w, "identifiers that are not UUIDs: %s" % bad[:5])
    dup = sorted(set(i for i in all_ids if all_ids.count(i) > 1))
    c.check(not dup, w, "duplicate identifiers: %s" % dup[:5])

    kids_by_code = {}
    for parent, kids in children.items():
        pc = code if parent == doc_id else by_id[parent]["humanCodingScheme"]
        kids_by_code[pc] = [by_id[k] for _, k in sorted(kids)]
    return {"doc": doc, "items": items, "by_code": by_code, "kids": kids_by_code}


# --------------------------------------------------------------------------
# Framework-specific shape and counts
# --------------------------------------------------------------------------

def kid_summary(t, code):
    return [(k["humanCodingScheme"], k["CFItemType"], k["fullStatement"])
            for k in t["kids"].get(code, [])]


def check_statements(c, w, t, parent, n):
    kids = t["kids"].get(parent, [])
    want = [("%s.%d" % (parent, i), "Statement") for i in range(1, n + 1)]
    got = [(k["humanCodingScheme"], k["CFItemType"]) for k in kids]
    c.check(got == want, "%s %s" % (w, parent),
            "expected %d statements %s.1..%d, found %d: %s" %
            (n, parent, n, len(got), [g[0] for g in got][:5]))
    for k in kids:
        c.check(not t["kids"].get(k["humanCodingScheme"]), "%s %s" % (w, k["humanCodingScheme"]),
                "a statement has children")


def count_type(t, typ):
    return sum(1 for it in t["items"] if it.get("CFItemType") == typ)


def applicability(it):
    return it.get("extensions", {}).get("applicability")


def descendants(t, code):
    out = []
    for k in t["kids"].get(code, []):
        out.append(k)
        out.extend(descendants(t, k["humanCodingScheme"]))
    return out


def check_aspect(c, w, t):
    code = "ASP05"
    top = kid_summary(t, code)
    c.check([(x[0], x[1]) for x in top] == [("%s-%d" % (code, d), "Dimension")
                                           for d in range(1, 7)],
            w, "top level should be 6 Dimensions ASP05-1..6, found %s" % top)
    for d in range(1, 7):
        dc = "%s-%d" % (code, d)
        els = kid_summary(t, dc)
        c.check(els == [(dc + ".K", "Element", "Knowledge and understanding"),
                        (dc + ".A", "Element", "Actions"),
                        (dc + ".Q", "Element", "Professional qualities")],
                "%s %s" % (w, dc), "elements should be K, A, Q; found %s" % els)
        q = kid_summary(t, dc + ".Q")
        c.check(q == [(dc + ".QC", "Element", "Is committed to"),
                      (dc + ".QA", "Element", "Is able to")],
                "%s %s.Q" % (w, dc), "sub-elements should be QC, QA; found %s" % q)
        for el, n in zip(("K", "A", "QC", "QA"), ASP05_COUNTS[d]):
            check_statements(c, w, t, "%s.%s" % (dc, el), n)
    n = count_type(t, "Statement")
    c.check(n == 153, w, "%d statements, expected 153" % n)
    bad = [it["humanCodingScheme"] for it in t["items"] if applicability(it) != "all"]
    c.check(not bad, w, "applicability should be all everywhere: %s" % bad[:5])


def check_prospect(c, w, t):
    code = "PSS19"
    top = [(x[0], x[1]) for x in kid_summary(t, code)]
    want = [("%s-P%d" % (code, i), "Principle") for i in range(1, 7)] + \
        [("%s-%d" % (code, d), "Dimension") for d in range(1, 7)]
    c.check(top == want, w, "top level should be 6 Principles then 6 Dimensions, found %s" % top)
    for i in range(1, 7):
        pc = "%s-P%d" % (code, i)
        c.check(not t["kids"].get(pc), "%s %s" % (w, pc), "a principle has children")
    for d in range(1, 7):
        dc = "%s-%d" % (code, d)
        els = kid_summary(t, dc)
        c.check(els == [(dc + ".K", "Element", "Professional knowledge and understanding"),
                        (dc + ".S", "Element", "Professional skills and attitudes"),
                        (dc + ".A", "Element", "Professional actions")],
                "%s %s" % (w, dc), "elements should be K, S, A; found %s" % els)
        for el, n in zip(("K", "S", "A"), PSS19_COUNTS[d]):
            check_statements(c, w, t, "%s.%s" % (dc, el), n)
        want_app = "all" if d <= 3 else "agreed"
        nodes = [t["by_code"][dc]] + descendants(t, dc)
        bad = [x["humanCodingScheme"] for x in nodes if applicability(x) != want_app]
        c.check(not bad, "%s %s" % (w, dc),
                "applicability should be %s on the dimension and its descendants: %s" %
                (want_app, bad[:5]))
    n = count_type(t, "Statement")
    c.check(n == 151, w, "%d statements, expected 151" % n)
    n = count_type(t, "Principle")
    c.check(n == 6, w, "%d principles, expected 6" % n)


def check_wales(c, w, t, pkg):
    code = "WEIP"
    top = kid_summary(t, code)
    want = [("WEIP-1", "Key Area", "Managing self"),
            ("WEIP-2", "Key Area", "Professional Leadership and Management")]
    c.check(len(top) == 3 and top[:2] == want and top[2][:2] == ("WEIP-3", "Key Area") and
            re.sub("[\u2019']", "'", top[2][2]) ==
            "Supporting Educational Improvement and Children's Well-being",
            w, "expected the 3 key areas, found %s" % top)
    c.check(len(t["items"]) == 3, w, "%d items, expected only the 3 key areas" % len(t["items"]))
    apps = [applicability(t["by_code"].get("WEIP-%d" % i, {})) for i in (1, 2, 3)]
    c.check(apps == ["all", "all", "agreed"], w,
            "key area applicability %s, expected all, all, agreed" % apps)
    for i in (1, 2, 3):
        c.check(bool(t["by_code"].get("WEIP-%d" % i, {}).get("notes")), w,
                "WEIP-%d has no notes (the key area's description)" % i)
    desc = t["doc"].get("description", "")
    c.check("does not give" in desc and "graded as a whole" in desc, w,
            "CFDocument description must say the guidance notes do not give the "
            "individual standards and each key area is graded as a whole")
    rubrics = pkg.get("CFRubrics", [])
    if not c.check(len(rubrics) == 1 and rubrics[0].get("title") == "Grading model",
                   w, "expected one CFRubric titled 'Grading model'"):
        return
    crit = rubrics[0].get("CFRubricCriteria", [])
    if not c.check(len(crit) == 1, w, "expected one CFRubricCriterion, found %d" % len(crit)):
        return
    levels = crit[0].get("CFRubricCriterionLevels", [])
    scores = [lv.get("score") for lv in levels]
    c.check(scores == [1, 2, 3, 4, None], w,
            "level scores %s, expected 1, 2, 3, 4 and N/A without a score" % scores)
    c.check(len(levels) == 5 and "score" not in levels[4] and levels[4].get("quality") == "N/A",
            w, "the fifth level must be N/A with the score omitted")
    c.check([lv.get("position") for lv in levels] == [1, 2, 3, 4, 5], w,
            "level positions are not 1..5")


def check_vsc(c, w, t):
    code = "VSC"
    top = kid_summary(t, code)
    want = [("VSC-KS", "Element", "Knowledge & Skills"),
            ("VSC-PQ", "Element", "Personal Qualities and Values"),
            ("VSC-PC", "Element", "Professional Characteristics")]
    c.check(top == want, w, "top level should be the 3 elements, found %s" % top)
    for el, n in (("VSC-KS", 3), ("VSC-PQ", 20), ("VSC-PC", 7)):
        check_statements(c, w, t, el, n)
    n = count_type(t, "Statement")
    c.check(n == 30, w, "%d statements, expected 30" % n)
    bad = [it["humanCodingScheme"] for it in t["items"] if applicability(it) != "agreed"]
    c.check(not bad, w, "applicability should be agreed everywhere: %s" % bad[:5])


# --------------------------------------------------------------------------
# Seed transcription checks
# --------------------------------------------------------------------------

def check_against_seed(c, w, t, pkg, seed_path):
    with open(seed_path, encoding="utf-8") as f:
        seed = normalise_seed(f.read())
    pos = 0
    for it in t["items"]:
        typ = it.get("CFItemType")
        if typ not in TEXT_CHECKED_TYPES:
            continue
        hc = it["humanCodingScheme"]
        pat = seed_pattern(it["fullStatement"])
        if typ == "Dimension":
            c.check(pat.search(seed) is not None, "%s %s" % (w, hc),
                    "dimension title not found in seed %s: %r" %
                    (os.path.basename(seed_path), it["fullStatement"]))
            continue
        m = pat.search(seed, pos)
        if m:
            c.passed += 1
            pos = m.end()
        elif pat.search(seed):
            c.check(False, "%s %s" % (w, hc),
                    "text found in seed %s but out of order: %r" %
                    (os.path.basename(seed_path), it["fullStatement"]))
        else:
            c.check(False, "%s %s" % (w, hc),
                    "text not found in seed %s as a whole item: %r" %
                    (os.path.basename(seed_path), it["fullStatement"]))
    for r in pkg.get("CFRubrics", []):
        for cr in r.get("CFRubricCriteria", []):
            for lv in cr.get("CFRubricCriterionLevels", []):
                c.check(seed_pattern(lv.get("description", "")).search(seed) is not None,
                        "%s rubric level %s" % (w, lv.get("quality")),
                        "level description not found in seed %s: %r" %
                        (os.path.basename(seed_path), lv.get("description")))


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: check_frameworks.py FRAMEWORKS_DIR [SEEDS_DIR]\n")
        return 2
    fdir = argv[1]
    sdir = argv[2] if len(argv) == 3 else None
    if sdir and not os.path.isdir(sdir):
        print("note: seeds directory %s not found; transcription not checked" % sdir)
        sdir = None
    c = Checker()
    for name, (code, prefix) in FRAMEWORKS.items():
        path = os.path.join(fdir, name)
        if not c.check(os.path.isfile(path), name, "file %s is missing" % path):
            continue
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8")
            pkg = json.loads(text)
        except (UnicodeDecodeError, ValueError) as e:
            c.check(False, name, "not valid UTF-8 JSON: %s" % e)
            continue
        if not c.check(isinstance(pkg, dict), name, "top level is not an object"):
            continue
        t = check_package(c, name, pkg, code, text)
        if t is None:
            continue
        if code == "ASP05":
            check_aspect(c, name, t)
        elif code == "PSS19":
            check_prospect(c, name, t)
        elif code == "WEIP":
            check_wales(c, name, t, pkg)
        elif code == "VSC":
            check_vsc(c, name, t)
        if sdir:
            seeds = sorted(glob.glob(os.path.join(sdir, prefix + "*.txt")))
            if c.check(len(seeds) == 1, name,
                       "expected one seed %s*.txt in %s, found %d" % (prefix, sdir, len(seeds))):
                check_against_seed(c, name, t, pkg, seeds[0])
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 0 if c.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
