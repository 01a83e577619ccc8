"""torch.nn and torch.optim cases run twice: by Debian's PyTorch 1.13 (scripts/make_nn_fixture.py records
test/fixtures/torch_nn.json) and by the notebook runtime's torch (test/notebook/nn.test.ts compares).
`run()` returns plain JSON data; the models are seeded and their inputs are formulas, so both sides see
the same numbers. Three layer stacks as learners write them with torch.nn after makemore part 3: the
lecture's part 3 MLP (Embedding, Flatten, Linear without bias, BatchNorm1d, Tanh), part 5's WaveNet
(FlattenConsecutive, BatchNorm1d over 3-D input), and an nn.Module subclass (LayerNorm, ReLU, Dropout,
CrossEntropyLoss)."""

import hashlib
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB = 27


class FlattenConsecutive(nn.Module):
    """makemore part 5's layer, as an nn.Module: (B, T, C) -> (B, T // n, C * n), squeezed when T // n is 1."""

    def __init__(self, n):
        super().__init__()
        self.n = n

    def forward(self, x):
        B, T, C = x.shape
        x = x.view(B, T // self.n, C * self.n)
        if x.shape[1] == 1:
            x = x.squeeze(1)
        return x


class BatchNormOverTime(nn.Module):
    """nn.BatchNorm1d normalises dim 1 of a 3-D input: a (B, T, C) activation is transposed to (B, C, T)."""

    def __init__(self, n):
        super().__init__()
        self.bn = nn.BatchNorm1d(n)

    def forward(self, x):
        return self.bn(x.transpose(1, 2)).transpose(1, 2).contiguous()  # contiguous: the next view needs it


class MLP(nn.Module):
    def __init__(self, n_embd=8, block_size=3, n_hidden=48):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, n_embd)
        self.fc1 = nn.Linear(n_embd * block_size, n_hidden)
        self.ln = nn.LayerNorm(n_hidden)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(n_hidden, VOCAB)
        self.loss_fn = nn.CrossEntropyLoss()

    def forward(self, x, targets=None):
        h = self.emb(x).view(x.shape[0], -1)
        h = self.drop(F.relu(self.ln(self.fc1(h))))
        logits = self.fc2(h)
        return logits if targets is None else self.loss_fn(logits, targets)


def part3(n_embd=10, block_size=3, n_hidden=64):
    model = nn.Sequential(
        nn.Embedding(VOCAB, n_embd), nn.Flatten(),
        nn.Linear(n_embd * block_size, n_hidden, bias=False), nn.BatchNorm1d(n_hidden), nn.Tanh(),
        nn.Linear(n_hidden, n_hidden, bias=False), nn.BatchNorm1d(n_hidden), nn.Tanh(),
        nn.Linear(n_hidden, VOCAB, bias=False), nn.BatchNorm1d(VOCAB))
    with torch.no_grad():  # the lecture's idioms: a less confident last layer, tanh gain on the others
        model[-1].weight *= 0.1
        for layer in model:
            if isinstance(layer, nn.Linear):
                layer.weight *= 5 / 3
    return model


def part5(n_embd=10, n_hidden=32):
    return nn.Sequential(
        nn.Embedding(VOCAB, n_embd),
        FlattenConsecutive(2), nn.Linear(n_embd * 2, n_hidden, bias=False), BatchNormOverTime(n_hidden), nn.Tanh(),
        FlattenConsecutive(2), nn.Linear(n_hidden * 2, n_hidden, bias=False), BatchNormOverTime(n_hidden), nn.Tanh(),
        FlattenConsecutive(2), nn.Linear(n_hidden * 2, n_hidden, bias=False), nn.BatchNorm1d(n_hidden), nn.Tanh(),
        nn.Linear(n_hidden, VOCAB))


MODELS = {'part3': (part3, 3), 'part5': (part5, 8), 'mlp': (MLP, 3)}


def batch(step, block_size, n=32):
    """A batch from a formula: contexts of character indices and their next characters."""
    xs = [[(i * 7 + j * 3 + i * j + step * 5) % VOCAB for j in range(block_size)] for i in range(n)]
    ys = [(i * 11 + step * 3 + 1) % VOCAB for i in range(n)]
    return torch.tensor(xs), torch.tensor(ys)


def loss_of(model, x, y):
    if isinstance(model, MLP):
        return model(x, y)
    return F.cross_entropy(model(x), y)


def digest(t):
    """sha256 of a tensor's values as little-endian float32/float64/int64 bytes: equal iff bit for bit."""
    v = t.detach().flatten().tolist()
    code = {torch.float32: 'f', torch.float64: 'd', torch.int64: 'q'}[t.dtype]
    return hashlib.sha256(struct.pack(f'<{len(v)}{code}', *v)).hexdigest()


def sample(t, k=24):
    """k values at evenly spaced flat positions (all of them for a small tensor), and the sum of |values|."""
    v = t.detach().flatten().tolist()
    stride = max(1, len(v) // k)
    picked = v[::stride][:k]
    return {'stride': stride, 'values': [float(a) for a in picked], 'abs_sum': float(sum(abs(float(a)) for a in v)),
            'shape': list(t.shape)}


def err(f):
    try:
        f()
    except Exception as e:
        return f'{type(e).__name__}: {e}'
    return 'no error'


def structure():
    out = {}
    for name, (make, _) in MODELS.items():
        torch.manual_seed(1)
        m = make()
        out[name] = {
            'repr': repr(m),
            'state_dict': [[k, list(v.shape), str(v.dtype)] for k, v in m.state_dict().items()],
            'named_parameters': [[k, p.requires_grad, p.is_leaf] for k, p in m.named_parameters()],
            'named_children': [k for k, _ in m.named_children()],
            'named_modules': [[k, type(c).__name__] for k, c in m.named_modules()],
            'named_buffers': [k for k, _ in m.named_buffers()],
            'n_params': sum(p.numel() for p in m.parameters()),
            'training': [c.training for c in m.modules()],
            'eval_training': [c.training for c in m.eval().modules()],
            'train_training': [c.training for c in m.train().modules()],
            'init_digests': {k: digest(v) for k, v in m.state_dict().items()},
            'init_head': {k: [float(a) for a in v.flatten().tolist()[:6]] for k, v in m.state_dict().items()},
        }
    torch.manual_seed(1)
    m = part3()
    seq = {
        'len': len(m), 'getitem': repr(m[2]), 'neg': repr(m[-1]), 'slice': repr(m[1:4]),
        'iter': [type(c).__name__ for c in m], 'slice_type': type(m[1:3]).__name__,
    }
    p = nn.Parameter(torch.tensor([[1.0, -2.5], [0.125, 3.0]]))
    lin = nn.Linear(2, 3)
    lin2 = nn.Linear(3, 3)
    extra = {
        'parameter_repr': repr(p), 'parameter_str': str(p), 'parameter_type': type(p).__name__,
        'parameter_isinstance': isinstance(p, torch.Tensor),
        'parameter_no_grad': repr(nn.Parameter(torch.tensor([1.0, 2.0]), requires_grad=False)),
        'module_list': repr(nn.ModuleList([nn.Linear(2, 2), nn.ReLU()])),
        'relu_inplace': repr(nn.ReLU(inplace=True)),
        'layernorm': repr(nn.LayerNorm([4, 5], elementwise_affine=False)),
        'embedding_pad': repr(nn.Embedding(10, 3, padding_idx=0)),
        'bn_opts': repr(nn.BatchNorm1d(7, eps=1e-3, momentum=None, affine=False)),
        'flatten': repr(nn.Flatten(0, 1)), 'identity': repr(nn.Identity()), 'loss': repr(nn.CrossEntropyLoss()),
        'load_ok': repr(lin.load_state_dict(lin.state_dict())),
        'load_nonstrict': repr(lin.load_state_dict({'weight': torch.zeros(3, 2)}, strict=False)),
        'load_missing': err(lambda: lin.load_state_dict({'weight': torch.zeros(3, 2)})),
        'load_unexpected': err(lambda: lin.load_state_dict({'weight': torch.zeros(3, 2), 'bias': torch.zeros(3),
                                                            'extra': torch.zeros(1)})),
        'load_size': err(lambda: lin.load_state_dict(lin2.state_dict())),
        'bn_4d': err(lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 5))),
        'bn_batch1': err(lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3))),
        'emb_float': err(lambda: nn.Embedding(5, 2)(torch.zeros(3))),
        'emb_range': err(lambda: nn.Embedding(5, 2)(torch.tensor([5]))),
        'linear_shape': err(lambda: nn.Linear(4, 3)(torch.zeros(2, 5))),
        'no_forward': err(lambda: nn.Module()(torch.zeros(1))),
        'no_attr': err(lambda: nn.Linear(2, 2).nope),
        'assign_tensor_param': err(lambda: setattr(nn.Linear(2, 2), 'weight', torch.zeros(2, 2))),
        'dropout_p': err(lambda: nn.Dropout(1.5)),
        'sgd_no_lr': err(lambda: torch.optim.SGD(nn.Linear(2, 2).parameters())),
        'sgd_nesterov': err(lambda: torch.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1, nesterov=True)),
        'adam_beta': err(lambda: torch.optim.Adam(nn.Linear(2, 2).parameters(), betas=(1.0, 0.999))),
        'empty_params': err(lambda: torch.optim.SGD([], lr=0.1)),
        'getattr_modules': sorted(k for k in dir(lin) if k in ('weight', 'bias', 'forward', 'in_features')),
    }
    opts = {}
    for oname, make in OPTIMIZERS.items():
        torch.manual_seed(0)
        model = nn.Linear(3, 2)
        opt = make(model.parameters())
        before = repr(opt)
        model(torch.ones(4, 3)).sum().backward()
        opt.step()
        sd = opt.state_dict()
        opts[oname] = {
            'repr': before,
            'param_groups': [[[k, repr(v)] for k, v in g.items()] for g in sd['param_groups']],
            'state': {str(k): {sk: (repr(sv) if not isinstance(sv, torch.Tensor) else [list(sv.shape), str(sv.dtype)])
                               for sk, sv in v.items()} for k, v in sd['state'].items()},
            'step_repr': repr(sd['state'][0].get('step')),
        }
    # zero_grad: PyTorch 1.13 zeroes in place by default; set_to_none=True drops the grad
    lin = nn.Linear(2, 2)
    lin(torch.ones(1, 2)).sum().backward()
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    opt.zero_grad()
    zg = [repr(lin.weight.grad), repr(lin.bias.grad)]
    opt.zero_grad(set_to_none=True)
    zg.append(repr(lin.weight.grad))
    lin(torch.ones(1, 2)).sum().backward()
    lin.zero_grad()
    zg.append(repr(lin.bias.grad))
    lin.zero_grad(set_to_none=True)
    zg.append(repr(lin.bias.grad))
    return {'models': out, 'sequential': seq, 'extra': extra, 'optimizers': opts, 'zero_grad': zg}


OPTIMIZERS = {
    'sgd': lambda ps: torch.optim.SGD(ps, lr=0.1),
    'sgd_momentum': lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
    'sgd_nesterov': lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-4),
    'sgd_maximize': lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.5, maximize=True),
    'adam': lambda ps: torch.optim.Adam(ps, lr=1e-2),
    'adam_wd_amsgrad': lambda ps: torch.optim.Adam(ps, lr=3e-3, betas=(0.8, 0.99), eps=1e-6, weight_decay=1e-2,
                                                   amsgrad=True),
    'adamw': lambda ps: torch.optim.AdamW(ps, lr=1e-2),
    'adamw_amsgrad': lambda ps: torch.optim.AdamW(ps, lr=2e-3, weight_decay=0.1, amsgrad=True),
}


def optim_exact(steps=4):
    """Each optimizer on fixed parameters with gradients set from formulas: the update alone, so PyTorch's and
    ours must agree bit for bit (the same ops in the same order, rounded alike)."""
    out = {}
    for name, make in OPTIMIZERS.items():
        p0 = torch.tensor([[((i * 5 + j) % 7 - 3) * 0.37 + 0.011 * i for j in range(5)] for i in range(3)],
                          requires_grad=True)
        p1 = torch.tensor([0.5 - 0.13 * k for k in range(7)], requires_grad=True)
        opt = make([p0, p1])
        trace = []
        for s in range(steps):
            g0 = torch.tensor([[((i * 3 + j * 2 + s) % 5 - 2) * 0.0731 + 1e-4 * (i - j) for j in range(5)]
                               for i in range(3)])
            g1 = torch.tensor([((k + s) % 3 - 1) * 0.219 - 0.003 * k * s for k in range(7)])
            p0.grad = g0
            p1.grad = g1
            opt.step()
            trace.append([[float(a) for a in p0.detach().flatten().tolist()], [float(a) for a in p1.detach().tolist()]])
        out[name] = trace
    return out


TRAIN = [('part3', 'sgd'), ('part3', 'sgd_nesterov'), ('part5', 'adamw'), ('mlp', 'adam_wd_amsgrad')]


def train(dtype, steps=4):
    """K optimizer steps on each model (seeded init, formula batches); the losses at every step, the logits of
    the first batch in train and eval mode, and samples of every tensor of the state_dict after the steps."""
    out = {}
    for mname, oname in TRAIN:
        make, block_size = MODELS[mname]
        torch.manual_seed(42)
        model = make()
        if dtype == 'float64':
            model.double()
        opt = OPTIMIZERS[oname](model.parameters())
        x0, y0 = batch(0, block_size)
        torch.manual_seed(7)  # the dropout masks
        first = model(x0)
        losses = []
        for s in range(steps):
            x, y = batch(s, block_size)
            loss = loss_of(model, x, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            eval_logits = model(x0)
        out[f'{mname}/{oname}'] = {
            'first_logits': sample(first, 96),
            'losses': losses,
            'eval_logits': sample(eval_logits, 96),
            'state': {k: sample(v) for k, v in model.state_dict().items()},
        }
    return out


def run():
    return {'structure': structure(), 'optim_exact': optim_exact(), 'train_float32': train('float32'),
            'train_float64': train('float64')}
