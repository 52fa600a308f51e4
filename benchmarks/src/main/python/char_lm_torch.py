#!/usr/bin/env python3
"""PyTorch's side of unroll's training benchmark: `char-lm curve --defaults pytorch` in PyTorch.

The same model, data and procedure as the Java command, so that the runner
(dev.unroll.benchmarks.CharLmVersusTorch) can put the two curves side by side:
  model       Embedding(V, 64) -> nn.LSTM(64, 256, num_layers=2, dropout=D) -> nn.Linear(256, V),
              D = --dropout (0, the default, as `char-lm curve`; 0.2 or 0.5 as `char-lm curve --dropout D`:
              between the two layers in training, none in evaluation), PyTorch's default initialisation
  vocabulary  the text's sorted distinct characters (UTF-8), V of them; or its 256 byte values
  split       the last round(N * 0.1) symbols validate (at least 2, at most N - 2), the rest trains
  training    Adam lr 2e-3, batch 64 x 100 steps: the training part cut into 64 contiguous streams
              of L = (N_train - 1) // 64 steps, read in chunks of 100 (the last one shorter), the
              LSTM state carried (detached) from chunk to chunk and reset at each epoch's start;
              mean cross-entropy, clip_grad_norm_(5)
  validation  the validation part as min(64, (N_val - 1) // 100) streams (at least 1), in chunks of
              100 with the state carried; the mean cross-entropy over every target (nats/symbol)
  clock       minutes of training wall clock, evaluations excluded; an evaluation runs after the
              first iteration that ends at or past each mark (minutes 1, 2, 5, 10, 15 up to --minutes,
              every --every minutes, and --minutes itself); the run stops after the last mark

Writes a CSV (minutes,iteration,val_loss) to --out and prints one JSON summary line on stdout;
progress goes to stderr.

usage: char_lm_torch.py --text FILE --minutes M --out curve.csv [--every E] [--threads N]
                        [--vocabulary characters|bytes] [--dropout D] [--seed S]
"""
import argparse
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

BATCH = 64
STEPS = 100
EMBEDDING = 64
HIDDEN = 256
LAYERS = 2
LR = 2e-3
CLIP = 5.0
VALIDATION_FRACTION = 0.1
TABLE = (1, 2, 5, 10, 15)


class CharLm(nn.Module):
    def __init__(self, vocab, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBEDDING)
        self.rnn = nn.LSTM(EMBEDDING, HIDDEN, num_layers=LAYERS, batch_first=True, dropout=dropout)
        self.fc = nn.Linear(HIDDEN, vocab)

    def forward(self, x, state):
        out, state = self.rnn(self.embedding(x), state)
        return self.fc(out), state


def tokens_of(data, vocabulary):
    """The ids of the text and the vocabulary size."""
    if vocabulary == "bytes":
        return list(data), 256
    text = data.decode("utf-8")
    symbols = sorted(set(text))
    if len(symbols) > 256:
        sys.exit(f"the text has {len(symbols)} distinct characters, more than 256; use --vocabulary bytes")
    index = {c: i for i, c in enumerate(symbols)}
    return [index[c] for c in text], len(symbols)


def split(tokens):
    """As unroll's Splits.tail(tokens, 0.1): Java's Math.round, so halves round up."""
    n = len(tokens)
    val = int(math.floor(n * VALIDATION_FRACTION + 0.5))
    if n >= 4:
        val = max(2, min(n - 2, val))
    return tokens[: n - val], tokens[n - val:]


class Streams:
    """As unroll's SequenceBatches: B contiguous streams read in chunks of k steps."""

    def __init__(self, tokens, batch, steps):
        self.length = (len(tokens) - 1) // batch
        if self.length < 1:
            sys.exit(f"a stream of {len(tokens)} symbols is too short for {batch} rows")
        data = torch.tensor(tokens[: batch * self.length + 1], dtype=torch.long)
        self.x = torch.stack([data[b * self.length: (b + 1) * self.length] for b in range(batch)])
        self.y = torch.stack([data[b * self.length + 1: (b + 1) * self.length + 1] for b in range(batch)])
        self.steps = steps
        self.chunks = (self.length + steps - 1) // steps
        self.position = 0

    def next(self):
        chunk = self.position % self.chunks
        self.position += 1
        start = chunk * self.steps
        end = min(start + self.steps, self.length)
        return self.x[:, start:end], self.y[:, start:end], chunk == 0


def evaluate(model, tokens):
    rows = max(1, min(64, (len(tokens) - 1) // STEPS))
    streams = Streams(tokens, rows, STEPS)
    total = 0.0
    count = 0
    state = None
    model.eval()
    with torch.inference_mode():
        for _ in range(streams.chunks):
            x, y, _ = streams.next()
            logits, state = model(x, state)
            total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1),
                                     reduction="sum").item()
            count += y.numel()
    model.train()
    return total / count


def marks(minutes, every):
    m = [t for t in TABLE if t <= minutes + 1e-9]
    if every > 0:
        t = every
        while t <= minutes + 1e-9:
            if all(abs(x - t) >= 1e-6 for x in m):
                m.append(t)
            t += every
    if all(abs(x - minutes) >= 1e-6 for x in m):
        m.append(minutes)
    return sorted(m)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--text", required=True)
    p.add_argument("--minutes", type=float, required=True)
    p.add_argument("--every", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=0, help="torch.set_num_threads; 0 keeps PyTorch's default")
    p.add_argument("--vocabulary", choices=("characters", "bytes"), default="characters")
    p.add_argument("--dropout", type=float, default=0.0, help="nn.LSTM's dropout between the layers")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(a.text, "rb") as f:
        tokens, vocab = tokens_of(f.read(), a.vocabulary)
    train_tokens, val_tokens = split(tokens)
    train = Streams(train_tokens, BATCH, STEPS)
    if not 0 <= a.dropout < 1:
        sys.exit(f"--dropout must be in [0, 1), not {a.dropout}")
    model = CharLm(vocab, a.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    todo = marks(a.minutes, a.every)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); vocabulary {vocab}; "
          f"dropout {a.dropout}; "
          f"{len(train_tokens)} training and {len(val_tokens)} validation symbols; marks {todo}",
          file=sys.stderr, flush=True)

    points = []
    state = None
    iteration = 0
    paused = 0.0
    start = time.perf_counter()
    while todo:
        x, y, starts = train.next()
        if starts:
            state = None
        elif state is not None:
            state = tuple(s.detach() for s in state)
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        optimizer.step()
        iteration += 1
        minutes = (time.perf_counter() - start - paused) / 60
        if minutes >= todo[0]:
            t0 = time.perf_counter()
            val = evaluate(model, val_tokens)
            spent = time.perf_counter() - t0
            paused += spent
            points.append((minutes, iteration, val))
            print(f"minute {minutes:5.2f}  iteration {iteration:6d}  train {loss.item():.4f}  "
                  f"validation {val:.4f}  (evaluation took {spent:.1f} s)", file=sys.stderr, flush=True)
            while todo and minutes >= todo[0]:
                todo.pop(0)
    seconds = time.perf_counter() - start - paused
    with open(a.out, "w") as f:
        f.write("minutes,iteration,val_loss\n")
        for m, i, v in points:
            f.write(f"{m:.4f},{i},{v:.6f}\n")
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "vocabulary": vocab,
                      "dropout": a.dropout, "iterations": iteration, "train_seconds": seconds}), flush=True)


if __name__ == "__main__":
    main()
