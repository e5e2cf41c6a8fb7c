"""HTTP edge: flask-smorest blueprints, marshmallow schemas and problem+json errors."""
