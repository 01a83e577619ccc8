"""The lecture's data pipeline on a names file, shared by the PyTorch scripts (fixtures and the bench peer):
vocab '.' = 0 then the sorted characters, random.seed(42); random.shuffle(words), the first 80% of the
names as the training split, context windows of T tokens (the lecture's build_dataset)."""

import random

import torch


def lecture_train_split(path, T):
    """Xtr (n, T) and Ytr (n) as int64 tensors, and the vocabulary size."""
    words = open(path, encoding='utf-8').read().splitlines()
    chars = sorted(list(set(''.join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi['.'] = 0
    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    X, Y = [], []
    for w in words[:n1]:
        context = [0] * T
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y), len(stoi)
