# Cells run twice, one by one: by Debian's PyTorch 1.13 (scripts/make_nn_extra_fixture.py records
# test/fixtures/torch_nn_extra.json) and by the notebook runtime (test/notebook/nn-extra.test.ts compares each
# cell's stdout, stderr and error character for character; a cell whose first line is `# numeric` prints
# JSON floats compared within float32 rounding). The cells share one namespace, as a notebook's do.
# Activations: F.gelu (both forms), leaky_relu, silu, elu, their modules and reprs, their gradients.
# %%
import json
import torch
import torch.nn as nn
import torch.nn.functional as F
x = torch.linspace(-3, 3, 13).requires_grad_()
acts = {'gelu': F.gelu, 'gelu_tanh': lambda t: F.gelu(t, approximate='tanh'), 'leaky_relu': F.leaky_relu,
        'leaky_relu_0.2': lambda t: F.leaky_relu(t, 0.2), 'silu': F.silu, 'elu': F.elu,
        'elu_0.5': lambda t: F.elu(t, alpha=0.5)}
for name, f in acts.items():
    y = f(x)
    y.backward(torch.linspace(0.5, 1.5, 13))
    print(name, y.detach(), x.grad, sep='\n')
    x.grad = None
# %%
# numeric
xs = torch.cat([torch.linspace(-9, 9, 41), torch.tensor([-1e-3, 1e-3, -20.0, 20.0])]).requires_grad_()
vals = {'x': xs.tolist()}
for name, f in acts.items():
    y = f(xs)
    y.sum().backward()
    vals[name] = [y.tolist(), xs.grad.tolist()]
    xs.grad = None
print(json.dumps(vals))
# %%
for m in [nn.GELU(), nn.GELU('tanh'), nn.LeakyReLU(), nn.LeakyReLU(0.2, inplace=True), nn.SiLU(),
          nn.SiLU(inplace=True), nn.ELU(), nn.ELU(alpha=0.5, inplace=True), nn.Sigmoid(), nn.Softmax(dim=1),
          nn.Softmax(), nn.Identity(), nn.Identity(54, unused='x'), nn.Tanh(), nn.ReLU()]:
    print(repr(m))
torch.manual_seed(1)
model = nn.Sequential(nn.Linear(4, 8), nn.GELU(), nn.Linear(8, 8), nn.LeakyReLU(0.1), nn.Linear(8, 3), nn.SiLU(),
                      nn.Identity(), nn.Softmax(dim=1))
model
# %%
out = model(torch.randn(5, 4))
print(out.sum(1))
h = torch.randn(3, 4)
print(nn.ELU(inplace=True)(h) is h, h)
for f in [lambda h: F.silu(h, inplace=True), lambda h: F.elu(h, inplace=True), lambda h: F.leaky_relu(h, 0.1, True),
          lambda h: F.relu(h, inplace=True), nn.ReLU(inplace=True)]:
    x5 = torch.linspace(-2, 2, 5).requires_grad_()
    h = x5 * 1.0
    f(h).sum().backward()
    print(h.detach(), x5.grad)
# %%
F.gelu(x, approximate='foo')
# %%
F.gelu(torch.arange(3))
# %%
F.leaky_relu(torch.arange(3))
# %%
F.silu(torch.arange(3))
# %%
F.elu(torch.arange(3))
# %%
F.gelu(x, 'tanh')
# %%
# clip_grad_norm_ and clip_grad_value_
torch.manual_seed(0)
m = nn.Linear(4, 3)
m(torch.randn(5, 4)).pow(2).sum().backward()
total = nn.utils.clip_grad_norm_(m.parameters(), 1.0)
print(total, total.requires_grad, m.weight.grad, m.bias.grad, sep='\n')
print(torch.nn.utils.clip_grad_norm_(m.parameters(), 0.5, norm_type='inf'))
print(torch.nn.utils.clip_grad_norm_(m.parameters(), 10.0, norm_type=1), m.bias.grad)
print(torch.nn.utils.clip_grad_norm_(m.bias, 0.01, norm_type=3.0), m.bias.grad)
print(torch.nn.utils.clip_grad_value_(m.parameters(), 0.004), m.weight.grad)
print(nn.utils.clip_grad_norm_([], 1.0), nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), 1.0))
# %%
w = nn.Parameter(torch.tensor([1.0, 2.0]))
w.grad = torch.tensor([float('inf'), 1.0])
nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
# %%
# learning-rate schedulers
def run(make, steps=8, lr=0.1):
    p = nn.Parameter(torch.zeros(2))
    opt = torch.optim.SGD([p], lr=lr, momentum=0.9)
    sched = make(opt)
    lrs = [opt.param_groups[0]['lr']]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]['lr'])
    return lrs, sched.get_last_lr(), sched.last_epoch

S = torch.optim.lr_scheduler
for name, make in [('StepLR', lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
                   ('MultiStepLR', lambda o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.3)),
                   ('ExponentialLR', lambda o: S.ExponentialLR(o, gamma=0.9)),
                   ('LambdaLR', lambda o: S.LambdaLR(o, lambda epoch: 0.95 ** epoch)),
                   ('CosineAnnealingLR', lambda o: S.CosineAnnealingLR(o, T_max=5, eta_min=0.001)),
                   ('LinearLR', lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4)),
                   ('ConstantLR', lambda o: S.ConstantLR(o, factor=0.5, total_iters=3)),
                   ('PolynomialLR', lambda o: S.PolynomialLR(o, total_iters=6, power=2.0)),
                   ('MultiplicativeLR', lambda o: S.MultiplicativeLR(o, lambda epoch: 0.7))]:
    print(name, run(make))
print('Cosine 30', run(lambda o: S.CosineAnnealingLR(o, T_max=7), steps=30, lr=0.3))
# %%
p = nn.Parameter(torch.zeros(2))
opt = torch.optim.Adam([p], lr=1e-3)
sched = S.SequentialLR(opt, [S.LinearLR(opt, start_factor=0.1, total_iters=2), S.ExponentialLR(opt, gamma=0.5)],
                       milestones=[3])
for _ in range(6):
    opt.step()
    sched.step()
    print(sched.get_last_lr(), opt.param_groups[0]['lr'], opt.param_groups[0]['initial_lr'])
print(sched.state_dict()['_milestones'], S.StepLR(opt, 2).state_dict())
lam = S.MultiplicativeLR(opt, lambda e: 0.5)
state = lam.state_dict()
print(state, S.LambdaLR(opt, [lambda e: 1.0]).state_dict())
lam.step()
lam.load_state_dict(state)
print(lam.last_epoch, lam.get_last_lr())
# %%
# the scheduler stepped before the optimizer: PyTorch's warning, once
p = nn.Parameter(torch.zeros(2))
opt = torch.optim.SGD([p], lr=0.1)
sched = S.StepLR(opt, step_size=1, gamma=0.5)
sched.step()
sched.step()
opt.step()
print(opt.param_groups[0]['lr'], sched.get_last_lr())
# %%
sched.step(5)
print(sched.get_last_lr(), sched.get_lr())
# %%
S.StepLR('not an optimizer', 2)
# %%
S.LinearLR(opt, start_factor=2.0)
# %%
S.LambdaLR(opt, [lambda e: 1.0, lambda e: 2.0])
# %%
S.StepLR(torch.optim.SGD([p], lr=0.1), 2, last_epoch=3)
# %%
# torch.device
x = torch.ones(2)
print(repr(x.device), str(x.device), x.device == 'cpu', x.device == torch.device('cpu'), x.device.type, x.device.index)
print(torch.device('cpu', 0), repr(torch.device('cuda:1')), {torch.device('cpu'): 1}[x.device], type(x.device))
device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
print(device, x.to(device), x.to(device, torch.float64), x.to(device=device, dtype=torch.int64), x.to('cpu'))
print(nn.Linear(2, 2).to(device).weight.device, torch.Generator().device, torch.cuda.is_available())
x.device
# %%
torch.device('gpu')
# %%
x.to('cuda')
# %%
torch.device('cpu:x')
# %%
nn.Linear(2, 2).to(torch.device('cuda', 0))
# %%
# torch.save / torch.load: what learners save, written here and read back
import io
import os
from collections import OrderedDict


def show(o):
    """An object's structure and values (dict reprs differ between Python versions: OrderedDict's changed)."""
    if isinstance(o, dict):
        return type(o).__name__ + '{' + ', '.join(f'{k!r}: {show(v)}' for k, v in o.items()) + '}'
    if isinstance(o, (list, tuple)):
        inner = ', '.join(show(v) for v in o)
        return f'[{inner}]' if isinstance(o, list) else f'({inner})'
    if isinstance(o, torch.Tensor):
        return f'{type(o).__name__}({o.dtype}, {list(o.shape)}, requires_grad={o.requires_grad}, {o.tolist()})'
    return repr(o)


torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
saved = {'state_dict': net.state_dict(), 'optimizer': torch.optim.SGD(net.parameters(), lr=0.1).state_dict(),
         'list': [torch.arange(6).view(2, 3).t(), 1, 'a', (2.5, None)], 'param': nn.Parameter(torch.randn(2)),
         'half': torch.ones(3, dtype=torch.float16) / 3, 'bf16': torch.ones(3, dtype=torch.bfloat16) / 3,
         'i32': torch.arange(-2, 2, dtype=torch.int32), 'u8': torch.arange(250, 254).to(torch.uint8),
         'i8': torch.tensor([-128, 127], dtype=torch.int8), 'i16': torch.tensor([-300, 300], dtype=torch.int16),
         'bool': torch.tensor([True, False]), 'scalar': torch.tensor(3.5, requires_grad=True),
         'f64': torch.linspace(0, 1, 3, dtype=torch.float64), 'empty': torch.zeros(0, 3),
         'dtype': torch.float16, 'size': torch.Size([2, 3]), 'nested': {'a': [torch.eye(2)], 'b': OrderedDict(c=1)}}
torch.save(saved, 'ours.pt')
back = torch.load('ours.pt')
print(show(back))
# %%
net2 = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
print(net2.load_state_dict(torch.load('ours.pt', map_location='cpu')['state_dict']))
print(torch.equal(net2[0].weight, net[0].weight), net2[1].num_batches_tracked)
torch.save(net.state_dict(), 'sd.pt')
print(show(torch.load('sd.pt', weights_only=True)), show(torch.load('sd.pt', map_location=torch.device('cpu'))))
buf = io.BytesIO()
torch.save([torch.eye(2), {'k': torch.tensor([1, 2])}], buf)
buf.seek(0)
print(show(torch.load(buf)))
# %%
# a file PyTorch 1.13 wrote (scripts/make_nn_extra_fixture.py): views of one storage load sharing it
theirs = torch.load(os.path.join(FIXTURES, 'torch_save_pytorch.pt'))
print(show(theirs))
a, b, c = theirs['views']
b[0] = 100.0
print(a, c, sep='\n')
# %%
torch.load('missing.pt')
# %%
class Foo:
    pass


torch.save({'f': Foo()}, 'foo.pt')
torch.load('foo.pt', weights_only=True)
