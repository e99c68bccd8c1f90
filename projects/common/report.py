"""Report writing of the recipes, apart from their computing.

A recipe computes a results dict (figures with the settings and counts they
were measured with: images, classes, iterations); these helpers turn it into
``results.md`` / ``results.json`` (atomic writes) and plots. Every number in
a report comes from the results, none from the report code.
"""
from __future__ import annotations

import io
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import matplotlib
import numpy as np

from mmwsss.utils.io import atomic_write, atomic_write_bytes

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

Section = Tuple[str, List[str]]  # (heading or '', markdown lines)


def fmt(value, digits: int = 2) -> str:
    """A figure for a table: ``-`` when missing."""
    if value is None:
        return '-'
    if isinstance(value, float):
        return f'{value:.{digits}f}'
    return str(value)


def md_table(header: Sequence[str], rows: Sequence[Sequence]) -> List[str]:
    """A markdown table; cells through :func:`fmt`."""
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(fmt(c) for c in row) + ' |' for row in rows]
    return lines


def stage_table(seconds: Dict[str, float]) -> List[str]:
    """The time of each stage and the total."""
    rows = [(k, f'{v:.1f}') for k, v in seconds.items()]
    rows.append(('total', f'{sum(seconds.values()):.1f}'))
    return md_table(('stage', 'time (s)'), rows)


def write_report(work_dir: str, title: str, sections: Sequence[Section],
                 results: dict, notes: Sequence[str] = ()) -> str:
    """Write ``results.md`` (title, sections, notes) and ``results.json``
    (``results``) into ``work_dir``; return the markdown."""
    lines = [f'# {title}', '']
    for heading, body in sections:
        if heading:
            lines += [f'## {heading}', '']
        lines += list(body) + ['']
    lines += list(notes) + ([''] if notes else [])
    text = '\n'.join(lines)
    with atomic_write(osp.join(work_dir, 'results.md'), 'w') as f:
        f.write(text)
    with atomic_write(osp.join(work_dir, 'results.json'), 'w') as f:
        json.dump(results, f, indent=1, default=float)
    return text


def plot_grouped_bars(rows: List[dict], keys: Sequence[Tuple[str, str]],
                      path: str, title: str,
                      label_key: str = 'name') -> None:
    """Grouped bars of ``keys`` (``(key, legend)``) per row; PNG, atomic."""
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(rows)), 4))
    x = np.arange(len(rows))
    width = 0.8 / max(len(keys), 1)
    for k, (key, label) in enumerate(keys):
        offset = (k - (len(keys) - 1) / 2) * width
        ax.bar(x + offset, [r[key] or 0 for r in rows], width, label=label)
    ax.set_xticks(x, [r[label_key] for r in rows], rotation=20, ha='right')
    ax.set_ylabel('%')
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format='png', dpi=100)
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())


def counted(n: Optional[int], noun: str) -> str:
    """``'2,000 images'``."""
    return f'{n:,} {noun}' if n is not None else f'? {noun}'
