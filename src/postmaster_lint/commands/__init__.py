"""One module per subcommand; cli.py only wires options to them."""
