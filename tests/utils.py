"""Helpers shared by the tests."""
import os
import subprocess
import sys


def run_tool(repo_root, *args, timeout=600, extra_path=None):
    """Run ``python *args`` in the repo root; assert it succeeds; return its
    output. ``extra_path`` is added to ``PYTHONPATH`` (test-only modules)."""
    path = repo_root if extra_path is None else os.pathsep.join(
        [repo_root, str(extra_path)])
    env = dict(os.environ, PYTHONPATH=path)
    proc = subprocess.run([sys.executable, *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out
