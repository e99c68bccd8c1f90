"""tools/benchmark/run.py: how the table is measured and written (the
figures themselves are never checked in unit tests)."""
import importlib
import os.path as osp
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture
def run_mod(monkeypatch):
    monkeypatch.syspath_prepend(osp.join(ROOT, 'tools', 'benchmark'))
    sys.modules.pop('run', None)
    mod = importlib.import_module('run')
    yield mod
    sys.modules.pop('run', None)


FAKE = {
    'a': dict(title='Bench A', unit='items/s', variants=['base', 'fast']),
    'b': dict(title='Bench B', unit='items/s', variants=['only']),
}


def _fake_measure_once(calls):
    def once(name, variant):
        calls.append((name, variant))
        return dict(items=10, seconds=1.0 if variant != 'fast' else 0.5,
                    peak_mb=100.0)
    return once


def test_variants_are_interleaved_across_repeats(run_mod, monkeypatch):
    calls = []
    monkeypatch.setattr(run_mod, 'BENCHMARKS', FAKE)
    monkeypatch.setattr(run_mod, 'measure_once', _fake_measure_once(calls))
    out = run_mod.measure('a', ['base', 'fast'], 3)
    assert calls == [('a', 'base'), ('a', 'fast')] * 3
    assert [r['seconds'] for r in out['fast']] == [0.5] * 3


def test_merge_keeps_other_sections_and_the_demo_table(run_mod, monkeypatch,
                                                       tmp_path):
    out = tmp_path / 'benchmarks.md'
    out.write_text('# Benchmarks\n\n## Bench B\n\nold b row\n\n'
                   f'## {run_mod.DEMO_TITLE}\n\n| stage | seconds |\n'
                   '| total | 9.0 |\n')
    monkeypatch.setattr(run_mod, 'BENCHMARKS', FAKE)
    monkeypatch.setattr(run_mod, 'versions', lambda: 'v')
    monkeypatch.setattr(run_mod, 'HERE', str(tmp_path))  # no demo results
    monkeypatch.setattr(run_mod, 'measure_once', _fake_measure_once([]))
    monkeypatch.setattr(sys, 'argv', ['run.py', '--only', 'a', '--merge',
                                      '--out', str(out), '--repeats', '1'])
    run_mod.main()
    text = out.read_text()
    assert '| fast | 20.00 (20.00-20.00) | 2.00x | 100 |' in text
    assert 'old b row' in text
    assert '| total | 9.0 |' in text
    # without --merge only the benchmarks run now are written
    monkeypatch.setattr(sys, 'argv', ['run.py', '--only', 'a', '--out',
                                      str(out), '--repeats', '1'])
    run_mod.main()
    text = out.read_text()
    assert 'old b row' not in text and '## Bench A' in text


def test_paired_child_alternates_variants_in_one_process(run_mod, monkeypatch,
                                                         capsys):
    """A ``paired`` benchmark sets every variant up in one process, calls
    them in turn and reports each one's median call."""
    order, clock = [], [0.0]

    def run(state):              # x takes 1 s per call, y 2 s
        order.append(state)
        clock[0] += {'x': 1.0, 'y': 2.0}[state]
        return 4

    bench = dict(title='P', unit='items/s', variants=['x', 'y'], paired=3,
                 setup=lambda v, work: v, run=run)
    monkeypatch.setattr(run_mod, 'BENCHMARKS', {'p': bench})
    monkeypatch.setattr(run_mod.time, 'perf_counter', lambda: clock[0])
    run_mod.child('p', '*')
    res = run_mod.json.loads(capsys.readouterr().out.split('RESULT ')[1])
    assert order == ['x', 'y'] * 3
    assert res['x'] == dict(items=4, seconds=1.0, peak_mb=None)
    assert res['y'] == dict(items=4, seconds=2.0, peak_mb=None)
