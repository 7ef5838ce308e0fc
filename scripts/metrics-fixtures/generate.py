"""Reference values for @mlap/metrics, computed with scikit-learn, numpy and scipy.

Run from the repository root with Debian's interpreter (it has python3-sklearn, numpy, scipy):

    /usr/bin/python3 scripts/metrics-fixtures/generate.py

It rewrites packages/metrics/test/fixtures/sklearn-cases.generated.json, which is committed: the tests and
the runtime never need Python. See README.md next to this script for what the cases cover.
"""

import json
import math
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn import metrics as skm

try:
    import scipy
    from scipy.stats import kendalltau
except ImportError:  # pragma: no cover - scipy ships with Debian's sklearn
    scipy = None
    kendalltau = None

warnings.filterwarnings("ignore")  # UndefinedMetricWarning and friends: the edge cases are the point

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "packages", "metrics", "test", "fixtures", "sklearn-cases.generated.json",
)
AVERAGES = ["micro", "macro", "weighted", "samples"]


def f32(a):
    """Scores as float32 values (exactly what tfjs will hold), kept as float64 for sklearn."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def pad_labels(y):
    """Adds an all-zero label column: turns a 1-label matrix into multilabel-indicator input."""
    return np.hstack([y, np.zeros((y.shape[0], 1), dtype=y.dtype)])


def pad_scores(s):
    """Adds a column scored below everything: a negative ranked last changes no ranking metric."""
    return np.hstack([s, np.full((s.shape[0], 1), s.min() - 1.0)])


def prf(y, p, average, zd):
    """precision_recall_fscore_support; a 1-label matrix is padded with an all-zero label,
    which leaves micro, weighted and samples unchanged, and macro is then read per label."""
    if y.shape[1] == 1:
        y, p = pad_labels(y), pad_labels(p)
        if average == "macro":
            pr, rc, f, _ = skm.precision_recall_fscore_support(y, p, average=None, zero_division=zd)
            return [float(pr[0]), float(rc[0]), float(f[0])]
    pr, rc, f, _ = skm.precision_recall_fscore_support(y, p, average=average, zero_division=zd)
    return [float(pr), float(rc), float(f)]


def average_precision(y, s, average):
    if y.shape[1] == 1:
        y, s = pad_labels(y), pad_scores(s)
        if average == "macro":
            return float(skm.average_precision_score(y, s, average=None)[0])
    value = skm.average_precision_score(y, s, average=average)
    return float(value) if average is not None else [float(v) for v in value]


def coverage(y, s):
    if y.shape[1] == 1:
        y, s = pad_labels(y), pad_scores(s)
    return float(skm.coverage_error(y, s))


def ranking_loss(y, s):
    if y.shape[1] == 1:
        # sklearn rejects a single label; with no (relevant, irrelevant) pair every sample is 0.
        return 0.0
    return float(skm.label_ranking_loss(y, s))


def top_order(s):
    """Labels of each row by decreasing score, ties towards the lower index (stable sort)."""
    return np.argsort(-s, axis=1, kind="stable")


def at_k(y, s, k, zd):
    top = top_order(s)[:, :k]
    hits = np.take_along_axis(y, top, axis=1).sum(axis=1)
    pos = y.sum(axis=1)
    precision = hits / k
    recall = np.where(pos > 0, hits / np.maximum(pos, 1), zd)
    return float(precision.mean()), float(recall.mean())


def one_error(y, s):
    top = np.argmax(s, axis=1)  # first maximum: lower index on ties
    return float(np.mean(y[np.arange(len(y)), top] == 0))


def ranks(s):
    """Rank of every label, 1 = top, ties take the largest rank of their group."""
    return (s[:, None, :] >= s[:, :, None]).sum(axis=2)


def tau(before, after):
    out = []
    for x, z in zip(before, after):
        if kendalltau is None or len(x) < 2:
            value = float("nan")
        else:
            value = float(kendalltau(x, z)[0])  # variant "b" (scipy's default)
        out.append(None if math.isnan(value) else value)
    return out


def expected(y, s, p, after):
    n, l = y.shape
    ks = [k for k in (1, 2, 3, 5) if k <= l]
    per = skm.precision_recall_fscore_support(
        pad_labels(y) if l == 1 else y, pad_labels(p) if l == 1 else p,
        average=None, zero_division=0,
    )
    return {
        "subsetAccuracy": float(skm.accuracy_score(y, p)),
        "hammingLoss": float(skm.hamming_loss(y, p)),
        "prf": {
            str(zd): {a: prf(y, p, a, zd) for a in AVERAGES} for zd in (0, 1)
        },
        "perLabel": {
            "precision": [float(v) for v in per[0][:l]],
            "recall": [float(v) for v in per[1][:l]],
            "fscore": [float(v) for v in per[2][:l]],
            "support": [int(v) for v in per[3][:l]],
        },
        "averagePrecisionPerLabel": (
            [average_precision(y, s, "macro")] if l == 1 else average_precision(y, s, None)
        ),
        "averagePrecision": {a: average_precision(y, s, a) for a in AVERAGES},
        "lrap": float(skm.label_ranking_average_precision_score(y, s)),
        "rankingLoss": ranking_loss(y, s),
        "coverageError": coverage(y, s),
        "oneError": one_error(y, s),
        "atK": {str(k): {str(zd): at_k(y, s, k, zd) for zd in (0, 1)} for k in ks},
        "ranks": ranks(after).tolist(),
        "kendallTau": tau(s, after),
    }


def make_cases():
    rng = np.random.default_rng(20180817)
    cases = []

    def add(name, y, s, p=None, after=None, note=""):
        y = np.asarray(y, dtype=np.int64)
        s = f32(s)
        if p is None:
            p = (s >= 0.5).astype(np.int64)
        p = np.asarray(p, dtype=np.int64)
        if after is None:
            after = f32(s + rng.normal(0, 0.3, s.shape))
        after = f32(after)
        cases.append({
            "name": name,
            "note": note,
            "labels": y.tolist(),
            "scores": s.tolist(),
            "predicted": p.tolist(),
            "after": after.tolist(),
            "expected": expected(y, s, p, after),
        })

    def labels(n, l, density=0.4):
        return (rng.random((n, l)) < density).astype(np.int64)

    # Random cases of varied size and density.
    for i, (n, l, d) in enumerate([(8, 3, 0.4), (10, 5, 0.3), (20, 7, 0.5), (15, 10, 0.2),
                                   (30, 6, 0.6), (12, 4, 0.5), (25, 20, 0.1), (6, 2, 0.5)]):
        add(f"random-{i}-{n}x{l}", labels(n, l, d), rng.random((n, l)))
    # Scores correlated with the labels (a decent classifier).
    for i, (n, l) in enumerate([(20, 8), (40, 12)]):
        y = labels(n, l, 0.35)
        add(f"informative-{i}-{n}x{l}", y, 1 / (1 + np.exp(-(2 * y - 1 + rng.normal(0, 1, (n, l))))))
    # Ties: scores on a coarse grid.
    for i, (n, l, levels) in enumerate([(12, 5, 4), (20, 8, 2), (16, 6, 3), (10, 10, 1)]):
        add(f"ties-{i}-{levels}-levels", labels(n, l), np.round(rng.random((n, l)) * levels) / max(levels, 1),
            note="scores on a grid of levels + 1 values")
    add("ties-constant-scores", labels(9, 4), np.full((9, 4), 0.5),
        after=np.full((9, 4), 0.25), note="every score equal: Kendall tau undefined (NaN)")
    # Empty rows and columns.
    y = labels(12, 6)
    y[[0, 3, 7]] = 0
    add("empty-rows", y, rng.random((12, 6)), note="samples without any positive label")
    y = labels(12, 6)
    y[:, [1, 4]] = 0
    add("empty-columns", y, rng.random((12, 6)), note="labels without any positive sample")
    y = labels(10, 5)
    y[[2, 5]] = 0
    y[:, 3] = 0
    add("empty-rows-and-columns-ties", y, np.round(rng.random((10, 5)) * 2) / 2)
    add("all-negative", np.zeros((8, 5)), rng.random((8, 5)), note="no positive anywhere")
    # All-positive rows and matrices.
    y = labels(10, 5)
    y[[1, 4]] = 1
    add("all-positive-rows", y, rng.random((10, 5)))
    add("all-positive", np.ones((7, 4)), rng.random((7, 4)))
    # One label.
    add("one-label", labels(15, 1), rng.random((15, 1)))
    add("one-label-ties", labels(12, 1), np.round(rng.random((12, 1)) * 2) / 2)
    add("one-label-all-negative", np.zeros((6, 1)), rng.random((6, 1)))
    # 100 labels.
    add("hundred-labels", labels(24, 100, 0.08), rng.random((24, 100)))
    add("hundred-labels-ties", labels(16, 100, 0.15), np.round(rng.random((16, 100)) * 5) / 5)
    # Single sample.
    add("single-sample", labels(1, 6), rng.random((1, 6)))
    # Prediction edge cases (zero division).
    y = labels(10, 6)
    s = rng.random((10, 6))
    add("predict-nothing", y, s, p=np.zeros((10, 6)))
    add("predict-everything", y, s, p=np.ones((10, 6)))
    add("perfect", y, y * 0.5 + 0.25 + rng.random((10, 6)) * 0.2, p=y)
    add("inverted", y, (1 - y) * 0.5 + 0.25 + rng.random((10, 6)) * 0.2, p=1 - y)
    # Logit scores (negative values) and independent predictions.
    add("logits", labels(14, 7), rng.normal(0, 3, (14, 7)), p=labels(14, 7))
    # Sparse and dense label matrices.
    add("sparse-50-labels", labels(30, 50, 0.04), rng.random((30, 50)))
    add("dense", labels(15, 8, 0.9), rng.random((15, 8)))
    # Duplicate samples and reversed ranking after the attack.
    y = labels(4, 5)
    s = rng.random((4, 5))
    add("duplicates-reversed-after", np.vstack([y, y]), np.vstack([s, s]), after=-np.vstack([s, s]),
        note="after = -before: Kendall tau -1")
    add("after-with-ties", labels(10, 6), rng.random((10, 6)),
        after=np.round(rng.random((10, 6)) * 2), note="ties in the after scores only (tau-b)")
    return cases


def main():
    cases = make_cases()
    doc = {
        "generator": "scripts/metrics-fixtures/generate.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "sklearn": sklearn.__version__,
            "scipy": scipy.__version__ if scipy is not None else None,
        },
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
