"""The Qt view of RepairFloor: windows and widgets over the services of :mod:`app`."""
