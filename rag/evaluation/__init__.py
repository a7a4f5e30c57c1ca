"""`rag eval`: evidence, answer, grounding, language and latency figures per corpus and per split
(dev, test, and their gap), ours vs a naive baseline.

Pure parts: `data` (question sets, corpora, gold resolution), `jsonl`, `quotes`, `metrics`,
`grounding`, `summary`, `splits`. I/O: `rankings`, `baseline`, `llm_judge`, `systems`, `runner`,
`report`, `chart`.
"""
