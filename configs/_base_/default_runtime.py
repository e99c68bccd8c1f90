# mmseg's runtime + mmwsss registered into mmseg's registries
_base_ = 'mmseg::_base_/default_runtime.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
env_cfg = dict(cudnn_benchmark=False)
custom_hooks = [dict(type='NumClassCheckHook')]
