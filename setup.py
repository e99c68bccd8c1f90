"""mmwsss: weakly-supervised semantic segmentation for OpenMMLab."""
import os.path as osp

from setuptools import find_packages, setup

here = osp.dirname(osp.abspath(__file__))


def read_version() -> str:
    scope: dict = {}
    with open(osp.join(here, 'mmwsss', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


def read_requirements(name: str) -> list:
    with open(osp.join(here, 'requirements', name)) as f:
        return [
            line.split('#')[0].strip() for line in f
            if line.split('#')[0].strip()
        ]


setup(
    name='mmwsss',
    version=read_version(),
    description='Weakly-supervised semantic segmentation from image-level '
    'labels, as an OpenMMLab (mmsegmentation) plugin',
    long_description=open(osp.join(here, 'README.md')).read(),
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('tests', 'tests.*', 'configs', 'tools')),
    # as OpenMMLab packages do: configs/ and tools/ ship inside the package
    # as mmwsss/.mim/{configs,tools} (with the shipped pre-trained backbone,
    # configs/_base_/pretrained; symlinks in the repository, real files
    # in a wheel), so `pip install .` users get them, `mim train mmwsss CFG`
    # finds tools/train.py and configs can inherit `mmwsss::cam/....py`
    include_package_data=True,
    package_data={
        'mmwsss': [
            '.mim/model-index.yml', '.mim/configs/**/*.py',
            '.mim/configs/**/*.md', '.mim/configs/_base_/pretrained/*',
            '.mim/tools/**/*.py',
            '.mim/tools/**/*.sh'
        ]
    },
    python_requires='>=3.8',
    install_requires=read_requirements('runtime.txt'),
    extras_require=dict(
        tests=read_requirements('tests.txt'), coco=['pycocotools']),
    license='Apache License 2.0',
    zip_safe=False,
)
