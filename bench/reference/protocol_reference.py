"""PyTorch reference of the paper's protocol on mlap's own exported weights and inputs (a
benchmark tool and test oracle, never a runtime dependency of mlap).

Reads a case that `bench/src/protocol-reference.ts` exports (format `mlap-protocol-case/1`): the
victim as a layer list (protocol_model.py), the test samples that pass the §7 filter, mlap's clean
logits, and one job per method × strategy with mlap's targets and resolved options. It first
checks that the rebuilt model's clean logits equal mlap's (the max abs difference goes to stderr;
above 1e-4 it fails), then runs each job with the reference implementations of ml_attacks.py
(ML-CW, ML-DeepFool) and rank_attacks.py (Rank I, Rank II) and re-checks every returned input with
the model (classification success, spec §1; ranking success, spec §5).

Run with Debian's interpreter, where `apt-get install python3-torch` puts torch:
    /usr/bin/python3 bench/reference/protocol_reference.py CASE.json [--count N] [--jobs ID,ID]
`--count N` attacks only the case's first N samples (each job's rows below N). Prints one JSON
object: engine, threads, logitsMaxAbsDiff, and per job id the wall time in ms and, per attacked row,
success, L2 and iterations.
"""

import argparse
import json
import sys
import time

import numpy as np
import torch

from ml_attacks import Problem, classified, ml_cw, ml_deepfool, verified
from protocol_model import LayerNet
from rank_attacks import RankingSets, rank_attack, ranking_success

LOGIT_TOLERANCE = 1e-4


class Case:
    """The case's model, inputs, thresholds and clean predictions as tensors."""

    def __init__(self, case):
        self.model = LayerNet(case["net"])
        shape = [case["count"], *case["net"]["inputShape"]]
        self.x = torch.from_numpy(np.asarray(case["inputs"], dtype=np.float32).reshape(shape))
        self.logits = torch.tensor(case["logits"], dtype=torch.float32).reshape(case["count"], -1)
        self.start = torch.tensor(case["start"], dtype=torch.bool)
        self.tau = torch.tensor(case["thresholds"], dtype=torch.float32)
        self.box = case["box"]

    def check_logits(self):
        """Max |torch logits - mlap logits| over every case input; exits when above tolerance."""
        with torch.no_grad():
            diff = float((self.model(self.x) - self.logits).abs().max())
        print(f"protocol reference: clean logits max abs diff vs mlap {diff:.3g}", file=sys.stderr)
        if not diff <= LOGIT_TOLERANCE:
            sys.exit(f"FAIL: the rebuilt model's logits differ from mlap's by {diff:.3g} > {LOGIT_TOLERANCE}")
        return diff

    def problem(self, job, rows):
        targets = [job["targets"][job["rows"].index(r)] for r in rows]
        if any(v is None for t in targets for v in t):
            sys.exit(f"FAIL: job {job['id']} has don't-care targets, which this reference does not take")
        index = torch.tensor(rows, dtype=torch.long)
        target = torch.tensor(targets, dtype=torch.bool)
        return Problem(self.model, self.x[index], target, self.tau, self.box), index


def attack(case, job, rows):
    """Runs one job on `rows`; returns wall time and verified per-row outcomes."""
    problem, index = case.problem(job, rows)
    opts = job["options"]
    started = time.perf_counter()
    if job["method"] in ("rank1", "rank2"):
        sets = RankingSets(case.start[index], problem.target)
        adv, iterations, objective = rank_attack(problem, sets, opts)
        success_of = ranking_success(objective)
    else:
        run = ml_cw if job["method"] == "mlCw" else ml_deepfool
        adv, iterations = run(problem, opts)
        success_of = classified(problem)
    ms = (time.perf_counter() - started) * 1000
    samples = verified(problem, adv, iterations, success_of)
    return {"ms": ms, "samples": [dict(s, row=r) for s, r in zip(samples, rows)]}


def warm_up(case, job):
    """One tiny run per method so that one-off costs stay out of the timing."""
    tiny = dict(job, options=dict(job["options"], maxIterations=2, binarySearchSteps=1))
    attack(case, tiny, job["rows"][:2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case")
    parser.add_argument("--count", type=int, default=1 << 30, help="attack the first N samples only")
    parser.add_argument("--jobs", help="comma list of job ids (default: all)")
    args = parser.parse_args()
    with open(args.case) as f:
        raw = json.load(f)
    case = Case(raw)
    out = {
        "engine": f"PyTorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "logitsMaxAbsDiff": case.check_logits(),
        "jobs": {},
    }
    wanted = set(args.jobs.split(",")) if args.jobs else None
    warmed = set()
    for job in raw["jobs"]:
        rows = [r for r in job["rows"] if r < args.count]
        if (wanted is not None and job["id"] not in wanted) or not rows:
            continue
        if job["method"] not in warmed:
            warm_up(case, job)
            warmed.add(job["method"])
        out["jobs"][job["id"]] = attack(case, job, rows)
        print(f"  reference {job['id']}: {out['jobs'][job['id']]['ms'] / 1000:.1f} s", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
