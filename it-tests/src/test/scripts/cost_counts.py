"""Parameter counts per module of the PyTorch models that CostTest's models mirror.

Prints one line per model: the Java model name, then module=count pairs, where a recurrent module is
split per layer and direction by its parameters' suffix (rnn.l0, rnn.l0_reverse), as Cost names them.
CostTest holds the output of this script (PyTorch 1.13): python3 cost_counts.py
"""
import torch.nn as nn


def recurrent(name, module):
    counts = {}
    for pname, p in module.named_parameters():
        suffix = pname[pname.index("_l") + 1:]  # weight_ih_l0_reverse -> l0_reverse
        counts[name + "." + suffix] = counts.get(name + "." + suffix, 0) + p.numel()
    return counts


def whole(name, module):
    return {name: sum(p.numel() for p in module.parameters())}


def model(**modules):
    counts = {}
    for name, m in modules.items():
        counts.update(recurrent(name, m) if isinstance(m, nn.RNNBase) else whole(name, m))
    return counts


MODELS = {
    # @Lstm(hidden = 5, layers = 2) @Features(9) @ManyToOne @Output(3)
    "LstmClassifier": model(rnn=nn.LSTM(9, 5, num_layers=2), fc=nn.Linear(5, 3)),
    # @Gru(hidden = 4, bidirectional = true) @Embedding(vocab = 10, dim = 3) @ManyToMany @Output(6)
    "GruTagger": model(embedding=nn.Embedding(10, 3), rnn=nn.GRU(3, 4, bidirectional=True), fc=nn.Linear(8, 6)),
    # @Rnn(hidden = 8, bias = false) @Features(3) @ManyToMany @Output(2)
    "RnnNoBias": model(rnn=nn.RNN(3, 8, bias=False), fc=nn.Linear(8, 2)),
    # @Lstm(hidden = 6, layers = 2, bidirectional = true, bias = false) @Embedding(vocab = 12, dim = 4)
    # @ManyToOne @Output(5)
    "DeepLstm": model(embedding=nn.Embedding(12, 4),
                      rnn=nn.LSTM(4, 6, num_layers=2, bidirectional=True, bias=False), fc=nn.Linear(12, 5)),
    # @OneToMany @Gru(hidden = 5, layers = 2) @Condition(6) @Embedding(vocab = 9, dim = 5) @Output(9)
    "Captioner": model(init=nn.Linear(6, 2 * 5), embedding=nn.Embedding(9, 5), rnn=nn.GRU(5, 5, num_layers=2),
                       fc=nn.Linear(5, 9)),
    # @Seq2Seq, encoder @Lstm(hidden = 7, bidirectional = true) @Embedding(vocab = 13, dim = 5),
    # decoder @Lstm(hidden = 7) @Embedding(vocab = 11, dim = 4) @Output(11)
    "Translator": model(src_embedding=nn.Embedding(13, 5), encoder=nn.LSTM(5, 7, bidirectional=True),
                        bridge=nn.Linear(14, 7), bridge_c=nn.Linear(14, 7), tgt_embedding=nn.Embedding(11, 4),
                        decoder=nn.LSTM(4, 7), fc=nn.Linear(7, 11)),
}

if __name__ == "__main__":
    for name, counts in MODELS.items():
        print(name, " ".join(f"{k}={v}" for k, v in counts.items()))
