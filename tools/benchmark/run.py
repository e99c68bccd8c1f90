"""Run the registered benchmarks and rewrite docs/benchmarks.md.

    python tools/benchmark/run.py [--only NAME ...] [--repeats 3]

Every (benchmark, variant, repeat) runs in a fresh child process: inputs are
prepared untimed, then the measured work is timed; the child's peak resident
memory (its own and its worker processes') is read from getrusage. Each
benchmark compares its variants against the first (the named baseline) as a
ratio of medians measured in the same run, the variants' repeats
interleaved; a ``paired`` benchmark runs all its variants in one process,
one call of each in turn, and takes the median call. The demo's stage
times are added from work_dirs/demo/results.json when it exists (else the
table's last ones are kept). Run by hand or by the demo; never as a unit
test.
"""
import argparse
import datetime
import json
import os
import os.path as osp
import platform
import resource
import subprocess
import sys
import tempfile
import time

from benchmarks import BENCHMARKS  # tools/benchmark/benchmarks.py

from mmwsss.utils.io import atomic_write

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def child(name, variant):
    bench = BENCHMARKS[name]
    if bench.get('paired'):
        return paired_child(name)
    with tempfile.TemporaryDirectory() as work:
        state = bench['setup'](variant, work)
        t = time.perf_counter()
        items = bench['run'](state)
        seconds = time.perf_counter() - t
    rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print('RESULT ' + json.dumps(dict(items=items, seconds=seconds,
                                      peak_mb=rss / 1024)))


def paired_child(name):
    """All variants in one process, one ``run`` call of each in turn for
    ``paired`` rounds: a variant's rate is the median of its calls, so the
    ratios see the same machine state (for overheads of a few per cent,
    which process-to-process noise hides). Peak memory is the process's,
    shared by the variants, so it is not reported."""
    import numpy as np
    bench = BENCHMARKS[name]
    out = {}
    with tempfile.TemporaryDirectory() as work:
        states = [bench['setup'](v, work) for v in bench['variants']]
        times = [[] for _ in states]
        items = [0] * len(states)
        for _ in range(bench['paired']):
            for i, state in enumerate(states):
                t = time.perf_counter()
                items[i] = bench['run'](state)
                times[i].append(time.perf_counter() - t)
    for v, n, ts in zip(bench['variants'], items, times):
        out[v] = dict(items=n, seconds=float(np.median(ts)), peak_mb=None)
    print('RESULT ' + json.dumps(out))


DEMO_TITLE = 'Demo stage times (`make demo`, last run)'


def measure_once(name, variant):
    proc = subprocess.run(
        [sys.executable, __file__, '--child', name, variant],
        capture_output=True, text=True, cwd=HERE)
    line = [ln for ln in proc.stdout.splitlines()
            if ln.startswith('RESULT ')]
    if proc.returncode or not line:
        raise RuntimeError(f'{name}/{variant} failed:\n'
                           f'{proc.stderr[-3000:]}')
    return json.loads(line[0][7:])


def measure(name, variants, repeats):
    """``{variant: [result, ...]}``, the variants interleaved (round 1 of
    every variant, then round 2, ...) so a slow spell of a shared machine
    hits them alike and the same-run ratios stay fair."""
    out = {v: [] for v in variants}
    if BENCHMARKS[name].get('paired'):
        for r in range(repeats):
            print(f'{name}: all variants in one process (run {r + 1}/'
                  f'{repeats}) ...', flush=True)
            res = measure_once(name, '*')
            for v in variants:
                out[v].append(res[v])
        return out
    for r in range(repeats):
        for variant in variants:
            print(f'{name}: {variant} (round {r + 1}/{repeats}) ...',
                  flush=True)
            out[variant].append(measure_once(name, variant))
    return out


def versions():
    import mmcv
    import mmengine
    import mmseg
    import torch
    return (f'torch {torch.__version__}, mmcv {mmcv.__version__}, mmengine '
            f'{mmengine.__version__}, mmseg {mmseg.__version__}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--only', nargs='+')
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--merge', action='store_true',
                        help='keep the sections of the existing table for '
                        'the benchmarks not run now')
    parser.add_argument('--child', nargs=2, help=argparse.SUPPRESS)
    parser.add_argument('--out', default=osp.join(HERE, 'docs',
                                                  'benchmarks.md'))
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    import numpy as np
    names = args.only or list(BENCHMARKS)
    lines = [
        '# Benchmarks', '',
        f'Written by `python tools/benchmark/run.py` on '
        f'{datetime.date.today().isoformat()}: {os.cpu_count()} CPU cores, '
        f'{platform.machine()}, Python {platform.python_version()}, '
        f'{versions()}. Median of {args.repeats} runs (min-max in '
        'brackets), each in a fresh process; peak memory is the largest '
        'resident set of the process and its workers. Ratios compare '
        'variants measured in the same run against the first (baseline). '
        'Pseudo-label rows include the start-up of the worker processes '
        '(spawned; each imports torch and mmseg, a few seconds), as a real '
        'run does; they use 400 (128 px) or 40 (500x375) images.' + (
            ' Sections of benchmarks not run this time are kept from the '
            'earlier run that wrote them (`--merge`): compare ratios within '
            'a section, not absolute figures across sections.'
            if args.merge else ''),
        ''
    ]
    old = {}
    if osp.isfile(args.out):
        title = None
        for line in open(args.out).read().splitlines():
            if line.startswith('## '):
                title = line[3:]
                old[title] = [line]
            elif title is not None:
                old[title].append(line)
    for name in BENCHMARKS:
        bench = BENCHMARKS[name]
        if name not in names:
            if args.merge:
                lines += old.get(bench['title'], [])
            continue
        rows, base = [], None
        results = measure(name, bench['variants'], args.repeats)
        for variant in bench['variants']:
            res = results[variant]
            rate = np.array([r['items'] / r['seconds'] for r in res])
            med = float(np.median(rate))
            base = med if base is None else base
            peak = ('-' if bench.get('paired') else
                    f'{max(r["peak_mb"] for r in res):.0f}')
            rows.append(
                f'| {variant} | {med:.2f} ({rate.min():.2f}-'
                f'{rate.max():.2f}) | {med / base:.2f}x | {peak} |')
        lines += [f'## {bench["title"]}', '',
                  f'| variant | {bench["unit"]} | vs baseline | peak MB |',
                  '|---|---|---|---|'] + rows + ['']
    demo = osp.join(HERE, 'work_dirs', 'demo', 'results.json')
    if osp.isfile(demo):
        res = json.load(open(demo))
        lines += [f'## {DEMO_TITLE}', '',
                  '| stage | seconds |', '|---|---|'] + [
            f'| {k} | {v:.1f} |' for k, v in res['seconds'].items()] + [
            f'| total | {sum(res["seconds"].values()):.1f} |', '']
    else:                       # no demo run here: keep the last table
        lines += old.get(DEMO_TITLE, [])
    with atomic_write(args.out, 'w') as f:
        f.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
