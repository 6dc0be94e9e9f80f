"""The validators."""


def check_batch(batch):
    if not isinstance(batch, dict):
        raise ValueError("a batch is a dict")
    return batch


def check_glaze(glaze):
    if not isinstance(glaze, dict):
        raise ValueError("a glaze is a dict")
    return glaze
