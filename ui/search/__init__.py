"""The tool bar's search and the order timeline."""
