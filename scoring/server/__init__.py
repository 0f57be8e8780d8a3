"""The credit model behind HTTP, on SageMaker's inference-container contract.

`loading` finds and loads the model, `validation` checks input rows, `codecs` reads and writes
bodies, `app` holds the routes, `runner` serves them with uvicorn (`python -m scoring.server serve`
is the container's entry point; `loan-advisor scoring serve` the same locally).
"""
