from pipeline.filters.blur import Blur, Sharpen

BUILT_IN = (Blur, Sharpen)
