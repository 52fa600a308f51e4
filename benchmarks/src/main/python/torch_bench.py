#!/usr/bin/env python3
"""PyTorch CPU eager timings for unroll's side-by-side runner (dev.unroll.benchmarks.SideBySide).

For each workload in the spec file it builds nn.LSTM / nn.GRU / nn.RNN plus nn.Linear, loads the
generated model's weights and the inputs from the workload's .npz (written by the Java runner: rnn.*,
fc.*, x, y, and the generated model's logits), and times, as the median of repetitions after warm-up:
  forward      logits under torch.inference_mode()
  fwd_bwd      cross-entropy loss and loss.backward() (gradients set to None first)
  train        the same plus torch.optim.SGD(lr).step()
in both of PyTorch's layouts: batch_first=True (x [B, T, I], as the Java side's input) and time-major
(x [T, B, I], transposed once before timing). Each figure reports the faster layout, and both.
It prints one JSON object on stdout; progress goes to stderr.

usage: torch_bench.py --spec spec.json --threads N [--reps R] [--warmup W] [--max-seconds S]
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    def __init__(self, cell, features, hidden, layers, classes, many_to_many, batch_first):
        super().__init__()
        if cell == "lstm":
            self.rnn = nn.LSTM(features, hidden, num_layers=layers, batch_first=batch_first)
        elif cell == "gru":
            self.rnn = nn.GRU(features, hidden, num_layers=layers, batch_first=batch_first)
        elif cell == "rnn_tanh":
            self.rnn = nn.RNN(features, hidden, num_layers=layers, nonlinearity="tanh", batch_first=batch_first)
        else:
            raise ValueError("unknown cell " + cell)
        self.fc = nn.Linear(hidden, classes)
        self.many_to_many = many_to_many
        self.batch_first = batch_first

    def forward(self, x):
        out, _ = self.rnn(x)
        if not self.many_to_many:
            out = out[:, -1] if self.batch_first else out[-1]
        return self.fc(out)


def median_ms(fn, warmup, reps, max_seconds):
    # The same rule as the Java side (Timing.measure): warm-up runs `warmup` times and at least 2 s,
    # at most half the budget; timed repetitions stop once min(3, reps) are in and the budget has gone.
    warm_started = time.perf_counter()
    min_warmup = min(2.0, max_seconds / 2)
    i = 0
    while warmup > 0:
        fn()
        i += 1
        spent = time.perf_counter() - warm_started
        if spent > max_seconds / 2 or (i >= warmup and spent >= min_warmup):
            break
    times = []
    enough = min(3, max(1, reps))
    started = time.perf_counter()
    while len(times) < max(1, reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) >= enough and time.perf_counter() - started > max_seconds:
            break
    return statistics.median(times), len(times)


LAYOUTS = (("batch-first", True), ("time-major", False))


def run(w, args):
    out = {}
    for layout, batch_first in LAYOUTS:
        for name, value in run_layout(w, args, layout, batch_first).items():
            out[name + "_" + layout] = value
    for name in ("forward", "fwd_bwd", "train"):
        best = min((out[name + "_" + layout], layout) for layout, _ in LAYOUTS)
        out[name], out[name + "_layout"] = best
    out["logits_max_abs_diff"] = out["logits_max_abs_diff_batch-first"]
    return out


def run_layout(w, args, layout, batch_first):
    dtype = torch.float64 if w["dtype"] == "float64" else torch.float32
    data = np.load(w["npz"])
    net = Net(w["cell"], w["features"], w["hidden"], w["layers"], w["classes"], w["many_to_many"],
              batch_first).to(dtype)
    state = {k: torch.from_numpy(data[k]).to(dtype) for k in net.state_dict().keys()}
    net.load_state_dict(state)
    x = torch.from_numpy(data["x"]).to(dtype)
    y = torch.from_numpy(data["y"]).long()
    classes = w["classes"]

    with torch.inference_mode():
        logits = net(x) if batch_first else net(x.transpose(0, 1).contiguous())
    if not batch_first and w["many_to_many"]:
        logits = logits.transpose(0, 1)
    diff = float(np.max(np.abs(logits.numpy() - data["logits"]))) if "logits" in data else None
    if not batch_first:
        x = x.transpose(0, 1).contiguous()
        if w["many_to_many"]:
            y = y.transpose(0, 1).contiguous()

    def forward():
        with torch.inference_mode():
            return net(x)

    def loss():
        return F.cross_entropy(net(x).reshape(-1, classes), y.reshape(-1))

    def fwd_bwd():
        net.zero_grad(set_to_none=True)
        l = loss()
        l.backward()
        return l

    opt = torch.optim.SGD(net.parameters(), lr=w["lr"])

    def train():
        opt.zero_grad(set_to_none=True)
        l = loss()
        l.backward()
        opt.step()
        return l

    out = {"logits_max_abs_diff": diff}
    for name, fn in (("forward", forward), ("fwd_bwd", fwd_bwd), ("train", train)):
        ms, n = median_ms(fn, args.warmup, args.reps, args.max_seconds)
        out[name] = ms
        out[name + "_reps"] = n
        print(f"torch {w['id']} {layout} {name}: {ms:.3f} ms ({n} reps)", file=sys.stderr, flush=True)
    return out


def blas_libraries():
    """The BLAS shared libraries this process has mapped (Linux), e.g. Debian's libopenblasp-r0.3.21.so."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.split()[-1].lower()}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--spec", required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--max-seconds", type=float, default=10.0)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    with open(args.spec) as f:
        spec = json.load(f)
    results = {w["id"]: run(w, args) for w in spec}
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_libraries(),
        "results": results,
    }))


if __name__ == "__main__":
    main()
