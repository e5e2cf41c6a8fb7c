"""Pure domain: cluster descriptions in, evaluations out; no web, schema or cache imports."""
