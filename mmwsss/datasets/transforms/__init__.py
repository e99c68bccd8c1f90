from .formatting import PackWSSSInputs

__all__ = ['PackWSSSInputs']
