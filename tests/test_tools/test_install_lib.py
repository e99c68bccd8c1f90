"""tools/install: the venv path and pip's expected conflict messages."""
import os
import subprocess

import pytest

ERROR_HEAD = ("ERROR: pip's dependency resolver does not currently take into "
              'account all the packages that are installed. This behaviour '
              'is the source of the following dependency conflicts.')
OPENCV = 'mmcv 2.1.0 requires opencv-python>=3, which is not installed.'
DATALAB = 'openmim 0.3.9 requires opendatalab, which is not installed.'
OTHER = 'foo 1.0 requires bar<2, but you have bar 3.0 which is incompatible.'


def bash(repo_root, script, cwd, env=None):
    lib = os.path.join(repo_root, 'tools', 'install', 'lib.sh')
    proc = subprocess.run(['bash', '-c', f'source {lib}\n{script}'], cwd=cwd,
                          env=dict(os.environ, **(env or {})),
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def test_absolute_path(repo_root, tmp_path):
    rc, out = bash(repo_root, 'absolute_path .venv; absolute_path /x/y',
                   str(tmp_path))
    assert rc == 0 and out.split() == [f'{tmp_path}/.venv', '/x/y']


def test_install_makes_a_relative_venv_absolute(repo_root, tmp_path):
    """The fresh-machine bug: make passes VENV=.venv and the mmcv build ran
    pip from inside its source tree. The script must create (and use) the
    venv by its absolute path; a fake base Python stops it right there."""
    proc = subprocess.run(
        ['bash', os.path.join(repo_root, 'tools', 'install',
                              'install_stack.sh')],
        cwd=str(tmp_path), capture_output=True, text=True,
        env=dict(os.environ, VENV='relvenv', BASE_PYTHON='false'))
    assert proc.returncode != 0
    assert f'creating {tmp_path}/relvenv with' in proc.stdout


@pytest.mark.parametrize('lines,rc,shown,note', [
    ([ERROR_HEAD, OPENCV, DATALAB], 0, [], True),
    ([ERROR_HEAD, OPENCV, OTHER], 0, [ERROR_HEAD, OPENCV, OTHER], False),
    (['some pip error'], 1, ['some pip error'], False),
    ([], 0, [], False),
])
def test_pip_q_drops_only_the_expected_conflicts(repo_root, tmp_path, lines,
                                                 rc, shown, note):
    fake = tmp_path / 'fake_pip.sh'
    fake.write_text('#!/bin/bash\ncat "$FAKE_OUT"\nexit "$FAKE_RC"\n')
    fake.chmod(0o755)
    (tmp_path / 'out.txt').write_text(''.join(ln + '\n' for ln in lines))
    code, out = bash(repo_root, f'PIP=({fake}); pip_q anything',
                     str(tmp_path),
                     dict(FAKE_OUT=str(tmp_path / 'out.txt'),
                          FAKE_RC=str(rc)))
    assert code == rc
    printed = [ln for ln in out.splitlines() if ln.strip()]
    notes = [ln for ln in printed if ln.startswith('  note:')]
    assert [ln for ln in printed if ln not in notes] == shown
    assert bool(notes) == note
    if note:
        assert not any(ln.startswith('ERROR') for ln in printed)
