"""A sanctioned module: executing plugins here is allowed, and so is calling it."""


def isolated(p, payload):
    return p.run(payload)
