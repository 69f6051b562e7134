#!/usr/bin/python3
"""Compare cpdplan's solvers with an integer programme (PuLP + CBC).

Run with Debian's /usr/bin/python3: it sees python3-pulp (Debian's PuLP bundles
no solver, so CBC is /usr/bin/cbc from coinor-cbc). Another python3 may come
first on PATH; do not rely on it.

Usage:
  /usr/bin/python3 tests/optimality/ilp_check.py [--small] [--instances N]
      [--seed S] [--keep DIR] [--sched-solve PATH] [--match-solve PATH]
      [--time S]
  /usr/bin/python3 tests/optimality/ilp_check.py --selftest

For each instance (seeds S, S+1, ..., S+N-1) it
  1. generates a random schedule instance and a random matching instance of
     realistic shape (schedule: 20..300 people, 13 activities, activity 1
     needing activity 0, about one session per 10 people with capacity 2..12,
     dates over a year with overlaps, residentials, back-to-back sessions,
     2..8 options per person scored 1..3000, fixed places, done activities,
     place and day limits, current proposals; matching: 20..300 mentees,
     10..100 mentors of capacity 0..3, sparse arcs scored 1..5000);
  2. writes them as JSON and runs `sched_solve IN OUT` (default method) and
     `sched_solve IN OUT --fast`, and `match_solve IN OUT`;
  3. solves the same problems as integer programmes, built here from the
     semantics in core/include/cpdplan/schedule.h and match.h, with CBC;
  4. checks every constraint of cpdplan's plans with its own code (not the
     ILP's), the reported objective/total against the plan, and the reported
     bound against the optimum;
  5. prints a table and a summary.

Failures (exit 1): a driver error or malformed output; a plan violating a
constraint; an objective/total that is not the sum of the plan's scores; a
schedule bound below the optimum; an objective above the optimum (then the ILP
or the checker here is wrong); a schedule ratio objective/optimum below 0.95
for any instance, or below 0.99 on average (FAST and default separately); a
matching total different from the optimum; inconsistent gap/optimal fields.
A default-method objective below the optimum is reported as a note (the exact
method may stop at its time limit), not a failure.

To reproduce one instance, rerun with the same mode (--small or not),
--seed SEED --instances 1 (and --keep DIR to keep its JSON files).

--small runs the 4 small instances (20..60 people) that CTest runs.
--selftest checks this file's ILP against brute force on tiny instances, the
ILP's plans against the checker, and the checker against hand-made bad plans;
it needs no drivers.
"""

import argparse
import glob
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

try:
    import pulp
except ImportError:  # pragma: no cover
    sys.stderr.write("ilp_check.py: cannot import pulp; run it with /usr/bin/python3 (python3-pulp)\n")
    sys.exit(2)

CBC_PATH = "/usr/bin/cbc"
NACTIVITIES = 13
YEAR_START = 29_457_120  # 2026-01-01 00:00 UTC in minutes since 1970-01-01 (20454 days)
DAY = 1440
DAYS_TOL = 1e-9
RATIO_MIN = 0.95
RATIO_MEAN_MIN = 0.99


# --------------------------------------------------------------------------
# Generators
# --------------------------------------------------------------------------

def gen_schedule(rng, npeople):
    """A random schedule instance (the JSON shape sched_solve reads)."""
    A = NACTIVITIES
    prereq = [[] for _ in range(A)]
    prereq[1] = [0]  # Reflective Manager before Strategic Leader
    if rng.random() < 0.5:
        prereq[4] = [3]
    if rng.random() < 0.3:
        prereq[12] = [10, 11]
    # popularity of activities: 0 and 1 are the big programmes
    popularity = [6, 5] + [rng.choice([1, 2, 3]) for _ in range(A - 2)]

    nsessions = max(6, round(npeople / 10 * rng.uniform(0.8, 1.25)))
    acts = [0, 1] + rng.choices(range(A), weights=popularity, k=nsessions - 2)
    rng.shuffle(acts)
    sessions = []
    for a in acts:
        r = rng.random()
        if sessions and r < 0.25:
            # on the same day as (or inside) an earlier session: overlaps
            other = rng.choice(sessions)
            day0 = (other["start"] - YEAR_START) // DAY + rng.randint(0, max(0, int(other["days"]) - 1))
        else:
            day0 = rng.randint(0, 364)
        base = YEAR_START + day0 * DAY
        kind = rng.random()
        if sessions and kind < 0.08:
            # back to back with an earlier session ([start, end) intervals touch)
            other = rng.choice(sessions)
            start = other["end"]
            end = start + rng.choice([180, 210, 240])
            days = 0.5
        elif kind < 0.35:  # half day, morning or afternoon
            start = base + rng.choice([9 * 60, 13 * 60 + 30])
            end = start + 210
            days = 0.5
        elif kind < 0.80:  # one day
            start = base + 9 * 60
            end = base + 16 * 60 + 30
            days = 1
        else:  # residential, 2 or 3 days
            k = rng.choice([2, 3])
            start = base + 9 * 60
            end = base + (k - 1) * DAY + 17 * 60
            days = k
        r = rng.random()
        if r < 0.04:
            cap = -1
        elif r < 0.07:
            cap = 0
        else:
            cap = rng.randint(2, 12)
        sessions.append({"activity": a, "start": start, "end": end, "capacity": cap, "days": days})
    S = len(sessions)
    by_act = [[s for s in range(S) if sessions[s]["activity"] == a] for a in range(A)]

    def ov(s, t):
        return sessions[s]["start"] < sessions[t]["end"] and sessions[t]["start"] < sessions[s]["end"]

    people = []
    for _ in range(npeople):
        done = []
        if rng.random() < 0.3:
            done.append(0)
        for a in range(2, A):
            if rng.random() < 0.05:
                done.append(a)
        fixed = []
        if rng.random() < 0.15:
            for _ in range(rng.choice([1, 1, 2])):
                s = rng.randrange(S)
                if s not in fixed and sessions[s]["activity"] not in done and not any(ov(s, t) for t in fixed):
                    fixed.append(s)
        fixed.sort()
        k = rng.randint(2, 8)
        order = list(range(A))
        rng.shuffle(order)
        order.sort(key=lambda a: -popularity[a] * rng.random())
        chosen = {}
        for a in order:
            if len(chosen) >= k:
                break
            if a in done:
                continue
            cand = [s for s in by_act[a] if s not in fixed]
            if not cand:
                continue
            take = rng.sample(cand, rng.randint(1, len(cand)))
            ascore = rng.randint(1, 3000)
            for s in take:
                if len(chosen) >= k:
                    break
                chosen[s] = ascore if rng.random() < 0.85 else rng.randint(1, 3000)
        options = sorted([s, sc] for s, sc in chosen.items())
        current = []
        if options and rng.random() < 0.4:
            seen = set()
            for s, _ in options:
                a = sessions[s]["activity"]
                if a not in seen and rng.random() < 0.6:
                    seen.add(a)
                    current.append(s)
        max_places = 0
        if rng.random() < 0.2:
            max_places = max(1, len(fixed) + rng.randint(0, 2))
        max_days = 0
        if rng.random() < 0.15:
            max_days = sum(sessions[s]["days"] for s in fixed) + rng.choice([0.5, 1, 1.5, 2, 3])
        people.append({"options": options, "fixed": fixed, "done": sorted(done), "current": current,
                       "max_places": max_places, "max_days": max_days})
    return {"nactivities": A, "prereq": prereq, "sessions": sessions, "people": people}


def gen_matching(rng, nmentees, nmentors):
    """A random matching instance (the JSON shape match_solve reads)."""
    capacity = [rng.randint(0, 3) for _ in range(nmentors)]
    weight = [rng.choice([1, 1, 2, 4]) for _ in range(nmentors)]
    arcs = []
    for i in range(nmentees):
        deg = rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 8])
        ms = set(rng.choices(range(nmentors), weights=weight, k=deg))
        for m in ms:
            arcs.append([i, m, rng.randint(1, 5000)])
            if rng.random() < 0.02:  # a repeated arc: the highest score counts
                arcs.append([i, m, rng.randint(1, 5000)])
    rng.shuffle(arcs)
    return {"nmentees": nmentees, "nmentors": nmentors, "capacity": capacity, "arcs": arcs}


def gen_tiny_schedule(rng):
    """A tiny, dense instance for brute force: everything interacts."""
    A = 4
    prereq = [[], [0], [], [0, 2]]
    S = rng.randint(3, 6)
    sessions = []
    for _ in range(S):
        start = YEAR_START + rng.randint(0, 8) * 120
        end = start + rng.choice([120, 240, 360])
        r = rng.random()
        cap = -1 if r < 0.15 else (0 if r < 0.25 else rng.randint(1, 2))
        sessions.append({"activity": rng.randrange(A), "start": start, "end": end, "capacity": cap,
                         "days": rng.choice([0.5, 1, 2])})
    people = []
    for _ in range(rng.randint(1, 3)):
        fixed = sorted(rng.sample(range(S), rng.choice([0, 0, 1])))
        rest = [s for s in range(S) if s not in fixed]
        opts = sorted(rng.sample(rest, min(len(rest), rng.randint(1, 4))))
        options = [[s, rng.randint(1, 30)] for s in opts]
        done = sorted(rng.sample(range(A), rng.choice([0, 0, 1])))
        mp = 0 if rng.random() < 0.6 else len(fixed) + rng.randint(0, 2) or 1
        md = 0 if rng.random() < 0.6 else sum(sessions[s]["days"] for s in fixed) + rng.choice([0.5, 1, 2])
        people.append({"options": options, "fixed": fixed, "done": done, "current": [], "max_places": mp,
                       "max_days": md})
    return {"nactivities": A, "prereq": prereq, "sessions": sessions, "people": people}


def gen_tiny_matching(rng):
    n = rng.randint(1, 5)
    m = rng.randint(1, 3)
    capacity = [rng.randint(0, 2) for _ in range(m)]
    arcs = []
    for i in range(n):
        for j in range(m):
            if rng.random() < 0.5:
                arcs.append([i, j, rng.randint(1, 20)])
                if rng.random() < 0.2:
                    arcs.append([i, j, rng.randint(1, 20)])
    return {"nmentees": n, "nmentors": m, "capacity": capacity, "arcs": arcs}


# --------------------------------------------------------------------------
# Integer programmes
# --------------------------------------------------------------------------

def _solver():
    # gapAbs < 1: scores are integers, so this stops only at a proven optimum
    return pulp.COIN_CMD(path=CBC_PATH, msg=False, gapRel=0, gapAbs=0.5)


def sched_ilp(inst):
    """Solve the schedule instance exactly. Returns (optimum, assign, seconds)."""
    t0 = time.time()
    sess = inst["sessions"]
    prereq = inst["prereq"]
    prob = pulp.LpProblem("sched", pulp.LpMaximize)
    x = {}  # (person, option index) -> variable
    obj = []
    by_session = [[] for _ in sess]
    for p, per in enumerate(inst["people"]):
        opts = per["options"]
        fixed = per["fixed"]
        done = set(per["done"])
        fixed_acts = {sess[f]["activity"] for f in fixed}
        xs = []
        for k, (s, score) in enumerate(opts):
            v = pulp.LpVariable("x_%d_%d" % (p, k), cat=pulp.LpBinary)
            x[p, k] = v
            xs.append(v)
            obj.append(score * v)
            by_session[s].append(v)
            a = sess[s]["activity"]
            # an activity held in a fixed place: none of its sessions
            if a in fixed_acts:
                prob += v == 0, "fixedact_%d_%d" % (p, k)
            # no overlap with a fixed place
            elif any(sess[s]["start"] < sess[f]["end"] and sess[f]["start"] < sess[s]["end"] for f in fixed):
                prob += v == 0, "fixedclash_%d_%d" % (p, k)
        # one session per activity
        acts = {}
        for k, (s, _) in enumerate(opts):
            acts.setdefault(sess[s]["activity"], []).append(x[p, k])
        for a, vs in acts.items():
            if len(vs) > 1:
                prob += pulp.lpSum(vs) <= 1, "oneact_%d_%d" % (p, a)
        # no two overlapping sessions
        for i in range(len(opts)):
            si = sess[opts[i][0]]
            for j in range(i + 1, len(opts)):
                sj = sess[opts[j][0]]
                if si["start"] < sj["end"] and sj["start"] < si["end"]:
                    prob += x[p, i] + x[p, j] <= 1, "clash_%d_%d_%d" % (p, i, j)
        # prerequisites
        for k, (s, _) in enumerate(opts):
            start = sess[s]["start"]
            for q in prereq[sess[s]["activity"]]:
                if q in done:
                    continue
                if any(sess[f]["activity"] == q and sess[f]["end"] <= start for f in fixed):
                    continue
                before = [x[p, j] for j, (t, _) in enumerate(opts)
                          if sess[t]["activity"] == q and sess[t]["end"] <= start]
                prob += x[p, k] <= pulp.lpSum(before), "prereq_%d_%d_%d" % (p, k, q)
        # limits, fixed places included
        if per["max_places"] > 0:
            prob += pulp.lpSum(xs) <= max(0, per["max_places"] - len(fixed)), "places_%d" % p
        if per["max_days"] > 0:
            room = per["max_days"] - sum(sess[f]["days"] for f in fixed)
            prob += pulp.lpSum(sess[s]["days"] * x[p, k] for k, (s, _) in enumerate(opts)) <= \
                max(0.0, room) + DAYS_TOL, "days_%d" % p
    for s, vs in enumerate(by_session):
        if sess[s]["capacity"] >= 0 and vs:
            prob += pulp.lpSum(vs) <= sess[s]["capacity"], "cap_%d" % s
    prob += pulp.lpSum(obj)
    if x:
        status = prob.solve(_solver())
        if pulp.LpStatus[status] != "Optimal":
            raise RuntimeError("CBC did not solve the schedule ILP: %s" % pulp.LpStatus[status])
    assign = []
    total = 0
    for p, per in enumerate(inst["people"]):
        row = []
        for k, (s, score) in enumerate(per["options"]):
            if round(x[p, k].value() or 0) == 1:
                row.append(s)
                total += score
        assign.append(row)
    return total, assign, time.time() - t0


def arc_scores(inst):
    """(mentee, mentor) -> highest score among the repeated arcs."""
    best = {}
    for i, m, sc in inst["arcs"]:
        if sc > best.get((i, m), 0):
            best[i, m] = sc
    return best


def match_ilp(inst):
    """Solve the matching instance exactly. Returns (optimum, mentor_of, seconds)."""
    t0 = time.time()
    best = arc_scores(inst)
    prob = pulp.LpProblem("match", pulp.LpMaximize)
    y = {(i, m): pulp.LpVariable("y_%d_%d" % (i, m), cat=pulp.LpBinary) for (i, m) in best}
    prob += pulp.lpSum(best[a] * v for a, v in y.items())
    for i in range(inst["nmentees"]):
        vs = [v for (a, m), v in y.items() if a == i]
        if len(vs) > 1:
            prob += pulp.lpSum(vs) <= 1, "mentee_%d" % i
    for m in range(inst["nmentors"]):
        vs = [v for (i, b), v in y.items() if b == m]
        if vs:
            prob += pulp.lpSum(vs) <= inst["capacity"][m], "mentor_%d" % m
    mentor_of = [-1] * inst["nmentees"]
    total = 0
    if y:
        status = prob.solve(_solver())
        if pulp.LpStatus[status] != "Optimal":
            raise RuntimeError("CBC did not solve the matching ILP: %s" % pulp.LpStatus[status])
        for (i, m), v in y.items():
            if round(v.value() or 0) == 1:
                mentor_of[i] = m
                total += best[i, m]
    return total, mentor_of, time.time() - t0


# --------------------------------------------------------------------------
# Independent constraint checkers
# --------------------------------------------------------------------------

def _overlap(a, b):
    return a["start"] < b["end"] and b["start"] < a["end"]


def check_person(inst, p, row):
    """Violations of person p's own constraints by the sessions row (list)."""
    errs = []
    sess = inst["sessions"]
    per = inst["people"][p]
    score = dict((s, sc) for s, sc in per["options"])
    fixed = per["fixed"]
    done = set(per["done"])
    for j, s in enumerate(row):
        if not isinstance(s, int) or s < 0 or s >= len(sess):
            return ["person %d: session %r out of range" % (p, s)]
        if j and row[j - 1] >= s:
            errs.append("person %d: sessions not ascending/unique: %s" % (p, row))
        if s in fixed:
            errs.append("person %d: session %d is a fixed place, given again" % (p, s))
        elif s not in score:
            errs.append("person %d: session %d is not one of the person's options" % (p, s))
    if errs:
        return errs
    held = [(s, False) for s in row] + [(f, True) for f in fixed]
    for s in row:
        a = sess[s]["activity"]
        for t, is_fixed in held:
            if t == s:
                continue
            if sess[t]["activity"] == a:
                errs.append("person %d: session %d and %s session %d are both activity %d"
                            % (p, s, "fixed" if is_fixed else "given", t, a))
            if _overlap(sess[s], sess[t]):
                errs.append("person %d: session %d overlaps %s session %d"
                            % (p, s, "fixed" if is_fixed else "given", t))
        for q in inst["prereq"][a]:
            if q in done:
                continue
            if any(sess[t]["activity"] == q and sess[t]["end"] <= sess[s]["start"] for t, _ in held):
                continue
            errs.append("person %d: session %d (activity %d) lacks prerequisite %d" % (p, s, a, q))
    if row and per["max_places"] > 0 and len(row) + len(fixed) > per["max_places"]:
        errs.append("person %d: %d places (fixed included) > max_places %d"
                    % (p, len(row) + len(fixed), per["max_places"]))
    if row and per["max_days"] > 0:
        days = sum(sess[s]["days"] for s in row) + sum(sess[f]["days"] for f in fixed)
        if days > per["max_days"] + DAYS_TOL:
            errs.append("person %d: %g days (fixed included) > max_days %g" % (p, days, per["max_days"]))
    return errs


def plan_score(inst, assign):
    total = 0
    for p, row in enumerate(assign):
        score = dict((s, sc) for s, sc in inst["people"][p]["options"])
        total += sum(score.get(s, 0) for s in row)
    return total


def check_schedule(inst, assign, objective=None):
    """All violations of a schedule plan (list of str; empty = valid)."""
    errs = []
    if not isinstance(assign, list) or len(assign) != len(inst["people"]):
        return ["assign has %s rows, %d people" % (len(assign) if isinstance(assign, list) else "no",
                                                   len(inst["people"]))]
    for p, row in enumerate(assign):
        if not isinstance(row, list):
            errs.append("person %d: assign row is not a list" % p)
            continue
        errs += check_person(inst, p, row)
    if errs:
        return errs
    used = [0] * len(inst["sessions"])
    for row in assign:
        for s in row:
            used[s] += 1
    for s, n in enumerate(used):
        cap = inst["sessions"][s]["capacity"]
        if cap >= 0 and n > cap:
            errs.append("session %d: %d places given > capacity %d" % (s, n, cap))
    if objective is not None:
        total = plan_score(inst, assign)
        if total != objective:
            errs.append("objective %s != %d, the sum of the plan's scores" % (objective, total))
    return errs


def check_matching(inst, mentor_of, total=None, pairs=None):
    """All violations of a matching (list of str; empty = valid)."""
    errs = []
    n, m = inst["nmentees"], inst["nmentors"]
    if not isinstance(mentor_of, list) or len(mentor_of) != n:
        return ["mentor_of has %s entries, %d mentees" % (len(mentor_of) if isinstance(mentor_of, list) else "no",
                                                         n)]
    best = arc_scores(inst)
    load = [0] * m
    got = 0
    made = 0
    for i, j in enumerate(mentor_of):
        if j == -1:
            continue
        if not isinstance(j, int) or j < 0 or j >= m:
            errs.append("mentee %d: mentor %r out of range" % (i, j))
            continue
        if (i, j) not in best:
            errs.append("mentee %d: pair with mentor %d is not an allowed arc" % (i, j))
            continue
        load[j] += 1
        got += best[i, j]
        made += 1
    for j in range(m):
        if load[j] > inst["capacity"][j]:
            errs.append("mentor %d: %d mentees > capacity %d" % (j, load[j], inst["capacity"][j]))
    if total is not None and not errs and total != got:
        errs.append("total %s != %d, the sum of the chosen arcs' (highest) scores" % (total, got))
    if pairs is not None and not errs and pairs != made:
        errs.append("pairs %s != %d pairs made" % (pairs, made))
    return errs


# --------------------------------------------------------------------------
# Brute force (self-test only)
# --------------------------------------------------------------------------

def brute_schedule(inst):
    per_person = []
    for p, per in enumerate(inst["people"]):
        opts = [s for s, _ in per["options"]]
        ok = []
        for r in range(len(opts) + 1):
            for sub in itertools.combinations(opts, r):
                if not check_person(inst, p, list(sub)):
                    ok.append(list(sub))
        per_person.append(ok)
    best = -1
    for combo in itertools.product(*per_person):
        if not check_schedule(inst, list(combo)):
            best = max(best, plan_score(inst, list(combo)))
    return best


def brute_matching(inst):
    best = arc_scores(inst)
    choices = [[-1] + [j for j in range(inst["nmentors"]) if (i, j) in best] for i in range(inst["nmentees"])]
    top = 0
    for combo in itertools.product(*choices):
        if not check_matching(inst, list(combo)):
            top = max(top, sum(best[i, j] for i, j in enumerate(combo) if j != -1))
    return top


def selftest():
    fails = 0

    def expect(cond, what):
        nonlocal fails
        if not cond:
            fails += 1
            print("SELFTEST FAIL: " + what)

    # 1. the ILP's optimum equals brute force on tiny dense instances
    rng = random.Random("selftest")
    t0 = time.time()
    nt = 300
    for k in range(nt):
        inst = gen_tiny_schedule(rng)
        opt, assign, _ = sched_ilp(inst)
        bf = brute_schedule(inst)
        expect(opt == bf, "tiny schedule %d: ILP %d != brute force %d: %s" % (k, opt, bf, json.dumps(inst)))
        e = check_schedule(inst, assign, opt)
        expect(not e, "tiny schedule %d: ILP plan rejected: %s" % (k, e))
    print("selftest: ILP == brute force on %d tiny schedule instances (%.1fs)" % (nt, time.time() - t0))
    t0 = time.time()
    for k in range(nt):
        inst = gen_tiny_matching(rng)
        opt, mo, _ = match_ilp(inst)
        bf = brute_matching(inst)
        expect(opt == bf, "tiny matching %d: ILP %d != brute force %d: %s" % (k, opt, bf, json.dumps(inst)))
        e = check_matching(inst, mo, opt)
        expect(not e, "tiny matching %d: ILP matching rejected: %s" % (k, e))
    print("selftest: ILP == brute force on %d tiny matching instances (%.1fs)" % (nt, time.time() - t0))

    # 2. the ILP's plans on realistic instances pass the checker; and the
    #    generator really produces the features it should
    t0 = time.time()
    feats = dict(fixed=0, done=0, places=0, days=0, current=0, overlap=0, touch=0, unlimited=0, blocked=0)
    for k, n in enumerate([20, 60, 150, 300]):
        inst = gen_schedule(random.Random("selftest-real-%d" % k), n)
        opt, assign, sec = sched_ilp(inst)
        e = check_schedule(inst, assign, opt)
        expect(not e, "realistic schedule %d: ILP plan rejected: %s" % (k, e[:3]))
        S = inst["sessions"]
        for per in inst["people"]:
            feats["fixed"] += bool(per["fixed"])
            feats["done"] += bool(per["done"])
            feats["places"] += per["max_places"] > 0
            feats["days"] += per["max_days"] > 0
            feats["current"] += bool(per["current"])
            fa = {S[f]["activity"] for f in per["fixed"]}
            feats["blocked"] += any(S[s]["activity"] in fa for s, _ in per["options"])
        for i in range(len(S)):
            feats["unlimited"] += S[i]["capacity"] < 0
            for j in range(i + 1, len(S)):
                feats["overlap"] += _overlap(S[i], S[j])
                feats["touch"] += S[i]["end"] == S[j]["start"] or S[j]["end"] == S[i]["start"]
        inst = gen_matching(random.Random("selftest-match-%d" % k), n, max(10, n // 3))
        opt, mo, _ = match_ilp(inst)
        e = check_matching(inst, mo, opt)
        expect(not e, "realistic matching %d: ILP matching rejected: %s" % (k, e[:3]))
    for f, c in feats.items():
        expect(c > 0, "generator never produced feature %s" % f)
    print("selftest: ILP plans of 4 realistic instances pass the checker (%.1fs); features %s"
          % (time.time() - t0, feats))

    # 3. hand-made bad plans are rejected, boundary-good ones accepted
    H = 60
    T = YEAR_START
    inst = {
        "nactivities": 4, "prereq": [[], [0], [], []],
        "sessions": [
            {"activity": 0, "start": T, "end": T + 2 * H, "capacity": 1, "days": 0.5},           # 0
            {"activity": 1, "start": T + 2 * H, "end": T + 4 * H, "capacity": 2, "days": 0.5},   # 1 right after 0
            {"activity": 1, "start": T + H, "end": T + 3 * H, "capacity": -1, "days": 0.5},      # 2 overlaps 0, 1
            {"activity": 2, "start": T + 10 * H, "end": T + 12 * H, "capacity": 5, "days": 1},   # 3
            {"activity": 3, "start": T + 11 * H, "end": T + 13 * H, "capacity": 5, "days": 1},   # 4 overlaps 3
            {"activity": 0, "start": T - 3 * H, "end": T - H, "capacity": 0, "days": 0.5},       # 5 before all
            {"activity": 3, "start": T + 20 * H, "end": T + 22 * H, "capacity": 5, "days": 2},   # 6
            {"activity": 2, "start": T + 30 * H, "end": T + 32 * H, "capacity": 5, "days": 1},   # 7
            {"activity": 0, "start": T + 40 * H, "end": T + 42 * H, "capacity": 5, "days": 2},   # 8
        ],
        "people": [
            {"options": [[0, 5], [1, 7], [2, 9], [3, 4], [4, 3]], "fixed": [], "done": [], "current": [],
             "max_places": 0, "max_days": 0},                                 # 0
            {"options": [[0, 5], [1, 7], [2, 9]], "fixed": [], "done": [0], "current": [],
             "max_places": 0, "max_days": 0},                                 # 1: done 0
            {"options": [[1, 7], [2, 9], [3, 1]], "fixed": [5], "done": [], "current": [],
             "max_places": 2, "max_days": 0},                                 # 2: fixed 5 (activity 0)
            {"options": [[3, 4], [6, 8], [7, 2], [8, 6]], "fixed": [4], "done": [], "current": [],
             "max_places": 0, "max_days": 3},                                 # 3: fixed 4 (activity 3, 1 day)
        ],
    }
    good = [
        ("prerequisite chosen, ending exactly at the start; touching sessions", [[0, 1, 3], [], [], []]),
        ("prerequisite done", [[], [2], [], []]),
        ("prerequisite in a fixed place", [[], [], [2], []]),
        ("place limit met exactly with the fixed place", [[], [], [1], []]),
        ("day limit met exactly with the fixed place", [[], [], [], [8]]),
        ("nothing", [[], [], [], []]),
    ]
    for what, plan in good:
        e = check_schedule(inst, plan)
        expect(not e, "good plan '%s' rejected: %s" % (what, e))
    bad = [
        ("capacity", [[0], [0], [], []], "capacity"),
        ("two sessions of one activity", [[], [1, 2], [], []], "both activity"),
        ("overlap of given sessions", [[3, 4], [], [], []], "overlaps given"),
        ("overlap with a fixed place", [[], [], [], [3]], "overlaps fixed"),
        ("activity held in a fixed place", [[], [], [], [6]], "fixed session"),
        ("prerequisite missing", [[1], [], [], []], "lacks prerequisite"),
        ("prerequisite ending after the start", [[0, 2], [], [], []], "lacks prerequisite"),
        ("place limit with the fixed place", [[], [], [1, 3], []], "max_places"),
        ("day limit with the fixed place", [[], [], [], [7, 8]], "max_days"),
        ("not an option", [[6], [], [], []], "not one of"),
        ("fixed place given again", [[], [], [5], []], "fixed place"),
        ("not ascending", [[3, 0], [], [], []], "ascending"),
        ("repeated", [[0, 0], [], [], []], "ascending"),
        ("out of range", [[99], [], [], []], "out of range"),
        ("rows missing", [[0]], "rows"),
    ]
    for what, plan, key in bad:
        e = check_schedule(inst, plan)
        expect(e and any(key in x for x in e), "bad plan '%s' not rejected as '%s': %s" % (what, key, e))
    inst0 = json.loads(json.dumps(inst))  # person 0 may take the zero-capacity session 5
    inst0["people"][0]["options"].insert(0, [5, 1])
    e = check_schedule(inst0, [[5], [], [], []])
    expect(e and any("capacity 0" in x for x in e), "zero-capacity session not rejected: %s" % e)
    e = check_schedule(inst, [[0, 1, 3], [], [], []], objective=5 + 7 + 4 + 1)
    expect(e and any("objective" in x for x in e), "wrong objective not rejected: %s" % e)
    # the ILP on the hand instance; the optimum by hand: session 0 (capacity 1) goes to person 0,
    # {0, 1, 3} = 16 (2 overlaps 0 and starts before 0 ends); person 1 (done 0): {2} = 9;
    # person 2: one more place (limit 2, fixed 1): 2 = 9; person 3: 3 clashes with fixed 4, 6 is
    # activity 3 (fixed), 7 + 8 = 3 days + 1 fixed > 3: 8 = 6. Total 40.
    opt, assign, _ = sched_ilp(inst)
    expect(opt == 40, "hand instance: ILP optimum %d != 40 (%s)" % (opt, assign))
    expect(brute_schedule(inst) == 40, "hand instance: brute force != 40")

    minst = {"nmentees": 3, "nmentors": 2, "capacity": [1, 0],
             "arcs": [[0, 0, 5], [0, 0, 8], [1, 0, 6], [2, 1, 9]]}
    expect(match_ilp(minst)[0] == 8, "hand matching: optimum != 8 (repeated arc keeps 8; mentor 1 has no room)")
    for what, mo, tot, key in [
        ("over capacity", [0, 0, -1], None, "capacity"),
        ("zero capacity", [-1, -1, 1], None, "capacity"),
        ("not an arc", [-1, -1, 0], None, "not an allowed arc"),
        ("out of range", [5, -1, -1], None, "out of range"),
        ("total not the highest repeated score", [0, -1, -1], 5, "total"),
        ("wrong length", [0], None, "entries"),
    ]:
        e = check_matching(minst, mo, tot)
        expect(e and any(key in x for x in e), "bad matching '%s' not rejected as '%s': %s" % (what, key, e))
    expect(not check_matching(minst, [0, -1, -1], 8, 1), "good matching rejected")
    print("selftest: checker accepts %d good and rejects %d bad hand-made schedule plans; "
          "accepts 1 good and rejects 6 bad matchings" % (len(good), len(bad) + 2))
    print("selftest: %s" % ("PASS" if not fails else "FAIL (%d)" % fails))
    return 1 if fails else 0


# --------------------------------------------------------------------------
# Running the drivers
# --------------------------------------------------------------------------

class DriverError(Exception):
    pass


def run_driver(cmd, out_path, timeout):
    t0 = time.time()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise DriverError("%s: no answer after %ds" % (" ".join(cmd), timeout))
    wall = time.time() - t0
    if r.returncode != 0:
        raise DriverError("%s: exit %d: %s" % (" ".join(cmd), r.returncode,
                                               r.stderr.decode(errors="replace").strip()[-500:]))
    try:
        with open(out_path) as f:
            return json.load(f), wall
    except (OSError, ValueError) as e:
        raise DriverError("%s: cannot read its output %s: %s" % (" ".join(cmd), out_path, e))


def find_driver(name):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    found = [p for p in glob.glob(os.path.join(root, "build*", "tests", name)) if os.access(p, os.X_OK)]
    return max(found, key=os.path.getmtime) if found else None


def check_sched_output(inst, out, want_method, label):
    """Field and plan checks of one sched_solve output; returns a list of failures."""
    errs = []
    for key in ("objective", "bound", "gap", "optimal", "method", "seconds", "iterations", "assign"):
        if key not in out:
            errs.append("%s: output lacks '%s'" % (label, key))
    if errs:
        return errs
    obj, bound = out["objective"], out["bound"]
    if not isinstance(obj, int) or not isinstance(bound, int):
        return ["%s: objective/bound not integers: %r %r" % (label, obj, bound)]
    errs += ["%s: %s" % (label, e) for e in check_schedule(inst, out["assign"], obj)[:10]]
    if bound < obj:
        errs.append("%s: bound %d < objective %d" % (label, bound, obj))
    gap = (bound - obj) / bound if bound else 0.0
    if abs(out["gap"] - gap) > 1e-6:
        errs.append("%s: gap %r != (bound - objective) / bound = %g" % (label, out["gap"], gap))
    if bool(out["optimal"]) != (obj == bound):
        errs.append("%s: optimal %r but objective %d, bound %d" % (label, out["optimal"], obj, bound))
    if want_method and out["method"] != want_method:
        errs.append("%s: method %r, expected %r" % (label, out["method"], want_method))
    return errs


def main():
    ap = argparse.ArgumentParser(description="Compare cpdplan's schedule and matching solvers with an ILP "
                                 "(PuLP + CBC). Run with /usr/bin/python3.")
    ap.add_argument("--small", action="store_true", help="the 4 small instances CTest runs (20..60 people)")
    ap.add_argument("--instances", type=int, help="number of instances (default 50; 4 with --small)")
    ap.add_argument("--seed", type=int, default=1, help="first instance seed (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="write the instances and outputs to DIR and keep them")
    ap.add_argument("--sched-solve", metavar="PATH", help="sched_solve driver (default: newest build*/tests/)")
    ap.add_argument("--match-solve", metavar="PATH", help="match_solve driver (default: newest build*/tests/)")
    ap.add_argument("--time", type=float, help="pass --time S to sched_solve")
    ap.add_argument("--timeout", type=int, default=600, help="seconds before a driver run counts as failed")
    ap.add_argument("--selftest", action="store_true", help="check this file's ILP and checkers; no drivers")
    args = ap.parse_args()

    if not os.access(CBC_PATH, os.X_OK):
        sys.stderr.write("ilp_check.py: %s missing (apt-get install coinor-cbc)\n" % CBC_PATH)
        return 2
    if args.selftest:
        return selftest()

    sched = args.sched_solve or find_driver("sched_solve")
    match = args.match_solve or find_driver("match_solve")
    for name, path in (("sched_solve", sched), ("match_solve", match)):
        if not path or not os.access(path, os.X_OK):
            sys.stderr.write("ilp_check.py: no %s driver (%s); give --%s PATH\n"
                             % (name, path, name.replace("_", "-")))
            return 2
    n = args.instances if args.instances is not None else (4 if args.small else 50)
    mode = "small" if args.small else "full"
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        work = args.keep
    else:
        work = tempfile.mkdtemp(prefix="cpdplan-ilp-")
    extra = ["--time", str(args.time)] if args.time else []

    failures = []
    notes = []
    srows = []
    mrows = []
    ratios_fast, ratios_def = [], []
    t_start = time.time()
    try:
        for seed in range(args.seed, args.seed + n):
            # ---- schedule ----
            rng = random.Random("%s-sched-%d" % (mode, seed))
            np_ = rng.randint(20, 60) if args.small else rng.randint(20, 300)
            inst = gen_schedule(rng, np_)
            nopt = sum(len(p["options"]) for p in inst["people"])
            size = "%dp %ds %do" % (np_, len(inst["sessions"]), nopt)
            ip = os.path.join(work, "sched-%s-%d.json" % (mode, seed))
            with open(ip, "w") as f:
                json.dump(inst, f)
            opt, ilp_assign, ilp_sec = sched_ilp(inst)
            e = check_schedule(inst, ilp_assign, opt)
            if e:
                failures.append("seed %d schedule: the ILP's own plan fails the checker (bug here): %s" % (seed, e[:3]))
            if args.keep:
                with open(os.path.join(work, "sched-%s-%d.ilp.json" % (mode, seed)), "w") as f:
                    json.dump({"objective": opt, "assign": ilp_assign}, f)
            res = {}
            for label, flags in (("fast", ["--fast"]), ("default", [])):
                op = os.path.join(work, "sched-%s-%d.%s.out.json" % (mode, seed, label))
                try:
                    out, wall = run_driver([sched, ip, op] + flags + extra, op, args.timeout)
                except DriverError as ex:
                    failures.append("seed %d schedule %s: %s" % (seed, label, ex))
                    continue
                errs = check_sched_output(inst, out, "fast" if label == "fast" else None, label)
                if errs:
                    failures += ["seed %d schedule %s" % (seed, x) for x in errs]
                    continue
                obj, bound = out["objective"], out["bound"]
                ratio = obj / opt if opt else 1.0
                if obj > opt:
                    failures.append("seed %d schedule %s: objective %d > ILP optimum %d "
                                    "(the ILP or the checker here misses a constraint)" % (seed, label, obj, opt))
                if bound < opt:
                    failures.append("seed %d schedule %s: bound %d < optimum %d" % (seed, label, bound, opt))
                if ratio < RATIO_MIN:
                    failures.append("seed %d schedule %s: objective %d / optimum %d = %.4f < %.2f"
                                    % (seed, label, obj, opt, ratio, RATIO_MIN))
                if label == "default":
                    if out["method"] != "exact":
                        notes.append("seed %d schedule default: method %r, not exact" % (seed, out["method"]))
                    if obj != opt:
                        notes.append("seed %d schedule default (%s): objective %d != optimum %d (ratio %.4f, "
                                     "bound %d, %.1fs)" % (seed, out["method"], obj, opt, ratio, bound,
                                                           out["seconds"]))
                (ratios_fast if label == "fast" else ratios_def).append(ratio)
                res[label] = (obj, bound, ratio, out["seconds"], out["method"])
            srows.append((seed, size, opt, res, ilp_sec))

            # ---- matching ----
            rng = random.Random("%s-match-%d" % (mode, seed))
            if args.small:
                nm, nr = rng.randint(20, 60), rng.randint(10, 30)
            else:
                nm, nr = rng.randint(20, 300), rng.randint(10, 100)
            minst = gen_matching(rng, nm, nr)
            ip = os.path.join(work, "match-%s-%d.json" % (mode, seed))
            op = os.path.join(work, "match-%s-%d.out.json" % (mode, seed))
            with open(ip, "w") as f:
                json.dump(minst, f)
            mopt, mo_ilp, milp_sec = match_ilp(minst)
            e = check_matching(minst, mo_ilp, mopt)
            if e:
                failures.append("seed %d matching: the ILP's own matching fails the checker (bug here): %s"
                                % (seed, e[:3]))
            msize = "%d/%d %da" % (nm, nr, len(minst["arcs"]))
            try:
                out, wall = run_driver([match, ip, op], op, args.timeout)
                missing = [k for k in ("total", "pairs", "mentor_of", "seconds") if k not in out]
                if missing:
                    raise DriverError("output lacks %s" % ", ".join(missing))
                errs = check_matching(minst, out["mentor_of"], out["total"], out["pairs"])
                failures += ["seed %d matching: %s" % (seed, x) for x in errs[:10]]
                if not errs and out["total"] != mopt:
                    failures.append("seed %d matching: total %d != optimum %d" % (seed, out["total"], mopt))
                mrows.append((seed, msize, mopt, out["total"], milp_sec, out["seconds"]))
            except DriverError as ex:
                failures.append("seed %d matching: %s" % (seed, ex))
                mrows.append((seed, msize, mopt, None, milp_sec, None))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    def fmt(v, f="%d"):
        return "-" if v is None else f % v

    print("schedule (%s, seeds %d..%d)" % (mode, args.seed, args.seed + n - 1))
    print("%-6s %-17s %9s %9s %9s %7s %7s %9s %9s %6s %6s %6s %s" % (
        "seed", "size", "optimum", "fast", "default", "r.fast", "r.dflt", "bnd.fast", "bnd.dflt",
        "ilp s", "fast s", "dflt s", "method"))
    for seed, size, opt, res, ilp_sec in srows:
        fa = res.get("fast", (None,) * 5)
        de = res.get("default", (None,) * 5)
        print("%-6d %-17s %9d %9s %9s %7s %7s %9s %9s %6.2f %6s %6s %s" % (
            seed, size, opt, fmt(fa[0]), fmt(de[0]), fmt(fa[2], "%.4f"), fmt(de[2], "%.4f"),
            fmt(fa[1]), fmt(de[1]), ilp_sec, fmt(fa[3], "%.2f"), fmt(de[3], "%.2f"), de[4] or "-"))
    print()
    print("matching (%s)" % mode)
    print("%-6s %-17s %9s %9s %6s %6s" % ("seed", "size", "optimum", "cpdplan", "ilp s", "solve s"))
    for seed, size, mopt, tot, a, b in mrows:
        print("%-6d %-17s %9d %9s %6.2f %6s" % (seed, size, mopt, fmt(tot), a, fmt(b, "%.3f")))
    print()

    def stats(rs):
        return (sum(rs) / len(rs), min(rs)) if rs else (float("nan"), float("nan"))
    mf, nf = stats(ratios_fast)
    md, nd = stats(ratios_def)
    if ratios_fast and mf < RATIO_MEAN_MIN:
        failures.append("schedule fast: mean ratio %.4f < %.2f" % (mf, RATIO_MEAN_MIN))
    if ratios_def and md < RATIO_MEAN_MIN:
        failures.append("schedule default: mean ratio %.4f < %.2f" % (md, RATIO_MEAN_MIN))
    for x in notes:
        print("NOTE: " + x)
    for x in failures:
        print("FAIL: " + x)
    dopt = sum(1 for r in ratios_def if r == 1.0)
    fopt = sum(1 for r in ratios_fast if r == 1.0)
    mok = sum(1 for r in mrows if r[3] is not None and r[3] == r[2])
    print("summary: %d instances (%s, seeds %d..%d), %.0fs; schedule fast ratio mean %.4f min %.4f "
          "(optimal %d/%d), default ratio mean %.4f min %.4f (optimal %d/%d); matching optimal %d/%d; "
          "%d notes; %s" % (n, mode, args.seed, args.seed + n - 1, time.time() - t_start, mf, nf, fopt,
                            len(ratios_fast), md, nd, dopt, len(ratios_def), mok, len(mrows), len(notes),
                            "PASS" if not failures else "FAIL (%d)" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
