"""Regenerates the mean-squared-error parity cases in this directory (see README.md).

Run with a Python that has PyTorch 1.13 and NumPy, from this directory:  python3 generate.py
Everything is float64 and seeded: the output is the same on every run.
"""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

CASES = {
    "lstm_many_to_one_mse": dict(cell="lstm", features=5, hidden=8, layers=1, bidirectional=False,
                                 out=2, topology="many_to_one", batch=4, steps=7, masked=False),
    "gru_many_to_one_mse_masked": dict(cell="gru", features=4, hidden=6, layers=1, bidirectional=False,
                                       out=3, topology="many_to_one", batch=4, steps=9, masked=True),
    "lstm_many_to_many_mse_masked": dict(cell="lstm", features=3, hidden=7, layers=1, bidirectional=False,
                                         out=2, topology="many_to_many", batch=4, steps=8, masked=True),
    "gru_many_to_many_mse_2layer": dict(cell="gru", features=4, hidden=6, layers=2, bidirectional=False,
                                        out=1, topology="many_to_many", batch=3, steps=7, masked=False),
    "gru_bidirectional_many_to_many_mse_masked": dict(cell="gru", features=3, hidden=5, layers=1,
                                                      bidirectional=True, out=2, topology="many_to_many",
                                                      batch=4, steps=6, masked=True),
}


class Net(nn.Module):
    def __init__(self, c):
        super().__init__()
        rnn = nn.LSTM if c["cell"] == "lstm" else nn.GRU
        self.rnn = rnn(c["features"], c["hidden"], num_layers=c["layers"], bias=True, batch_first=True,
                       bidirectional=c["bidirectional"])
        self.fc = nn.Linear(c["hidden"] * (2 if c["bidirectional"] else 1), c["out"])
        self.c = c

    def forward(self, x, lengths=None):
        if lengths is not None:
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            out, state = self.rnn(packed)
            out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
        else:
            out, state = self.rnn(x)
        h_n = state[0] if self.c["cell"] == "lstm" else state
        if self.c["topology"] == "many_to_many":
            return self.fc(out)  # no softmax: the predictions themselves; fc.bias at padded steps
        if self.c["bidirectional"]:
            return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))
        return self.fc(h_n[-1])  # the last valid step of each row


def case(name, c, seed):
    torch.manual_seed(seed)
    net = Net(c)
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-0.6, 0.6)
    b, t = c["batch"], c["steps"]
    x = torch.randn(b, t, c["features"])
    lengths = None
    mask = torch.ones(b, t)
    if c["masked"]:
        lengths = torch.tensor([t] + [int(v) for v in torch.randint(1, t, (b - 1,))])
        mask = (torch.arange(t)[None, :] < lengths[:, None]).double()
    pred = net(x, lengths)
    if c["topology"] == "many_to_one":
        y = torch.randn(b, c["out"])
        loss = F.mse_loss(pred, y, reduction="mean")
    else:
        y = torch.randn(b, t, c["out"])
        valid = mask.bool()
        y[~valid] = float("nan")  # never read: the mask, not the target's value, leaves a padded step out
        loss = F.mse_loss(pred[valid], y[valid], reduction="mean")
    loss.backward()
    arrays = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    arrays["x"] = x.numpy()
    arrays["y"] = y.numpy()
    if lengths is not None:
        arrays["lengths"] = lengths.numpy().astype(np.int64)
        arrays["mask"] = mask.numpy()
    arrays["predictions"] = pred.detach().numpy()
    arrays["loss"] = np.array([loss.item()])
    for k, p in net.named_parameters():
        arrays["grad." + k] = p.grad.numpy()
    np.savez(name + ".npz", **arrays)


if __name__ == "__main__":
    for i, (name, c) in enumerate(CASES.items()):
        case(name, c, 1000 + i)
    with open("cases.json", "w") as f:
        json.dump(CASES, f, indent=1, sort_keys=True)
        f.write("\n")
