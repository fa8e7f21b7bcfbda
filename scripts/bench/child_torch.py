"""PyTorch side of scripts/bench/steps.sh: the same child networks as StepBenchmark, trained with
the same SGD settings, batch 64, 2 threads. Needs Debian's python3-torch.
Usage: child_torch.py THREADS [channels_last]"""
import sys, time
import torch
import torch.nn as nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
BATCH, STEPS = 64, 20

def cbr(cin, cout, k, s, g, act=True):
    layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=g, bias=False), nn.BatchNorm2d(cout, momentum=0.1, eps=1e-3)]
    if act:
        layers.append(nn.ReLU6())
    return layers

class MB(nn.Module):
    def __init__(self, cin, cout, k, s, e, res):
        super().__init__()
        mid = round(cin * e)
        layers = [] if e == 1 else cbr(cin, mid, 1, 1, 1)
        layers += cbr(mid, mid, k, s, mid) + cbr(mid, cout, 1, 1, 1, act=False)
        self.body, self.res = nn.Sequential(*layers), res
    def forward(self, x):
        y = self.body(x)
        return y + x if self.res else y

def child(k, e):
    layers = cbr(1, 16, 3, 1, 1) + [MB(16, 16, 3, 1, 1, False)]
    cin = 16
    for width, n, stride in [(24, 2, 2), (40, 2, 2), (80, 2, 1)]:
        for i in range(n):
            s = stride if i == 0 else 1
            layers.append(MB(cin, width, k, s, e, s == 1 and cin == width))
            cin = width
    layers += cbr(cin, 160, 1, 1, 1)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(160, 10))

FORMAT = torch.channels_last if sys.argv[2:] == ["channels_last"] else torch.contiguous_format
x = torch.randn(BATCH, 1, 28, 28).contiguous(memory_format=FORMAT)
y = torch.arange(BATCH) % 10
for name, (k, e) in [("k7e6", (7, 6)), ("k3e3", (3, 3))]:
    net = child(k, e).to(memory_format=FORMAT)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, nesterov=True, weight_decay=4e-5)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    for _ in range(10):
        step()
    start = time.perf_counter()
    for _ in range(STEPS):
        step()
    print("%-28s %10.1f" % ("child all-%s train step" % name, STEPS * BATCH / (time.perf_counter() - start)))
