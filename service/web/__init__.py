"""The web page for people: a form, and the answer as HTML (server-rendered, no JavaScript)."""
