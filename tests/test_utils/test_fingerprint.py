"""Identity of the files a refiner loads (mmwsss/utils/fingerprint.py)."""
from mmwsss.utils.fingerprint import (file_digest, referenced_file_digests,
                                      referenced_files)


def test_referenced_files_are_identified_by_content(tmp_path):
    a, b = tmp_path / 'a.pth', tmp_path / 'b.py'
    a.write_bytes(b'1234')
    b.write_text('x = 1')
    cfgs = [dict(type='DenseCRF'),
            dict(type='AffinityRandomWalk', config=str(b), checkpoint=str(a),
                 nested=[dict(checkpoint=str(a))])]
    assert referenced_files(cfgs) == sorted([str(a), str(b)])
    before = referenced_file_digests(cfgs)
    a.write_bytes(b'1235')                    # same size, other content
    assert referenced_file_digests(cfgs)[str(a)] != before[str(a)]
    assert file_digest(str(b)) == before[str(b)]
    assert referenced_file_digests([dict(type='CVS')]) == {}


def test_file_digest_algorithms(tmp_path):
    import hashlib
    p = tmp_path / 'w.bin'
    p.write_bytes(b'abc' * 1000)
    assert file_digest(str(p)) == hashlib.sha1(b'abc' * 1000).hexdigest()
    assert file_digest(str(p), chunk=7, algorithm='sha256') == \
        hashlib.sha256(b'abc' * 1000).hexdigest()
