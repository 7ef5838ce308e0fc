"""PyTorch reference timings for mlap's foundation benchmark (a benchmark tool, never a dependency).

Times, on the CPU, the three workloads of `bench/src/cnn-bench.ts` for the same CNN and batch:
forward, forward + input gradient (the input's only, no weight gradients: the same work as
tfjs's tf.grad), and the full 20-label input Jacobian, the latter two ways: `tiled` (one
backward pass over a batch tiled once per label) and `retained` (one forward pass, then one
backward pass per label on the retained graph, as @mlap/tensor's default strategy now does).
`jacobian` is the faster of the two: the reference mlap is compared with.

Run with Debian's interpreter, where `apt-get install python3-torch` puts torch:
    /usr/bin/python3 bench/torch/cnn_bench.py [--runs 10] [--batch 32] [--threads N]
Prints one JSON object: median milliseconds per workload, plus torch version and thread count.
"""

import argparse
import json
import statistics
import time

import torch
from torch import nn

LABELS = 20


def make_cnn() -> nn.Module:
    """conv3x3(32)-relu, conv3x3(64)-relu-maxpool2, conv3x3(64)-relu-maxpool2, dense(20), sigmoid."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, LABELS), nn.Sigmoid(),
    )


def median_ms(fn, runs: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)

    torch.manual_seed(0)
    model = make_cnn().eval()
    x = torch.rand(args.batch, 3, 32, 32)

    def forward():
        with torch.no_grad():
            model(x)

    # Input gradients only, as tfjs's tf.grad computes: `.backward()` would also compute every
    # weight's gradient (conv filter gradients cost as much as the input gradients), work the
    # tfjs side never does.
    def gradient():
        xi = x.clone().requires_grad_(True)
        return torch.autograd.grad(model(xi).sum(), xi)[0]

    def jacobian_tiled():
        tiled = x.repeat(LABELS, 1, 1, 1).requires_grad_(True)
        scores = model(tiled).view(LABELS, args.batch, LABELS)
        # Block b keeps only label b: one backward pass gives every label's gradient.
        selector = torch.eye(LABELS).view(LABELS, 1, LABELS)
        grad = torch.autograd.grad((scores * selector).sum(), tiled)[0]
        return grad.view(LABELS, args.batch, 3, 32, 32).transpose(0, 1)

    def jacobian_retained():
        xi = x.clone().requires_grad_(True)
        scores = model(xi)
        rows = [
            torch.autograd.grad(scores[:, j].sum(), xi, retain_graph=j < LABELS - 1)[0]
            for j in range(LABELS)
        ]
        return torch.stack(rows, 1)

    jacobian_runs = max(3, args.runs // 2)
    tiled_ms = median_ms(jacobian_tiled, jacobian_runs)
    retained_ms = median_ms(jacobian_retained, jacobian_runs)
    result = {
        "engine": f"PyTorch {torch.__version__} CPU",
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "forward": median_ms(forward, args.runs),
        "gradient": median_ms(gradient, args.runs),
        "jacobianTiled": tiled_ms,
        "jacobianRetained": retained_ms,
        "jacobian": min(tiled_ms, retained_ms),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
