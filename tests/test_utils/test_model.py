from mmengine.model import (BaseModel, BaseTTAModel,
                            MMDistributedDataParallel)
from torch import nn

from mmwsss.utils.model import unwrap_model


class _Wrapper(MMDistributedDataParallel):
    """A model wrapper without a process group (DDP needs one)."""

    def __init__(self, module):
        nn.Module.__init__(self)
        self.module = module


class _Net(BaseModel):

    def forward(self, inputs, data_samples=None, mode='tensor'):
        return inputs


class _TTA(BaseTTAModel):

    def merge_preds(self, data_samples_list):
        return data_samples_list


def test_unwrap_model_strips_wrappers_and_tta_on_request():
    net = _Net()
    assert unwrap_model(net) is net
    assert unwrap_model(_Wrapper(net)) is net
    tta = _TTA(module=net)
    assert unwrap_model(_Wrapper(tta)) is tta
    assert unwrap_model(_Wrapper(tta), tta=True) is net
