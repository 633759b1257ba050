"""The language server: the CLI's findings in the editor, as the user types."""
