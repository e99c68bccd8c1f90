"""Helpers shared by the tests."""
import os
import subprocess
import sys


def run_tool(repo_root, *args, timeout=600):
    """Run ``python *args`` in the repo root; assert it succeeds; return its
    output."""
    env = dict(os.environ, PYTHONPATH=repo_root)
    proc = subprocess.run([sys.executable, *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out
