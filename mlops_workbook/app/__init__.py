"""The one-person app: a person's session (their file), the worked example, the page bridge, the App widget."""
