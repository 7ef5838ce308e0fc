"""PyTorch reference for mlap's attack benchmark: ML-CW and ML-DeepFool (a benchmark tool and
test oracle, never a runtime dependency of mlap).

An independent implementation of the two attacks from the method specification
(`../shared/spec/paper-spec.md` §0, §1, §3 and §4), run batched on the CPU on a case that
`bench/src/attack-bench.ts` exports from mlap: the same CNN weights, inputs, targets and attack
options (layout in the case's `layout` field: NHWC inputs, HWIO filters, dense [in, out] with
inputs in NHWC flatten order).

Run with Debian's interpreter, where `apt-get install python3-torch` puts torch:
    /usr/bin/python3 bench/reference/ml_attacks.py CASE.json [--count N] [--dense]
        [--attacks mlCw,mlDeepFool]
Prints one JSON object: per attack the wall time in ms and, per sample, success (re-checked by
running the model on the returned input: sigmoid(g) >= tau in float32), L2 of x' - x and the
iterations spent. Samples that finished stop costing work: each pass runs on the active ones
only; `--dense` instead runs every pass on the whole batch and masks finished samples (the same
results, the work of a masked implementation), to separate kernel speed from that saving.
"""

import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F

TANH_SCALE = 0.999999  # keeps atanh finite at the box edges (spec §3)


class Cnn:
    """The case's CNN in NCHW: conv-relu-pool twice, then dense -> logits."""

    def __init__(self, case):
        def tensor(name):
            entry = case["weights"][name]
            return torch.from_numpy(np.asarray(entry["values"], dtype=np.float32).reshape(entry["shape"]))

        self.conv1 = tensor("conv1").permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
        self.conv2 = tensor("conv2").permute(3, 2, 0, 1).contiguous()
        self.bias1, self.bias2, self.bias3 = tensor("bias1"), tensor("bias2"), tensor("bias3")
        dense = tensor("dense")
        # Rows are in NHWC flatten order (h, w, c); reorder them once to NCHW's (c, h, w).
        h, w, c = 4, 4, self.conv2.shape[0]
        self.dense = dense.reshape(h, w, c, -1).permute(2, 0, 1, 3).reshape(h * w * c, -1).contiguous()

    def __call__(self, x):
        h = F.max_pool2d(F.relu(F.conv2d(x, self.conv1, self.bias1, padding=1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, self.conv2, self.bias2, padding=1)), 2)
        return h.flatten(1) @ self.dense + self.bias3


class Problem:
    """Model, clean inputs, targets as ±1 signs and the decision rule of spec §0. `x` is in the
    layout the model takes (NCHW for the bench CNN, the case's own layout for protocol_model.py)."""

    def __init__(self, model, x, target, tau, box, dense=False):
        self.model = model
        self.dense = dense  # run every pass on the whole batch, as a masked implementation does
        self.x = x
        self.target = target
        self.sign = self.target.float() * 2 - 1
        self.tau = tau
        self.lo, self.hi = float(box["lo"]), float(box["hi"])

    @classmethod
    def from_case(cls, case, count, dense=False):
        """The bench CNN's case (format mlap-attack-case/1): its first `count` samples."""
        n = min(count, case["count"])
        shape = [case["count"], *case["inputShape"]]
        x = np.asarray(case["inputs"], dtype=np.float32).reshape(shape)[:n]
        return cls(
            Cnn(case),
            torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(),
            torch.tensor(case["targets"][:n], dtype=torch.bool),
            torch.tensor(case["thresholds"], dtype=torch.float32),
            case["box"],
            dense,
        )

    def decide(self, logits):
        return torch.sigmoid(logits) >= self.tau

    def matching(self, logits, idx):
        """Labels decided as the target says, per sample (every label is cared for here)."""
        return (self.decide(logits) == self.target[idx]).sum(1)


class Best:
    """Best-result rule (spec §3, §4.5, §5): a success with the smallest L2 beats everything; among
    failures the highest quality wins (matching labels; for ranking attacks the cosine to the
    ideal order), ties going to the smaller L2."""

    def __init__(self, x):
        n = x.shape[0]
        self.adv = x.clone()
        self.dist = torch.full((n,), float("inf"))
        self.success = torch.zeros(n, dtype=torch.bool)
        self.quality = torch.full((n,), float("-inf"), dtype=torch.float64)  # any candidate beats it

    def offer(self, idx, adv, dist, success, quality):
        quality = quality.double()
        old_dist, old_success, old_quality = self.dist[idx], self.success[idx], self.quality[idx]
        closer = dist < old_dist
        as_success = success & (~old_success | closer)
        as_failure = ~success & ~old_success & ((quality > old_quality) | ((quality == old_quality) & closer))
        better = as_success | as_failure
        chosen = idx[better]
        self.adv[chosen] = adv[better]
        self.dist[chosen] = dist[better]
        self.success[chosen] = success[better]
        self.quality[chosen] = quality[better]


def l2(r):
    return r.flatten(1).norm(dim=1)


# ---------------------------------------------------------------- ML-CW (spec §3)

class Adam:
    """Adam with per-sample moments; only the rows passed to `step` move."""

    def __init__(self, like, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        self.m, self.v = torch.zeros_like(like), torch.zeros_like(like)
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps

    def step(self, value, rows, grad, t):
        m = self.beta1 * self.m[rows] + (1 - self.beta1) * grad
        v = self.beta2 * self.v[rows] + (1 - self.beta2) * grad * grad
        self.m[rows], self.v[rows] = m, v
        m_hat, v_hat = m / (1 - self.beta1 ** t), v / (1 - self.beta2 ** t)
        value[rows] -= self.lr * m_hat / (v_hat.sqrt() + self.eps)


def cw_margin(problem, logits, space):
    if space == "prob":
        return torch.sigmoid(logits) - problem.tau
    return logits - torch.log(problem.tau / (1 - problem.tau))


class CwObjective:
    """ML-CW's attack term (spec §3): per-sample hinge, classification success, matching labels.
    `rows` / `idx` index the samples of the batch the logits belong to."""

    def __init__(self, problem, opts):
        self.problem, self.opts = problem, opts

    def hinge(self, logits, rows):
        margin = cw_margin(self.problem, logits, self.opts["space"])
        return F.relu(self.opts["confidence"] - self.problem.sign[rows] * margin).sum(1)

    def success(self, logits, idx):
        return self.problem.decide(logits).eq(self.problem.target[idx]).all(1)

    def quality(self, logits, idx):
        return self.problem.matching(logits, idx)


def cw_constant(problem, opts, objective, w0, c, best, iterations):
    """Adam on delta for one constant per sample; returns which samples had a successful iterate."""
    x, n = problem.x, problem.x.shape[0]
    span = problem.hi - problem.lo
    delta = torch.zeros_like(x)
    adam = Adam(x, opts["learningRate"])
    active = torch.ones(n, dtype=torch.bool)
    previous = torch.full((n,), float("inf"), dtype=torch.float64)
    succeeded = torch.zeros(n, dtype=torch.bool)
    every = max(1, opts["maxIterations"] // 10)
    c32 = c.float()
    for it in range(opts["maxIterations"]):
        idx = active.nonzero().squeeze(1)
        if idx.numel() == 0:
            break
        rows = torch.arange(n) if problem.dense else idx
        d = delta[rows].requires_grad_(True)
        adv = (torch.tanh(w0[rows] + d) + 1) / 2 * span + problem.lo
        logits = problem.model(adv)
        loss = ((adv - x[rows]) ** 2).flatten(1).sum(1) + c32[rows] * objective.hinge(logits, rows)
        (grad,) = torch.autograd.grad(loss.sum(), d)
        with torch.no_grad():
            keep = active[rows]  # all True unless dense: frozen rows were computed for nothing
            adv, logits, loss, grad = adv[keep], logits[keep], loss[keep], grad[keep]
            ok = objective.success(logits, idx)
            best.offer(idx, adv.detach(), l2(adv - x[idx]), ok, objective.quality(logits, idx))
            succeeded[idx] |= ok
            iterations[idx] += 1
            stop = torch.zeros(idx.numel(), dtype=torch.bool)
            if opts["abortEarly"] and it % every == 0:
                # The loss of this forward pass against the previous checkpoint's (spec §3).
                value = loss.detach().double()
                stop = value > 0.9999 * previous[idx]
                previous[idx] = value
            adam.step(delta, idx[~stop], grad[~stop], it + 1)
            active[idx[stop]] = False
    return succeeded


def cw_search(problem, opts, objective):
    """The Carlini-Wagner optimisation of spec §3 (tanh box, Adam, early abort, per-sample binary
    search on c, best result over every iterate), for any attack term: ML-CW here, Rank I / II in
    rank_attacks.py (spec §5: "the same ... as ML-CW")."""
    x, n = problem.x, problem.x.shape[0]
    unit = ((x - problem.lo) / (problem.hi - problem.lo) * 2 - 1).clamp(-1, 1)
    w0 = torch.atanh(TANH_SCALE * unit)
    c = torch.full((n,), float(opts["initialConstant"]), dtype=torch.float64)
    c_lo = torch.zeros(n, dtype=torch.float64)
    c_hi = torch.full((n,), float("inf"), dtype=torch.float64)
    best, iterations = Best(x), torch.zeros(n, dtype=torch.long)
    steps = opts["binarySearchSteps"]
    for step in range(steps):
        if steps >= 10 and step == steps - 1:
            c = torch.where(torch.isfinite(c_hi), c_hi, c)
        ok = cw_constant(problem, opts, objective, w0, c, best, iterations)
        c_hi = torch.where(ok, torch.minimum(c_hi, c), c_hi)
        c_lo = torch.where(ok, c_lo, torch.maximum(c_lo, c))
        c = torch.where(ok | torch.isfinite(c_hi), (c_lo + c_hi) / 2, c * 10)
    return best.adv, iterations


def ml_cw(problem, opts):
    return cw_search(problem, opts, CwObjective(problem, opts))


# ---------------------------------------------------------------- ML-DeepFool (spec §4)

def jacobian(scores_of, x):
    """Scores [n, L] and their input Jacobian [n, L, d]: one backward pass per label on one graph
    (samples are independent, so the gradient of a column sum is the per-sample gradient)."""
    x = x.detach().requires_grad_(True)
    s = scores_of(x)
    labels = s.shape[1]
    rows = [torch.autograd.grad(s[:, j].sum(), x, retain_graph=j < labels - 1)[0] for j in range(labels)]
    return s.detach(), torch.stack(rows, 1).flatten(2)


def deepfool_step(problem, opts, s, jac, idx):
    """Minimum-norm step r = J_C^T (J_C J_C^T + lambda I)^-1 (t_C + y*_C eta - s_C), in float64.
    Labels outside C get an identity row and a zero right-hand side, so one batched solve serves
    every sample whatever its C."""
    eta = opts["overshoot"]
    tau = problem.tau.double()
    thr = tau if opts["space"] == "prob" else torch.log(tau / (1 - tau))
    s, jac, sign = s.double(), jac.double(), problem.sign[idx].double()
    gram = jac @ jac.transpose(1, 2)
    diag = torch.diagonal(gram, dim1=1, dim2=2)
    chosen = torch.ones_like(sign, dtype=torch.bool)
    if opts["constraints"] == "violated":
        chosen = sign * (s - thr) < eta
    chosen &= diag != 0  # a label with a zero gradient cannot be moved: dropped
    size = chosen.sum(1).clamp(min=1)
    ridge = opts["ridge"] * (diag * chosen).sum(1) / size
    pair = chosen[:, :, None] & chosen[:, None, :]
    a = torch.where(pair, gram, torch.zeros_like(gram))
    a = a + torch.diag_embed(torch.where(chosen, ridge[:, None].expand_as(diag), torch.ones_like(diag)))
    b = torch.where(chosen, thr + sign * eta - s, torch.zeros_like(s))
    alpha = torch.linalg.solve(a, b)
    return (alpha[:, None, :] @ jac).squeeze(1).float()


def ml_deepfool(problem, opts):
    x, n = problem.x, problem.x.shape[0]

    def scores_of(t):
        logits = problem.model(t)
        return torch.sigmoid(logits) if opts["space"] == "prob" else logits

    total, adv = torch.zeros_like(x), x.clone()
    active = torch.ones(n, dtype=torch.bool)
    best, iterations = Best(x), torch.zeros(n, dtype=torch.long)
    for _ in range(opts["maxIterations"]):
        idx = active.nonzero().squeeze(1)
        if idx.numel() == 0:
            break
        rows = torch.arange(n) if problem.dense else idx
        s, jac = jacobian(scores_of, adv[rows])
        with torch.no_grad():
            keep = active[rows]  # all True unless dense
            s, jac = s[keep], jac[keep]
            total[idx] += deepfool_step(problem, opts, s, jac, idx).reshape(total[idx].shape)
            adv[idx] = (x[idx] + total[idx]).clamp(problem.lo, problem.hi)
            iterations[idx] += 1
            logits = problem.model(adv[idx])
            ok = problem.decide(logits).eq(problem.target[idx]).all(1)
            best.offer(idx, adv[idx], l2(adv[idx] - x[idx]), ok, problem.matching(logits, idx))
            active[idx[ok]] = False
    return best.adv, iterations


# ---------------------------------------------------------------- driver

ATTACKS = {"mlCw": ml_cw, "mlDeepFool": ml_deepfool}


def classified(problem):
    """Classification success (spec §1) of logits of the whole batch: every label as targeted."""
    return lambda logits: problem.decide(logits).eq(problem.target).all(1)


def verified(problem, adv, iterations, success_of):
    """Per-sample outcomes, checked independently (spec §1): the model again on the returned,
    box-clipped input; `success_of` judges its logits."""
    with torch.no_grad():
        adv = adv.clamp(problem.lo, problem.hi)
        success = success_of(problem.model(adv))
        dist = l2(adv - problem.x)
    return [
        {"success": bool(ok), "l2": float(d), "iterations": int(k)}
        for ok, d, k in zip(success, dist, iterations)
    ]


def warm_up(case, name):
    """One tiny run so that one-off costs (allocator, kernel selection) stay out of the timing."""
    opts = dict(case["attacks"][name], maxIterations=2, binarySearchSteps=1)
    ATTACKS[name](Problem.from_case(case, 2), opts)


def run(case, name, count, dense):
    problem = Problem.from_case(case, count, dense)
    start = time.perf_counter()
    adv, iterations = ATTACKS[name](problem, case["attacks"][name])
    ms = (time.perf_counter() - start) * 1000
    return {"ms": ms, "samples": verified(problem, adv, iterations, classified(problem))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case")
    parser.add_argument("--count", type=int, default=1 << 30, help="attack the first N samples only")
    parser.add_argument("--attacks", default="mlCw,mlDeepFool")
    parser.add_argument(
        "--dense", action="store_true",
        help="compute every pass on the whole batch (finished samples masked, not dropped)",
    )
    args = parser.parse_args()
    with open(args.case) as f:
        case = json.load(f)
    names = args.attacks.split(",")
    out = {
        "engine": f"PyTorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "dense": args.dense,
        "attacks": {},
    }
    for name in names:
        warm_up(case, name)
        out["attacks"][name] = run(case, name, args.count, args.dense)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
