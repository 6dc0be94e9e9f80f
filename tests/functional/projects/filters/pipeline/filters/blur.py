from pipeline.filters.base import Filter


class Blur(Filter):
    def transform(self, frame: bytes) -> bytes:
        return frame


class Sharpen(Blur):
    def transform(self, frame: bytes) -> bytes:
        return frame[::-1]
