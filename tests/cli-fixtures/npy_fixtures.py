"""What the fixture generators of this folder share: writing a tensor as .npy and drawing random tensors."""
import os

import numpy as np
import torch


def saver(folder):
    """save(name, tensor) writes folder/name.npy and returns the file name."""
    def save(name, tensor):
        np.save(os.path.join(folder, name + ".npy"), tensor.detach().numpy())
        return name + ".npy"
    return save


def randn(*shape, dtype=torch.float64):
    return torch.randn(*shape, dtype=dtype)
