"""The ``repairfloor`` command: the core's services and the Qt window behind one entry point."""
