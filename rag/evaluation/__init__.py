"""`rag eval`: retrieval, answer, grounding, language and latency metrics on eval/, ours vs a baseline.

Pure parts: `data` (loading and validation), `metrics`, `grounding`, `summary`. I/O: `rankings`,
`baseline`, `llm_judge`, `runner`, `report`, `chart`.
"""
