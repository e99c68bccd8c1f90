"""The ``mmwsss`` scope: registries that are children of mmseg's.

mmwsss registers every module into mmseg's registries (``mmseg.registry``),
so plain mmseg configs use them with ``default_scope='mmseg'``. mmengine
tags every ``type`` of a config inherited as ``_base_ = 'mmwsss::...'``
with the scope ``mmwsss`` and then looks it up in the registry of that
scope (importing ``mmwsss.registry``). The registries below are that scope:
each is an empty child of mmseg's registry of the same kind, so a lookup
falls through to mmseg (which holds mmwsss's modules) and then to
mmengine, exactly as with ``default_scope='mmseg'``.
"""
from mmengine.registry import Registry
from mmseg import registry as mmseg

SCOPE = 'mmwsss'


# imported on the first lookup: mmwsss (registers its modules into mmseg's
# registries) and mmseg's own modules (a parent's lazy imports do not run
# when a child registry looks a name up in it)
LOCATIONS = ['mmwsss', 'mmseg.datasets', 'mmseg.engine', 'mmseg.evaluation',
             'mmseg.models', 'mmseg.visualization']


def _child(parent: Registry) -> Registry:
    return Registry(parent.name, parent=parent, scope=SCOPE,
                    locations=LOCATIONS)


RUNNERS = _child(mmseg.RUNNERS)
RUNNER_CONSTRUCTORS = _child(mmseg.RUNNER_CONSTRUCTORS)
LOOPS = _child(mmseg.LOOPS)
HOOKS = _child(mmseg.HOOKS)
DATASETS = _child(mmseg.DATASETS)
DATA_SAMPLERS = _child(mmseg.DATA_SAMPLERS)
TRANSFORMS = _child(mmseg.TRANSFORMS)
MODELS = _child(mmseg.MODELS)
MODEL_WRAPPERS = _child(mmseg.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _child(mmseg.WEIGHT_INITIALIZERS)
OPTIMIZERS = _child(mmseg.OPTIMIZERS)
OPTIM_WRAPPERS = _child(mmseg.OPTIM_WRAPPERS)
OPTIM_WRAPPER_CONSTRUCTORS = _child(mmseg.OPTIM_WRAPPER_CONSTRUCTORS)
PARAM_SCHEDULERS = _child(mmseg.PARAM_SCHEDULERS)
METRICS = _child(mmseg.METRICS)
EVALUATOR = _child(mmseg.EVALUATOR)
TASK_UTILS = _child(mmseg.TASK_UTILS)
VISUALIZERS = _child(mmseg.VISUALIZERS)
VISBACKENDS = _child(mmseg.VISBACKENDS)
LOG_PROCESSORS = _child(mmseg.LOG_PROCESSORS)
INFERENCERS = _child(mmseg.INFERENCERS)
