"""Reference values of the LSEP and WARP ranking losses of @mlap/models, computed with PyTorch.

Run from the repository root with Debian's interpreter (it has torch):

    /usr/bin/python3 packages/models/scripts/loss-fixtures/generate.py

It rewrites packages/models/test/fixtures/ranking-losses.generated.json, which is committed: the
tests never need Python. Each case holds 0/1 labels, float32 logits, and for both losses the value
and its gradient with respect to the logits. The losses are written here straight from their
definitions, one sample and one pair at a time in float64 (no masks, no log-sum-exp trick), so they
check the batched tfjs code independently:

  LSEP (Li et al. 2017): mean over samples of log(1 + sum_{p pos, n neg} exp(s_n - s_p)).
  WARP (Weston et al. 2011), exact: for each positive p, r_p = #{n neg : 1 + s_n > s_p},
  weight H(r_p) = sum_{i=1}^{r_p} 1/i (a constant), loss = sum_p H(r_p) * mean of the violating
  (1 + s_n - s_p); mean over samples. Samples without a positive or a negative contribute 0.
"""

import json
import math
import os

import numpy as np
import torch

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "test", "fixtures", "ranking-losses.generated.json",
)


def lsep(labels, s):
    """LSEP from its definition; float64 holds exp of the large-gap cases without overflow."""
    total = s.sum() * 0  # keeps the graph (zero gradient) when no sample has a pair
    for y, row in zip(labels, s):
        terms = [torch.exp(row[n] - row[p]) for p in range(len(y)) if y[p] for n in range(len(y)) if not y[n]]
        if terms:
            total = total + torch.log(1 + torch.stack(terms).sum())
    return total / len(labels)


def harmonic(r):
    return sum(1.0 / i for i in range(1, r + 1))


def warp(labels, s):
    """Exact WARP; ranks and weights are plain Python numbers, so constants for autograd."""
    total = s.sum() * 0  # keeps the graph (zero gradient) when no sample has a pair
    for y, row in zip(labels, s):
        pos = [j for j in range(len(y)) if y[j]]
        neg = [j for j in range(len(y)) if not y[j]]
        for p in pos:
            violating = [1 + row[n] - row[p] for n in neg if float(1 + row[n] - row[p]) > 0]
            if violating:
                total = total + harmonic(len(violating)) * torch.stack(violating).mean()
    return total / len(labels)


def value_and_grad(loss, labels, logits32):
    s = torch.tensor(logits32.astype(np.float64), requires_grad=True)
    value = loss(labels.tolist(), s)
    (grad,) = torch.autograd.grad(value, s)
    return float(value), grad.tolist()


def min_margin_distance(labels, logits):
    """Smallest |1 + s_n - s_p| over pairs: random cases must not sit on WARP's margin."""
    gaps = [abs(1 + row[n] - row[p]) for y, row in zip(labels, logits.astype(np.float64))
            for p in range(len(y)) if y[p] for n in range(len(y)) if not y[n]]
    return min(gaps) if gaps else math.inf


def case(name, note, labels, logits):
    labels = np.asarray(labels, dtype=np.int64)
    logits = np.asarray(logits, dtype=np.float32)  # exactly what tfjs holds
    out = {"name": name, "note": note, "labels": labels.tolist(), "logits": logits.astype(np.float64).tolist()}
    for key, loss in (("lsep", lsep), ("warp", warp)):
        value, grad = value_and_grad(loss, labels, logits)
        out[key] = {"value": value, "grad": grad}
    return out


def random_case(rng, name, n, L, scale, density, note=""):
    while True:
        labels = (rng.random((n, L)) < density).astype(np.int64)
        logits = (rng.standard_normal((n, L)) * scale).astype(np.float32)
        # float32 vs float64 rounding must not decide a WARP margin test
        if min_margin_distance(labels, logits) > 1e-3:
            return case(name, note, labels, logits)


def main():
    rng = np.random.default_rng(20110716)
    cases = [random_case(rng, f"random-{i}-{n}x{L}", n, L, 1.5, 0.4)
             for i, (n, L) in enumerate([(4, 3), (6, 5), (8, 7), (12, 10)])]
    cases.append(random_case(rng, "large-logits-5x6", 5, 6, 40.0, 0.5,
                             "gaps up to ~200: exp overflows float32, LSEP must stay finite"))
    cases.append(case(
        "degenerate-rows", "no positive, all positive, and a single pair per row",
        [[0, 0, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0], [0, 1, 1, 1]],
        [[0.3, -1.2, 2.0, 0.7], [1.0, -2.0, 0.5, 0.0], [0.2, 0.9, -0.4, 1.7], [-0.5, 0.25, 3.0, -1.0]],
    ))
    cases.append(case(
        "ties", "equal logits, and gaps of exactly 1 (on WARP's margin: not violating)",
        [[1, 0, 1, 0, 0], [1, 1, 0, 0, 0], [0, 1, 0, 1, 1]],
        [[0.5, 0.5, 0.5, -0.5, 0.5], [1.5, 0.5, 0.5, 0.5, -0.5], [0.0, 0.0, 1.0, 0.0, 0.0]],
    ))
    cases.append(case(
        "one-label", "L = 1: no pair anywhere, both losses 0",
        [[1], [0]], [[0.4], [-2.0]],
    ))
    doc = {
        "generator": "packages/models/scripts/loss-fixtures/generate.py",
        "versions": {"torch": torch.__version__, "numpy": np.__version__},
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f)
        f.write("\n")
    print(f"{len(cases)} cases -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
