"""One default LWay adaptation step in PyTorch, for the CPU comparison of `npm run bench:gpu`'s wasm row.

The same computation as bench/gpu.ts's step (test/helpers/adapt-steps.ts, adapt()'s objective), with seeded random
weights (speed does not depend on their values): realesr-general-x4v3 (SRVGGNetCompact: 64 features, 32 body convs,
PReLU, pixel shuffle x4 plus the nearest-upsampled input) on 4 crops of 48x48; the stage-1 R (4x4/4 conv 3->32 +
FiLM, 3 FiLM-modulated 3x3 32->32 convs with LeakyReLU 0.2, 3x3 32->3, plus the 4x4 area downscale); weighted L1 plus
LPIPS-alex (5 conv layers, unit-normalised features, 1x1 linear heads) between W*(R(S(x))) and W*x; Adam on the
output-side ~65 % of x4v3's parameters. Median of --runs steps after 2 warm-ups.

    /usr/bin/python3 bench/torch-step.py [--threads 2] [--crop 48] [--crops 4] [--runs 7]

Debian: apt-get install python3-torch (1.13.1, CPU).
"""

import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Srvgg(nn.Module):
    def __init__(self, nf=64, nconv=32, up=4):
        super().__init__()
        layers = [nn.Conv2d(3, nf, 3, 1, 1), nn.PReLU(nf)]
        for _ in range(nconv):
            layers += [nn.Conv2d(nf, nf, 3, 1, 1), nn.PReLU(nf)]
        layers += [nn.Conv2d(nf, 3 * up * up, 3, 1, 1)]
        self.body = nn.Sequential(*layers)
        self.up = up

    def forward(self, x):
        y = F.pixel_shuffle(self.body(x), self.up)
        return y + F.interpolate(x, scale_factor=self.up, mode="nearest")


class Reconstructor(nn.Module):
    """R(y, e) with the FiLM maps of a fixed embedding folded into per-channel scale and shift."""

    def __init__(self, w=32, depth=5, s=4):
        super().__init__()
        self.s = s
        self.convs = nn.ModuleList([nn.Conv2d(3, w, s, s)] + [nn.Conv2d(w, w, 3, 1, 1) for _ in range(depth - 2)])
        self.gamma = [torch.randn(1, w, 1, 1) * 0.1 + 1 for _ in self.convs]
        self.beta = [torch.randn(1, w, 1, 1) * 0.1 for _ in self.convs]
        self.out = nn.Conv2d(w, 3, 3, 1, 1)

    def forward(self, hr):
        x = hr - 0.5
        for conv, g, b in zip(self.convs, self.gamma, self.beta):
            x = F.leaky_relu(conv(x) * g + b, 0.2)
        return F.avg_pool2d(hr, self.s) + self.out(x)


class LpipsAlex(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(
            [
                nn.Conv2d(3, 64, 11, 4, 2),
                nn.Conv2d(64, 192, 5, 1, 2),
                nn.Conv2d(192, 384, 3, 1, 1),
                nn.Conv2d(384, 256, 3, 1, 1),
                nn.Conv2d(256, 256, 3, 1, 1),
            ]
        )
        self.lins = nn.ModuleList([nn.Conv2d(c, 1, 1, bias=False) for c in (64, 192, 384, 256, 256)])
        self.register_buffer("shift", torch.tensor([-0.03, -0.088, -0.188]).view(1, 3, 1, 1))
        self.register_buffer("scale", torch.tensor([0.458, 0.448, 0.45]).view(1, 3, 1, 1))

    def forward(self, a, b):
        n = a.shape[0]
        x = (torch.cat([a, b]) * 2 - 1 - self.shift) / self.scale
        total = 0
        for k, (conv, lin) in enumerate(zip(self.convs, self.lins)):
            if k in (1, 2):
                x = F.max_pool2d(x, 3, 2)
            x = F.relu(conv(x))
            f = x / (torch.sqrt((x * x).sum(1, keepdim=True) + 1e-20) + 1e-10)
            total = total + lin((f[:n] - f[n:]) ** 2).mean((1, 2, 3))
        return total


def output_side_params(model, fraction):
    """The output-side suffix of parameters whose count is closest to `fraction` (adapt-param-subset.ts)."""
    params = list(model.parameters())
    total = sum(p.numel() for p in params)
    target, count, start = fraction * total, 0, len(params)
    while start > 0:
        nxt = count + params[start - 1].numel()
        if start < len(params) and abs(nxt - target) >= abs(count - target):
            break
        count, start = nxt, start - 1
    return params[start:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--crop", type=int, default=48)
    ap.add_argument("--crops", type=int, default=4)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    sr, rec, lpips = Srvgg(), Reconstructor(), LpipsAlex()
    for p in list(rec.parameters()) + list(lpips.parameters()):
        p.requires_grad_(False)
    for p in sr.parameters():
        p.requires_grad_(False)
    trained = output_side_params(sr, 0.65)
    for p in trained:
        p.requires_grad_(True)
    opt = torch.optim.Adam(trained, lr=2e-6, eps=1e-7)
    x = torch.rand(args.crops, 3, args.crop, args.crop)
    w = torch.rand(args.crops, 1, args.crop, args.crop)

    def step():
        t0 = time.perf_counter()
        opt.zero_grad()
        r = rec(sr(x))
        loss = ((r - x) * w).abs().mean() + lpips(r * w, x * w).mean()
        loss.backward()
        opt.step()
        float(loss)
        return time.perf_counter() - t0

    step()
    step()
    times = [step() for _ in range(args.runs)]
    share = sum(p.numel() for p in trained) / sum(p.numel() for p in sr.parameters())
    print(
        f"torch {torch.__version__}, {args.threads} thread(s), {args.crops} x {args.crop}x{args.crop}, "
        f"{100 * share:.1f} % of x4v3 trained: step median {1000 * statistics.median(times):.0f} ms "
        f"(all: {' '.join(f'{1000 * t:.0f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
