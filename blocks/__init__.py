"""Pure Block Kit builders: domain objects in, plain JSON-ready dicts out. No I/O, no Slack SDK."""
