class AnalysisTool:
    """Same name, another class: not the configured protocol."""

    def analyze(self, image: bytes) -> dict:
        return {}
