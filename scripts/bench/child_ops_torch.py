"""PyTorch half of scripts/bench/ops.sh: forward+backward ms of single layers, batch 64, median of 20."""
import sys, time, statistics
import torch
import torch.nn as nn

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
layers = [
    ("conv 1x1 16->48 @28x28", nn.Conv2d(16, 48, 1, bias=False), (64, 16, 28, 28)),
    ("dwconv 3x3/2 48 @28x28", nn.Conv2d(48, 48, 3, 2, 1, groups=48, bias=False), (64, 48, 28, 28)),
    ("conv 1x1 48->24 @14x14", nn.Conv2d(48, 24, 1, bias=False), (64, 48, 14, 14)),
    ("batchnorm 48 @28x28", nn.BatchNorm2d(48, eps=1e-3), (64, 48, 28, 28)),
]
for name, layer, shape in layers:
    base = torch.randn(*shape)
    times = []
    for i in range(25):
        x = base.clone().requires_grad_(True)
        start = time.perf_counter()
        layer(x).sum().backward()
        if i >= 5:
            times.append((time.perf_counter() - start) * 1000)
    print("%-26s %8.2f" % (name, statistics.median(times)))
