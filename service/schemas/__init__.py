"""The contract's JSON bodies as marshmallow schemas, mapped to and from the domain's dataclasses.

They sit between the domain and everything that speaks JSON: the application service loads
descriptions and dumps evaluations with them, and the API documents its operations with them.
Nothing here knows about HTTP, so the command line and the tests use the same mapping.
"""
