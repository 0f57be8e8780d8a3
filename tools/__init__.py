"""LangChain tools: thin typed adapters over the domain; their docstrings are what the LLM reads."""
